"""Typed Xero errors; each carries a one-sentence ``user_message`` and never a token."""

from __future__ import annotations

from depot_gui.core.errors import ServiceError

RECONNECT = "reconnect Xero in Settings › Connections"


class XeroError(ServiceError):
    """Base class: ``user_message`` says what went wrong and what to do."""

    default_message = "Xero returned an error: try again, and report it if it keeps happening."


class XeroAuthError(XeroError):
    """The access/refresh token is expired, revoked or missing: the user must reconnect."""

    default_message = f"Your Xero connection has expired or was revoked: {RECONNECT}."


class XeroForbiddenError(XeroError):
    """The token may not touch this organisation, or lacks a scope."""

    default_message = (
        "Xero refused access to this organisation (it may have been disconnected from Depot GUI): "
        f"{RECONNECT} and choose the organisation again."
    )
    scope_message = (
        "Depot GUI lacks a Xero permission it needs (insufficient scope): "
        f"{RECONNECT} and approve every requested permission."
    )


class XeroValidationError(XeroError):
    """Xero refused the data (HTTP 400 ValidationException or a per-element error)."""

    def __init__(self, messages: list[str], *, status: int | None = 400, detail: str = "") -> None:
        self.messages = list(messages) or ["Xero gave no reason"]
        text = "; ".join(m.rstrip(".") for m in self.messages)
        super().__init__(
            f"Xero rejected the request: {text}. Correct the data or mapping and try again.",
            status=status,
            detail=detail,
        )


class XeroNotFoundError(XeroError):
    """The record (or route) does not exist in this organisation."""

    default_message = "Xero could not find the requested record: refresh and try again."


class XeroRateLimited(XeroError):
    """A Xero API limit (minute, day, concurrent, app) is still exceeded."""

    default_message = "Xero's API limit for this organisation is used up for now: try again later."
    problem: str = ""  # "day", "minute", "appminute", "concurrent" (X-Rate-Limit-Problem)
    reset_at = None  # datetime (UTC) when a day limit resets, when Xero said


class XeroServerError(XeroError):
    """Xero is down, in maintenance, or the organisation is offline; nothing was changed."""

    default_message = (
        "Xero is unavailable right now (maintenance or organisation offline): try again in a few minutes."
    )


class XeroNetworkError(XeroError):
    """No HTTP answer, and for writes the request was certainly not sent."""

    default_message = "Could not reach Xero. Check the internet connection or proxy."


class XeroOutcomeUnknown(XeroError):
    """A write whose answer never came: the caller must reconcile by lookup before retrying."""

    default_message = (
        "Xero did not confirm whether the change was saved: Depot GUI will look it up in Xero "
        "before trying again."
    )


class XeroProtocolError(XeroError):
    """Xero's answer did not have the documented shape."""

    default_message = (
        "Xero sent a response Depot GUI could not understand: try again, and report it if it keeps happening."
    )


class XeroLoginError(XeroError):
    """The browser sign-in did not complete (refused, wrong state, bad callback)."""

    default_message = "The Xero sign-in did not complete: start Connect Xero again."


class XeroLoginTimeout(XeroLoginError):
    """Nobody finished signing in within the allowed time."""

    default_message = "The Xero sign-in took too long: start Connect Xero again and finish it in the browser."


class XeroLoginCancelled(XeroLoginError):
    """The user cancelled waiting for the browser sign-in."""

    default_message = "The Xero sign-in was cancelled."


class XeroFinishRefused(XeroError):
    """Xero refused a month-end step on one invoice (attach, email, mark sent, online link); nothing changed."""

    default_message = "Xero refused this step for the invoice: nothing was changed."


class XeroAttachmentTooLarge(XeroFinishRefused):
    """The file is over Xero's size limit for one attachment (checked before sending)."""


class XeroAttachmentsFull(XeroFinishRefused):
    """The invoice already holds as many attachments as Xero allows."""


class XeroAttachmentScopeMissing(XeroFinishRefused):
    """The connection was approved without Xero's attachments permission."""

    default_message = (
        "Attaching files needs Xero's attachments permission (accounting.attachments): "
        f"{RECONNECT} and approve it."
    )


class XeroNotApproved(XeroFinishRefused):
    """Email, mark as sent or the online link asked for an invoice that is not approved."""


class XeroNoEmailAddress(XeroFinishRefused):
    """The invoice's contact has no email address in Xero."""


class XeroEmailLimitReached(XeroFinishRefused):
    """The organisation's daily limit of invoice emails is used up."""
