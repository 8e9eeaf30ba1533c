"""Does the Autotask API user see every line of business? The evidence, read from the API itself."""

from __future__ import annotations

from depot_gui.autotask.errors import AutotaskError, AutotaskQueryError
from depot_gui.core.models import LobAccess

LOB_ENTITIES = ("Invoices", "BillingItems", "Companies", "BillingCodes", "Taxes")


def check_lob_access(autotask, username: str) -> LobAccess:
    """Does the API user see every line of business? Evidence from the API itself.

    1. entityInformation: userAccessForQuery of the invoicing entities (All/Restricted/None);
    2. active OrganizationalLevelAssociations (none: Organizational Structure not in use);
    3. the API user's Resources row, then its OrganizationalResources rows: none means all
       lines of business; otherwise every active association outside its set is hidden.
    A step that fails makes the whole check *unchecked* (``checked=False`` with the reason),
    never "all clear": a failed query is not evidence that nothing is hidden.
    """
    restricted_entities: list[str] = []
    try:
        return _check_lob_access(autotask, username, restricted_entities)
    except AutotaskError as exc:
        return LobAccess(
            checked=False, restricted_entities=tuple(restricted_entities),
            note=f"Autotask did not answer the check: {exc.user_message}",
        )


def _check_lob_access(autotask, username: str, restricted_entities: list[str]) -> LobAccess:
    for entity in LOB_ENTITIES:
        info = autotask.entity_information(entity)
        access = str(info.get("userAccessForQuery") or "All")
        if access != "All" or info.get("canQuery") is False:
            restricted_entities.append(f"{entity} ({access})")
    try:
        associations = autotask.query("OrganizationalLevelAssociations", [{"op": "exist", "field": "id"}])
    except AutotaskQueryError as exc:
        if not module_inactive(exc):
            raise
        # The module is switched off: read as "not in use" (reference §4.4 step 2, both readings).
        associations = []
    active = [a for a in associations if a.get("isActive", True)]
    if not active:
        return LobAccess(in_use=False, restricted_entities=tuple(restricted_entities))
    names = association_names(autotask, active)
    resources = autotask.query("Resources", [{"op": "eq", "field": "userName", "value": username}])
    if not resources:
        resources = autotask.query("Resources", [{"op": "eq", "field": "email", "value": username}])
    if not resources:
        return LobAccess(
            in_use=True,
            checked=False,
            restricted_entities=tuple(restricted_entities),
            note=f"The API user {username} was not found among Autotask resources, so its lines of business "
            "could not be checked.",
        )
    resource_id = int(resources[0]["id"])
    links = autotask.query("OrganizationalResources", [{"op": "eq", "field": "resourceID", "value": resource_id}])
    own = {int(x["organizationalLevelAssociationID"]) for x in links if x.get("organizationalLevelAssociationID")}
    if not own:
        return LobAccess(in_use=True, restricted=False, user_lobs=(), restricted_entities=tuple(restricted_entities))
    hidden = [a for a in active if int(a["id"]) not in own]
    return LobAccess(
        in_use=True,
        restricted=bool(hidden),
        user_lobs=tuple(names.get(i, f"#{i}") for i in sorted(own)),
        hidden=tuple(names[int(a["id"])] for a in hidden),
        hidden_ids=tuple(int(a["id"]) for a in hidden),
        restricted_entities=tuple(restricted_entities),
    )


_INACTIVE_WORDS = ("not enabled", "not active", "inactive", "disabled", "not in use", "not turned on")


def module_inactive(exc: AutotaskQueryError) -> bool:
    """Autotask said Organizational Structure is switched off (a 4xx naming it), as opposed to
    a failure of the query (5xx, timeouts, anything else): only the former reads as "not in use"."""
    text = f"{exc.detail or ''} {exc.user_message}".lower()
    return (exc.status or 0) < 500 and "organizational" in text and any(w in text for w in _INACTIVE_WORDS)


def association_names(autotask, associations: list[dict]) -> dict[int, str]:
    level1 = {int(x["id"]): str(x.get("name") or "") for x in autotask.query("OrganizationalLevel1s", [])}
    level2 = {int(x["id"]): str(x.get("name") or "") for x in autotask.query("OrganizationalLevel2s", [])}
    names = {}
    for a in associations:
        l1 = level1.get(int(a.get("organizationalLevel1ID") or 0), "")
        l2 = level2.get(int(a.get("organizationalLevel2ID") or 0), "")
        names[int(a["id"])] = " / ".join(p for p in (l1, l2) if p) or f"association {a['id']}"
    return names
