"""Setup step 1: Autotask credentials (input checks, zone discovery + test call, error messages)."""

from __future__ import annotations

from dataclasses import dataclass

import httpx2

from depot_gui.autotask.errors import (
    AutotaskAuthError,
    AutotaskError,
    AutotaskNetworkError,
    AutotaskPermissionError,
    AutotaskZoneError,
)

from depot_gui.sync.setup.common import AUTOTASK_USER_PATH, Endpoints


@dataclass(frozen=True)
class AutotaskCheck:
    """Outcome of zone discovery + a test call. ``kind`` is "ok" or names the failure."""

    kind: str
    message: str
    zone_name: str = ""
    web_url: str = ""

    @property
    def ok(self) -> bool:
        return self.kind == "ok"


def validate_autotask_input(username: str, secret: str, code: str, *, saved_secret: bool = False,
                            saved_code: bool = False) -> dict[str, str]:
    """Field name -> problem, before anything is sent (empty dict: fine)."""
    problems: dict[str, str] = {}
    username = username.strip()
    if not username:
        problems["username"] = "Enter the API user's username (its 'Username (key)', shaped like an email address)."
    elif "@" not in username or any(c.isspace() for c in username):
        problems["username"] = (
            "An Autotask API username looks like an email address (for example api@yourcompany.com), "
            "without spaces."
        )
    if not secret and not saved_secret:
        problems["secret"] = "Enter the API user's secret (its 'Password (secret)')."
    if not code.strip() and not saved_code:
        problems["integration_code"] = (
            "Enter the API integration code: on the API user's page in Autotask, under API Tracking "
            "Identifier, choose 'Custom (Internal Integration)' and copy the generated code."
        )
    return problems


def describe_autotask_error(exc: AutotaskError, username: str) -> AutotaskCheck:
    """Turn a client error into one of the distinct messages the setup page shows."""
    if isinstance(exc, AutotaskZoneError):
        return AutotaskCheck(
            "unknown_user",
            f"Autotask does not know the API username '{username}'. Copy the 'Username (key)' from the "
            f"API user's page ({AUTOTASK_USER_PATH}) exactly; it looks like an email address.",
        )
    if isinstance(exc, AutotaskAuthError):
        if exc.user_message == AutotaskAuthError.integration_code_message or "integrationcode" in exc.detail.lower().replace(" ", ""):
            return AutotaskCheck(
                "integration_code",
                "Autotask accepted the username and secret but rejected the integration code. Copy the "
                "code shown under 'API Tracking Identifier' on the API user's page (27 characters).",
            )
        return AutotaskCheck(
            "wrong_secret",
            f"Autotask knows the API user '{username}' but refused the secret. Paste the secret again, "
            "or generate a new one on the API user's page (Credentials › Generate Secret) and use that.",
        )
    if isinstance(exc, AutotaskNetworkError):
        return _network_check(exc)
    if isinstance(exc, AutotaskPermissionError):
        return AutotaskCheck("permission", exc.user_message)
    return AutotaskCheck("other", exc.user_message)


def _network_check(exc: AutotaskNetworkError) -> AutotaskCheck:
    cause = exc.__cause__ or exc.__context__
    text = f"{type(cause).__name__} {cause}".lower() if cause is not None else exc.user_message.lower()
    if isinstance(cause, httpx2.ProxyError) or "proxy" in text:
        return AutotaskCheck(
            "proxy",
            "The proxy server refused or failed the connection to Autotask. Check the proxy settings "
            "(HTTPS_PROXY) or ask IT to allow webservices*.autotask.net.",
        )
    if "ssl" in text or "certificate" in text or "tls" in text:
        return AutotaskCheck(
            "tls",
            "The secure (TLS) connection to Autotask failed, often because a firewall or antivirus "
            "inspects HTTPS. Ask IT to allow webservices*.autotask.net, or check the computer's clock.",
        )
    if isinstance(cause, httpx2.TimeoutException):
        return AutotaskCheck(
            "network", "Autotask did not answer in time. Check the internet connection and try again."
        )
    return AutotaskCheck(
        "network",
        "Could not reach Autotask: this computer seems to be offline, or the address cannot be "
        "resolved. Check the internet connection (and any VPN) and try again.",
    )


def verify_autotask(endpoints: Endpoints, username: str, secret: str, code: str) -> AutotaskCheck:
    """Zone discovery, then an authenticated test call. Never raises for user-fixable problems."""
    username = username.strip()
    problems = validate_autotask_input(username, secret, code)
    if problems:
        kind = "missing_code" if list(problems) == ["integration_code"] else "invalid_input"
        return AutotaskCheck(kind, " ".join(problems.values()))
    with endpoints.autotask(username, secret, code.strip()) as client:
        try:
            zone = client.discover_zone()
            client.ping()
        except AutotaskError as exc:
            return describe_autotask_error(exc, username)
    return AutotaskCheck(
        "ok", f"Connected to Autotask ({zone.name or zone.api_base}) as {username}.", zone.name, zone.web_url
    )
