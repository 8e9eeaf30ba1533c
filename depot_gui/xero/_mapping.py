"""Turn Xero HTTP failures (status, problem JSON, validation bodies) into typed errors."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import urlsplit

import httpx2

from depot_gui.core import wire as _wire
from depot_gui.core.errors import unreachable_advice
from depot_gui.xero.errors import (
    XeroAuthError,
    XeroError,
    XeroForbiddenError,
    XeroNetworkError,
    XeroNotFoundError,
    XeroOutcomeUnknown,
    XeroProtocolError,
    XeroRateLimited,
    XeroServerError,
    XeroValidationError,
)

# Transport failures that happen before any byte of the request left this machine.
NOT_SENT = (httpx2.ConnectError, httpx2.ConnectTimeout, httpx2.PoolTimeout, httpx2.UnsupportedProtocol)


def body_json(resp: httpx2.Response) -> Any:
    """The response body as Decimal-exact JSON, or None if it is not JSON."""
    try:
        return _wire.loads(resp.content)
    except (ValueError, UnicodeDecodeError):
        return None


def problem_detail(resp: httpx2.Response) -> str:
    """Short server explanation: problem-JSON Detail/Title, Message, or a plain-text body."""
    data = body_json(resp)
    if isinstance(data, dict):
        for key in ("Detail", "detail", "Message", "message", "Title", "title", "error"):
            if data.get(key):
                return str(data[key])
        return ""
    if "html" in resp.headers.get("Content-Type", "").lower():
        return ""
    return resp.text.strip()[:300]


def _messages(obj: Any) -> list[str]:
    """``ValidationErrors[].Message`` of one element plus those of its LineItems and Contact."""
    found: list[str] = []
    if not isinstance(obj, dict):
        return found
    for err in obj.get("ValidationErrors") or []:
        if isinstance(err, dict) and err.get("Message"):
            found.append(str(err["Message"]))
    for line in obj.get("LineItems") or []:
        found.extend(_messages(line))
    contact = obj.get("Contact")
    if isinstance(contact, dict):
        found.extend(_messages(contact))
    return found


def validation_messages(data: Any) -> list[str]:
    """Every validation message of a 400 ValidationException (Elements[] and their LineItems)."""
    found: list[str] = []
    if isinstance(data, dict):
        for element in data.get("Elements") or []:
            found.extend(_messages(element))
        if not found and data.get("Message"):
            found.append(str(data["Message"]))
        if not found and data.get("Detail"):
            found.append(str(data["Detail"]))
    return list(dict.fromkeys(found))


def element_errors(element: Any) -> list[str]:
    """Messages of a 200 per-element answer that has HasErrors / StatusAttributeString ERROR."""
    if not isinstance(element, dict):
        return []
    failed = element.get("HasErrors") is True or element.get("StatusAttributeString") == "ERROR"
    if not failed:
        return []
    return list(dict.fromkeys(_messages(element))) or ["Xero flagged the record as having errors"]


def rate_limited(resp: httpx2.Response) -> XeroRateLimited:
    """The error for a 429 that will not (or no longer) be waited out."""
    problem = resp.headers.get("X-Rate-Limit-Problem", "").lower()
    reset_at = None
    if problem == "day":
        seconds = _wire.parse_retry_after(resp.headers.get("Retry-After"), datetime.now(timezone.utc))
        server_now = _wire.parse_http_date(resp.headers.get("Date")) or datetime.now(timezone.utc)
        if seconds is not None:
            reset_at = (server_now + timedelta(seconds=seconds)).replace(microsecond=0)
        when = f"at {reset_at.strftime('%Y-%m-%d %H:%M')} UTC" if reset_at else "within 24 hours"
        message = f"Xero's daily API limit for this organisation is used up: it resets {when}."
    elif problem:
        message = f"Xero's {problem} API limit is still exceeded: wait a minute and try again."
    else:
        message = None
    error = XeroRateLimited(message, status=429, detail=problem)
    error.problem, error.reset_at = problem, reset_at
    return error


def status_error(resp: httpx2.Response, *, write: bool, what: str) -> XeroError:
    """Map a final (non-retried) error response to an XeroError subclass."""
    status = resp.status_code
    detail = problem_detail(resp)
    challenge = resp.headers.get("WWW-Authenticate", "").lower()
    if status in (401, 403) and ("insufficient_scope" in challenge or "insufficent_scope" in challenge):
        return XeroForbiddenError(XeroForbiddenError.scope_message, status=status, detail=detail)
    if status == 401:
        return XeroAuthError(status=status, detail=detail)
    if status == 403:
        return XeroForbiddenError(status=status, detail=detail)
    if status == 400:
        return XeroValidationError(validation_messages(body_json(resp)) or [detail], status=400)
    if status == 404:
        return XeroNotFoundError(
            f"Xero could not find {what}: refresh and try again.", status=404, detail=detail
        )
    if status == 429:
        return rate_limited(resp)
    if status == 503 or status == 501:
        return XeroServerError(
            f"Xero is unavailable right now (HTTP {status}, maintenance or organisation offline): "
            "try again in a few minutes.",
            status=status,
            detail=detail,
        )
    if status >= 500:
        if write:
            return XeroOutcomeUnknown(
                f"Xero failed while saving (HTTP {status}) and may or may not have kept the change: "
                "Depot GUI will look it up in Xero before trying again.",
                status=status,
                detail=detail,
            )
        return XeroServerError(
            f"Xero is having problems (HTTP {status}): try again in a few minutes.",
            status=status,
            detail=detail,
        )
    return XeroProtocolError(
        f"Xero answered with an unexpected HTTP {status}: try again, and report it if it keeps happening.",
        status=status,
        detail=detail,
    )


def transport_error(
    exc: httpx2.TransportError, url: str, *, write: bool, scrub: Callable[[str], str]
) -> XeroError:
    """Map an exception with no HTTP answer: writes that may have been sent become OutcomeUnknown."""
    host = urlsplit(url).hostname or url
    raw = scrub(str(exc)) or type(exc).__name__
    reason = f"no answer in time ({type(exc).__name__})" if isinstance(exc, httpx2.TimeoutException) else raw
    if write and not isinstance(exc, NOT_SENT):
        return XeroOutcomeUnknown(
            f"The connection to Xero failed before it confirmed the change ({reason}): Depot GUI will "
            "look it up in Xero before trying again.",
            detail=type(exc).__name__,
        )
    return XeroNetworkError(
        f"Could not reach Xero at {host}: {reason}. {unreachable_advice(host)}",
        detail=type(exc).__name__,
    )
