"""Typed Autotask errors; each carries a one-sentence ``user_message`` and never a secret."""

from __future__ import annotations

from depot_gui.core.errors import ServiceError


class AutotaskError(ServiceError):
    """Base class: ``user_message`` says what went wrong and what to do."""

    default_message = "Autotask returned an error: try again, and report it if it keeps happening."


class AutotaskAuthError(AutotaskError):
    """The API user's credentials or integration code were refused."""

    default_message = (
        "Autotask refused the API user's credentials: check the username, secret and integration code."
    )
    integration_code_message = (
        "Autotask rejected the API integration code (tracking identifier): check the "
        "integration code shown on the API user's page in Autotask."
    )


class AutotaskZoneError(AutotaskError):
    """zoneInformation could not place the API user in a zone."""

    default_message = (
        "Autotask does not recognise this API username: check the API username "
        "(the API user's 'Username (key)', shaped like an email address)."
    )


class AutotaskPermissionError(AutotaskError):
    """The API user's security level does not allow the call."""

    default_message = (
        "The Autotask API user is not allowed to do this: give its security level access "
        "in Autotask (Admin › Security Levels)."
    )


class AutotaskRateLimited(AutotaskError):
    """Request threshold or thread limit still exceeded after waiting."""

    default_message = "Autotask's API request limit is used up for now: wait a few minutes and try again."


class AutotaskServerError(AutotaskError):
    """Autotask kept answering with a gateway/unavailable error."""

    default_message = "Autotask is not responding properly right now: try again in a few minutes."


class AutotaskNetworkError(AutotaskError):
    """The request never got an HTTP answer (DNS, connect, TLS, timeout)."""

    default_message = "Could not reach Autotask. Check the internet connection or proxy."


class AutotaskProtocolError(AutotaskError):
    """The answer was not what the Autotask API documents (bad JSON, foreign paging URL...)."""

    default_message = (
        "Autotask sent a response Depot GUI could not understand: try again, and report it "
        "if it keeps happening."
    )


class AutotaskQueryError(AutotaskError):
    """Autotask rejected the request itself (bad filter, unknown field, validation)."""

    default_message = "Autotask rejected the request: report this to support with the diagnostics."
