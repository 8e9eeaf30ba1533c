"""Read Xero's tracking categories for a run, only when the mapping uses one (one call per run)."""

from __future__ import annotations

from depot_gui.core.mapping import MappingOverrides
from depot_gui.core.models import ReferenceData
from depot_gui.core.tracking import active_tracking


def load_tracking(xero, ref: ReferenceData, overrides: MappingOverrides) -> None:
    """Fill ``ref.tracking`` with what is active in Xero now, so an option archived since the
    mapping was chosen becomes a warning instead of a refused invoice. No call without a category."""
    if overrides.tracking_category:
        ref.tracking = active_tracking(xero.tracking_categories())
