"""Read Xero's tracking categories for a run, only when the mapping uses one (one call per run)."""

from __future__ import annotations

from depot_gui.core.tracking import active_tracking


def active_tracking_of(xero, category: str) -> dict[str, tuple[str, ...]] | None:
    """What is active in Xero now (for ``ReferenceData.tracking``), so an option archived since the
    mapping was chosen becomes a warning instead of a refused invoice. No call (None) without a category."""
    if not category:
        return None
    return active_tracking(xero.tracking_categories())
