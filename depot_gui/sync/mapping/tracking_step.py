"""Mapping step, optional part: Autotask lines of business -> a Xero tracking category's options.

The lines of business are the active OrganizationalLevelAssociations named "Level1 / Level2" (as
the line-of-business check names them); the options come from the organisation's
``GET /TrackingCategories``. Saved as one setting (``K_MAPPING_TRACKING``, JSON).
"""

from __future__ import annotations

import json

from depot_gui.autotask.errors import AutotaskQueryError
from depot_gui.core.tracking import TrackingCategory

from depot_gui.sync.lines_of_business.access import association_names, module_inactive

NO_CATEGORY = ""  # the default: no tracking is sent


def load_lines_of_business(autotask) -> dict[int, str]:
    """{association id: "Level1 / Level2"} of the active lines of business, by name ({} when
    Organizational Structure is not in use or switched off)."""
    try:
        rows = autotask.query("OrganizationalLevelAssociations", [{"op": "exist", "field": "id"}])
    except AutotaskQueryError as exc:
        if not module_inactive(exc):
            raise
        return {}
    active = [a for a in rows if a.get("isActive", True)]
    if not active:
        return {}
    names = association_names(autotask, active)
    return dict(sorted(names.items(), key=lambda kv: (kv[1].casefold(), kv[0])))


def load_tracking_categories(xero) -> list[TrackingCategory]:
    """The organisation's active tracking categories with their active options, by name."""
    cats = [TrackingCategory.from_api(r) for r in xero.tracking_categories() if isinstance(r, dict)]
    return sorted((c for c in cats if c.active and c.name), key=lambda c: c.name.casefold())


def proposed_option(line_name: str, options: tuple[str, ...]) -> str:
    """The option named like the line of business (its whole name, else its last part), or ""."""
    wanted = [line_name] + [p for p in reversed(line_name.split(" / ")) if p]
    folded = {o.strip().casefold(): o for o in options}
    return next((folded[w.strip().casefold()] for w in wanted if w.strip().casefold() in folded), "")


def check_tracking(
    category: str, options: dict[int, str], lines: dict[int, str], categories: list[TrackingCategory]
) -> tuple[list[str], list[str]]:
    """(errors that block saving, warnings) for the chosen category and options."""
    if not category:
        return [], []
    found = next((c for c in categories if c.name == category), None)
    if found is None:
        return [f"Tracking category '{category}' is not an active Xero tracking category: choose another "
                "or None."], []
    errors, warnings = [], []
    for lob_id, name in lines.items():
        chosen = options.get(lob_id, "")
        if not chosen:
            warnings.append(f"Line of business '{name}' has no '{category}' option: its lines will be sent "
                            "without tracking.")
        elif chosen not in found.options:
            errors.append(f"Line of business '{name}': '{chosen}' is not an active option of '{category}'.")
    return errors, warnings


def tracking_setting(category: str, options: dict[int, str]) -> str:
    """The saved form: the category and the chosen options (nothing when no category)."""
    chosen = {str(k): v for k, v in sorted(options.items()) if v} if category else {}
    return json.dumps({"category": category, "options": chosen})


def read_tracking_setting(raw: str | None) -> tuple[str, dict[int, str]]:
    """(category, {association id: option}) from the saved setting; ("", {}) when none or unreadable."""
    try:
        value = json.loads(raw or "{}")
    except ValueError:
        return NO_CATEGORY, {}
    if not isinstance(value, dict) or not isinstance(value.get("category"), str):
        return NO_CATEGORY, {}
    options: dict[int, str] = {}
    raw_options = value.get("options")
    for k, v in (raw_options.items() if isinstance(raw_options, dict) else ()):
        try:
            options[int(k)] = str(v)
        except (TypeError, ValueError):
            continue
    category = value["category"].strip()
    return category, (options if category else {})
