"""Depot GUI: Autotask PSA invoices into Xero, one at a time, totals checked."""

from __future__ import annotations

from functools import lru_cache

APP_NAME = "Depot GUI"
APP_ID = "depot-gui"


@lru_cache(maxsize=1)
def version() -> str:
    """The one version: pyproject.toml's, as installed (wheel, editable or frozen bundle metadata).

    Looked up when first asked, never at import: importlib.metadata and the scan of the installed
    packages cost ~60-200 ms of the window's start-up (issue 22).
    """
    from importlib.metadata import PackageNotFoundError, version as installed_version

    try:
        return installed_version("depot-gui")
    except PackageNotFoundError:  # a bare source tree that was never installed
        return "0.0.0+unknown"


def __getattr__(name: str) -> str:
    """``depot_gui.__version__``, computed on first use (PEP 562)."""
    if name == "__version__":
        return version()
    raise AttributeError(f"module 'depot_gui' has no attribute {name!r}")
