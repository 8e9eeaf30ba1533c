"""Revenue by line of business: an Autotask line of business -> an option of a Xero tracking category.

Optional. Nothing here applies unless a tracking category was chosen in the mapping step; a line
whose option is missing (none chosen, or archived in Xero since) is sent without tracking and the
invoice carries a mapping warning, never a failed sync.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

ACTIVE = "ACTIVE"


@dataclass(frozen=True)
class TrackingCategory:
    """A Xero tracking category and the names of its active options."""

    name: str
    options: tuple[str, ...] = ()
    category_id: str = ""
    active: bool = True

    @classmethod
    def from_api(cls, d: dict[str, Any]) -> TrackingCategory:
        options = tuple(
            str(o.get("Name") or "") for o in d.get("Options") or []
            if isinstance(o, dict) and str(o.get("Status") or ACTIVE).upper() == ACTIVE and o.get("Name")
        )
        return cls(
            name=str(d.get("Name") or ""),
            options=options,
            category_id=str(d.get("TrackingCategoryID") or ""),
            active=str(d.get("Status") or ACTIVE).upper() == ACTIVE,
        )


def active_tracking(rows: list[dict[str, Any]]) -> dict[str, tuple[str, ...]]:
    """{active category name: its active option names} from ``GET /TrackingCategories``."""
    cats = (TrackingCategory.from_api(r) for r in rows if isinstance(r, dict))
    return {c.name: c.options for c in cats if c.active and c.name}


def _folded(names: tuple[str, ...], name: str) -> str | None:
    """The name as Xero spells it (Xero matches names case-insensitively), or None."""
    key = name.strip().casefold()
    return next((n for n in names if n.strip().casefold() == key), None)


def tracking_for(
    lob_id: int | None,
    label: str,
    category: str,
    option_by_lob: dict[int, str],
    active: dict[str, tuple[str, ...]] | None,
    warn: Callable[[str, str], None],
) -> tuple[tuple[str, str], ...]:
    """The (category, option) pairs for one line, warning (per kind, naming the line) when missing.

    ``active`` is what Xero says is active now (None: not read, the saved choice is trusted)."""
    if not category:
        return ()
    if active is not None:
        spelled = _folded(tuple(active), category)
        if spelled is None:
            warn(f"The Xero tracking category '{category}' is not active in Xero, so no line carries "
                 "tracking; choose another in the setup wizard's mapping step", label)
            return ()
        category = spelled
    if lob_id is None:
        warn(f"These lines have no Autotask line of business, so they are sent without a Xero "
             f"'{category}' option", label)
        return ()
    option = option_by_lob.get(lob_id, "").strip()
    if not option:
        warn(f"No Xero '{category}' option is chosen for the line of business of these lines, so they are "
             "sent without tracking; choose one in the setup wizard's mapping step", label)
        return ()
    if active is not None:
        spelled = _folded(active[category], option)
        if spelled is None:
            warn(f"The Xero '{category}' option '{option}' is archived or deleted in Xero, so these lines are "
                 "sent without tracking; choose another in the setup wizard's mapping step", label)
            return ()
        option = spelled
    return ((category, option),)
