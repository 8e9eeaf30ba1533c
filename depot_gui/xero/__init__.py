"""xero layer (see docs/ARCHITECTURE.md): XeroClient, OAuth (PKCE, rotation, loopback), errors."""

from depot_gui.xero.client import DEFAULT_API_ROOT, XeroClient
from depot_gui.xero.dates import parse_xero_date, parse_xero_datetime
from depot_gui.xero.errors import (
    XeroAuthError,
    XeroError,
    XeroForbiddenError,
    XeroLoginCancelled,
    XeroLoginError,
    XeroLoginTimeout,
    XeroNetworkError,
    XeroNotFoundError,
    XeroOutcomeUnknown,
    XeroProtocolError,
    XeroRateLimited,
    XeroServerError,
    XeroValidationError,
)

__all__ = [
    "DEFAULT_API_ROOT",
    "XeroAuthError",
    "XeroClient",
    "XeroError",
    "XeroForbiddenError",
    "XeroLoginCancelled",
    "XeroLoginError",
    "XeroLoginTimeout",
    "XeroNetworkError",
    "XeroNotFoundError",
    "XeroOutcomeUnknown",
    "XeroProtocolError",
    "XeroRateLimited",
    "XeroServerError",
    "XeroValidationError",
    "parse_xero_date",
    "parse_xero_datetime",
]
