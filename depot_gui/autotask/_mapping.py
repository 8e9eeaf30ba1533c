"""Turn Autotask HTTP failures (status + body, transport exceptions) into typed errors."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urlsplit

import httpx2

from depot_gui.core import wire as _wire
from depot_gui.core.errors import unreachable_advice
from depot_gui.autotask.errors import (
    AutotaskAuthError,
    AutotaskError,
    AutotaskNetworkError,
    AutotaskPermissionError,
    AutotaskProtocolError,
    AutotaskQueryError,
    AutotaskRateLimited,
    AutotaskServerError,
    AutotaskZoneError,
)

THREAD_LIMIT_RE = re.compile(r"thread threshold|itgenatr005", re.IGNORECASE)
RETRY_STATUSES = {502, 503, 504}


class Retry(Exception):
    """Internal signal: the response may succeed if sent again after a wait."""

    def __init__(self, message: str, error: AutotaskError, retry_after: float | None) -> None:
        super().__init__(message)
        self.message = message
        self.error = error
        self.retry_after = retry_after


def transient_error(status: int, text: str) -> tuple[str, AutotaskError] | None:
    """(wait message, error if retries run out) for thread-limit, 429 and gateway answers."""
    if status != 401 and THREAD_LIMIT_RE.search(text):
        error = AutotaskRateLimited(
            "Autotask's limit on parallel requests (thread threshold) was still exceeded "
            "after retrying: stop other Autotask integrations' jobs or try again in a minute.",
            status=status,
            detail=text,
        )
        return "Waiting for Autotask thread limit", error
    if status == 429:
        return "Waiting for Autotask rate limit", AutotaskRateLimited(status=status, detail=text)
    if status in RETRY_STATUSES:
        error = AutotaskServerError(
            f"Autotask is not responding properly (HTTP {status}): try again in a few minutes.",
            status=status,
            detail=text,
        )
        return f"Autotask is busy (HTTP {status}); retrying", error
    return None


def error_text(resp: httpx2.Response) -> str:
    """The server's error text: ``errors[]`` joined, ASP.NET ``Message``, or a short plain body."""
    text = ""
    try:
        data = _wire.loads(resp.content)
    except (ValueError, UnicodeDecodeError):
        data = None
    if isinstance(data, dict):
        errors = data.get("errors")
        if isinstance(errors, list):
            parts = [e.get("message", str(e)) if isinstance(e, dict) else str(e) for e in errors]
            text = "; ".join(p for p in parts if p)
        text = text or str(data.get("Message") or data.get("message") or "")
    elif "html" not in resp.headers.get("Content-Type", "").lower():
        text = resp.text.strip()[:300]
    return text


def map_error(status: int, text: str, entity: str | None, username: str) -> AutotaskError:
    """Map a non-retryable error response to the matching AutotaskError subclass."""
    lowered = text.lower()
    what = entity or "this"
    if "integrationcode" in lowered.replace(" ", "") and status in (401, 500):
        return AutotaskAuthError(AutotaskAuthError.integration_code_message, status=status, detail=text)
    if status == 401:
        return AutotaskAuthError(status=status, detail=text)
    if status == 403 or "adequate permission" in lowered:
        return AutotaskPermissionError(
            f"The Autotask API user is not allowed to access {what}: give its security level "
            f"access to {what} in Autotask (Admin › Security Levels).",
            status=status,
            detail=text,
        )
    if "zone information could not be determined" in lowered:
        return zone_error(username, text, status)
    if status in (400, 404, 500):
        reason = text.rstrip(". ") or f"HTTP {status}"
        return AutotaskQueryError(
            f"Autotask rejected the {what} request: {reason}. Report this to support if it keeps happening.",
            status=status,
            detail=text,
        )
    return AutotaskProtocolError(
        f"Autotask answered with an unexpected HTTP {status}: try again, and report it if it "
        "keeps happening.",
        status=status,
        detail=text,
    )


def zone_error(username: str, detail: str, status: int | None) -> AutotaskZoneError:
    """The zone lookup did not know this API username."""
    return AutotaskZoneError(
        f"Autotask does not recognise the API username {username!r}: check the API username "
        "(the API user's 'Username (key)', shaped like an email address).",
        status=status,
        detail=detail,
    )


def network_error(exc: httpx2.TransportError, url: str, scrub: Callable[[str], str]) -> AutotaskNetworkError:
    """Describe a request that got no HTTP answer (DNS, connect, TLS, timeout)."""
    host = urlsplit(url).hostname or url
    raw = scrub(str(exc)) or type(exc).__name__
    if isinstance(exc, httpx2.TimeoutException):
        reason = f"no answer in time ({type(exc).__name__})"
    elif "ssl" in raw.lower() or "certificate" in raw.lower():
        reason = f"the secure (TLS) connection failed: {raw}"
    else:
        reason = raw
    return AutotaskNetworkError(
        f"Could not reach Autotask at {host}: {reason}. {unreachable_advice(host)}",
        detail=type(exc).__name__,
    )
