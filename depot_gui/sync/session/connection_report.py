"""What Settings › Connections says about each service, read afresh (network: run it off the UI thread).

Autotask: the API user, its zone, whether it sees every line of business (the same check the setup
wizard runs; a check that could not run is "not checked", never passed). Xero: the organisations the
sign-in reached, how long the current access lasts, the permissions granted. ``sign_out`` ends the
Xero sign-in (revoked at Xero, forgotten here).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from depot_gui.autotask.errors import AutotaskError
from depot_gui.sync.lines_of_business.access import check_lob_access
from depot_gui.sync.session.session import Session, SessionError
from depot_gui.xero.errors import XeroError

SCOPE_WORDS = {
    "offline_access": "stay signed in",
    "accounting.invoices": "invoices and credit notes",
    "accounting.contacts": "contacts",
    "accounting.settings.read": "read the chart of accounts, tax rates and currencies",
    "accounting.attachments": "attach Autotask's PDF",
}


@dataclass(frozen=True)
class ConnectionReport:
    """Plain sentences per field; ``problem`` (and nothing else) when the connection failed."""

    checked_at: datetime  # aware UTC
    sandbox: bool = False
    problem: str = ""
    autotask_user: str = ""
    zone: str = ""
    lines_of_business: str = ""
    lines_ok: bool | None = None  # None: not checked
    organisations: tuple[str, ...] = ()
    default_organisation: str = ""
    access: str = ""
    scopes: tuple[str, ...] = ()


def lob_verdict(lob) -> tuple[str, bool | None]:
    """The line-of-business check in one sentence, and True (all seen), False (some hidden), None (not checked)."""
    if not lob.checked:
        return f"Not checked: {lob.note or 'Autotask did not answer the check.'}", None
    if lob.restricted:
        return (f"Hidden from the API user: {', '.join(lob.hidden)}. Their billing items are left out of every "
                "download; clear the API user's Line of Business section in Autotask."), False
    if not lob.in_use:
        return "Sees every invoice (Autotask's organizational structure is not in use).", True
    return "Sees every line of business.", True


def scope_words(scope: str) -> tuple[str, ...]:
    """Xero's granted scopes, each with what it lets Depot GUI do."""
    return tuple(f"{s} ({SCOPE_WORDS[s]})" if s in SCOPE_WORDS else s for s in scope.split())


def check_connections(session: Session, now: datetime | None = None) -> ConnectionReport:
    """Connect (or use the connection), run the line-of-business check and read Xero's organisations."""
    now = now or datetime.now(timezone.utc)
    sandbox = session.sandbox is not None
    try:
        conn = session.connections()
        lob_text, lob_ok = lob_verdict(check_lob_access(conn.autotask, conn.api_user))
        orgs = tuple(str(t.get("tenantName") or t.get("tenantId") or "") for t in conn.organisations())
        tokens = conn.sign_in.current() if conn.sign_in is not None else None
    except SessionError as exc:
        return ConnectionReport(now, sandbox, problem=exc.user_message)
    except (AutotaskError, XeroError) as exc:
        return ConnectionReport(now, sandbox, problem=exc.user_message)
    if tokens is None:
        access = "Not signed in to Xero."
    else:
        access = (f"Signed in; the current access lasts until {tokens.expires_at:%Y-%m-%d %H:%M} UTC and is renewed "
                  "by itself. The sign-in ends if Depot GUI is not used for 60 days, or with Sign out.")
    return ConnectionReport(
        now, sandbox, autotask_user=conn.api_user, zone=conn.zone_name or "not known", lines_of_business=lob_text,
        lines_ok=lob_ok, organisations=orgs, default_organisation=conn.tenant_name, access=access,
        scopes=scope_words(tokens.scope) if tokens is not None else (),
    )


def sign_out(session: Session) -> str:
    """End the Xero sign-in: revoke it at Xero (best effort), forget the tokens, drop the clients."""
    try:
        conn = session.connections()
    except SessionError as exc:
        return f"Not signed in to Xero ({exc.user_message})"
    if conn.sign_in is not None:
        conn.sign_in.disconnect()
    session.reconnect()
    if session.sandbox is not None:
        return "Signed out of the sandbox's Xero; a sandbox signs in again by itself at the next refresh."
    return "Signed out of Xero. Reconnect… signs in again."


__all__ = ["ConnectionReport", "check_connections", "lob_verdict", "scope_words", "sign_out"]
