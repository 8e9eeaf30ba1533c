"""Xero tracking categories: seeded from the scenario, served by ``GET /TrackingCategories``,
and a line item's ``Tracking`` checked as Xero does (an active category and option, at most 2)."""

from __future__ import annotations

import uuid

MAX_PER_LINE = 2


def seed_categories(rows: list[dict], tid: str) -> list[dict]:
    """The scenario's categories with Xero's defaults (ids derived from the names, Status ACTIVE)."""
    out = []
    for c in rows:
        cat = {"TrackingCategoryID": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{tid}/tracking/{c['Name']}")),
               "Status": "ACTIVE"}
        cat.update({k: v for k, v in c.items() if k != "Options"})
        cat["Options"] = []
        for o in c.get("Options", []):
            opt = {"TrackingOptionID": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{tid}/tracking/{c['Name']}/{o['Name']}")),
                   "Status": "ACTIVE"}
            opt.update(o)
            opt["TrackingCategoryID"] = cat["TrackingCategoryID"]
            cat["Options"].append(opt)
        out.append(cat)
    return out


def listed(categories: list[dict], include_archived: bool) -> list[dict]:
    """What ``GET /TrackingCategories`` answers: active categories with their active options, unless
    ``includeArchived=true`` (then everything)."""
    if include_archived:
        return categories
    return [dict(c, Options=[o for o in c["Options"] if o.get("Status", "ACTIVE") == "ACTIVE"])
            for c in categories if c.get("Status", "ACTIVE") == "ACTIVE"]


def _find(rows: list[dict], id_key: str, id_value: object, name: object) -> dict | None:
    if id_value:
        return next((r for r in rows if str(r.get(id_key, "")).lower() == str(id_value).lower()), None)
    return next((r for r in rows if str(r.get("Name", "")).strip().lower() == str(name or "").strip().lower()), None)


def line_tracking(raw: object, categories: list[dict], errors: list[str], trusted: bool = False) -> list[dict]:
    """A line's ``Tracking`` as Xero keeps it (both ids and both names); records a validation error
    for anything that is not an active category with an active option of it."""
    if raw in (None, []):
        return []
    if not isinstance(raw, list):
        errors.append("Tracking must be an array.")
        return []
    if trusted:  # seeded documents are kept as the scenario gives them
        return [dict(t) for t in raw if isinstance(t, dict)]
    if len(raw) > MAX_PER_LINE:
        errors.append(f"A line item can have at most {MAX_PER_LINE} tracking categories.")
        return []
    out: list[dict] = []
    for t in raw:
        if not isinstance(t, dict):
            errors.append("Each tracking entry must be an object.")
            continue
        shown = t.get("Name") or t.get("TrackingCategoryID") or ""
        cat = _find(categories, "TrackingCategoryID", t.get("TrackingCategoryID"), t.get("Name"))
        if cat is None or cat.get("Status", "ACTIVE") != "ACTIVE":
            errors.append(f"The tracking category '{shown}' does not exist or has been archived.")
            continue
        option_shown = t.get("Option") or t.get("TrackingOptionID") or ""
        opt = _find(cat.get("Options", []), "TrackingOptionID", t.get("TrackingOptionID"), t.get("Option"))
        if opt is None or opt.get("Status", "ACTIVE") != "ACTIVE":
            errors.append(f"The tracking option '{option_shown}' does not exist or has been archived in the "
                          f"tracking category '{cat['Name']}'.")
            continue
        if any(o["TrackingCategoryID"] == cat["TrackingCategoryID"] for o in out):
            errors.append(f"A line item can have only one option of the tracking category '{cat['Name']}'.")
            continue
        out.append({"TrackingCategoryID": cat["TrackingCategoryID"], "TrackingOptionID": opt["TrackingOptionID"],
                    "Name": cat["Name"], "Option": opt["Name"]})
    return out
