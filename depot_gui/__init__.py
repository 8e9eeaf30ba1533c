"""Depot GUI: Autotask PSA invoices into Xero, one at a time, totals checked."""

from importlib.metadata import PackageNotFoundError, version


def _version() -> str:
    """The one version: pyproject.toml's, as installed (wheel, editable or frozen bundle metadata)."""
    try:
        return version("depot-gui")
    except PackageNotFoundError:  # a bare source tree that was never installed
        return "0.0.0+unknown"


__version__ = _version()
APP_NAME = "Depot GUI"
APP_ID = "depot-gui"
