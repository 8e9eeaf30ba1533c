"""autotask layer (see docs/ARCHITECTURE.md): the httpx2 AutotaskClient and its typed errors."""

from depot_gui.autotask.client import DEFAULT_ZONE_ROOT, AutotaskClient
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
from depot_gui.autotask.models import AutotaskCredentials, Zone

__all__ = [
    "DEFAULT_ZONE_ROOT",
    "AutotaskAuthError",
    "AutotaskClient",
    "AutotaskCredentials",
    "AutotaskError",
    "AutotaskNetworkError",
    "AutotaskPermissionError",
    "AutotaskProtocolError",
    "AutotaskQueryError",
    "AutotaskRateLimited",
    "AutotaskServerError",
    "AutotaskZoneError",
    "Zone",
]
