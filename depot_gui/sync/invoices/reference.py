"""Download what the mapping needs (both sides) and the line-of-business evidence."""

from __future__ import annotations

from depot_gui.autotask.errors import AutotaskError, AutotaskQueryError
from depot_gui.core.models import (
    AutotaskTax,
    BillingCode,
    Company,
    LobAccess,
    ReferenceData,
    XeroAccount,
    XeroContact,
    XeroTaxRate,
)

LOB_ENTITIES = ("Invoices", "BillingItems", "Companies", "BillingCodes", "Taxes")


def load_reference(autotask, xero, company_ids: set[int], cache=None) -> ReferenceData:
    """Companies of these invoices, billing codes, taxes; Xero accounts and tax rates.

    With ``cache`` (a ``XeroCache``) the Xero side comes from the store, refreshed by what changed."""
    ref = ReferenceData()
    if company_ids:
        for c in autotask.query_in("Companies", "id", sorted(company_ids)):
            company = Company.from_api(c)
            ref.companies[company.id] = company
    for c in autotask.query("BillingCodes", []):
        code = BillingCode.from_api(c)
        ref.billing_codes[code.id] = code
    ref.taxes = [AutotaskTax.from_api(t) for t in autotask.query("Taxes", [])]
    if any(c.tax_region_id is None for c in ref.companies.values()):
        ref.tax_regions = {int(r["id"]): str(r.get("name") or "") for r in autotask.query("TaxRegions", [])}
    ref.accounts = [XeroAccount.from_api(a) for a in (cache.accounts() if cache else xero.accounts())]
    ref.tax_rates = [XeroTaxRate.from_api(t) for t in (cache.tax_rates() if cache else xero.tax_rates())]
    return ref


def load_contacts(xero, ref: ReferenceData, cache=None) -> None:
    """Look up the Xero contacts for the invoices' companies (by name and account number).

    With ``cache`` it is the organisation's whole contact directory, kept by one "changed
    since" call an audit once read (so close names can be offered, see core.contacts)."""
    if cache is not None:  # the whole directory: exact matches, close names and chosen contacts
        ref.contacts = [XeroContact.from_api(c) for c in cache.directory()]
        ref.contacts_complete = True
        return
    seen: set[str] = set()
    found: dict[str, XeroContact] = {}
    for company in ref.companies.values():
        for kind, value in (("name", company.name), ("account_number", company.number)):
            if not value or (kind, value) in seen:
                continue
            seen.add((kind, value))  # type: ignore[arg-type]
            for c in xero.find_contacts(**{kind: value}):
                contact = XeroContact.from_api(c)
                found[contact.contact_id] = contact
            if found and kind == "name":
                break
    ref.contacts = list(found.values())


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
    names = _association_names(autotask, active)
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


def _association_names(autotask, associations: list[dict]) -> dict[int, str]:
    level1 = {int(x["id"]): str(x.get("name") or "") for x in autotask.query("OrganizationalLevel1s", [])}
    level2 = {int(x["id"]): str(x.get("name") or "") for x in autotask.query("OrganizationalLevel2s", [])}
    names = {}
    for a in associations:
        l1 = level1.get(int(a.get("organizationalLevel1ID") or 0), "")
        l2 = level2.get(int(a.get("organizationalLevel2ID") or 0), "")
        names[int(a["id"])] = " / ".join(p for p in (l1, l2) if p) or f"association {a['id']}"
    return names


def find_in_xero(xero, numbers: list[str]) -> dict[str, list[dict]]:
    """Every Xero sales invoice and credit note under each number (invoices first), deleted ones
    left out. Which of them is ours is for ``core.ownership`` to say, not the number."""
    if not numbers:
        return {}
    found: dict[str, list[dict]] = {}
    for inv in xero.invoices_by_number(numbers):
        if inv.get("Status") != "DELETED" and inv.get("Type", "ACCREC") == "ACCREC":
            found.setdefault(str(inv.get("InvoiceNumber")), []).append(inv)
    for note in xero.credit_notes_by_number(numbers):
        if note.get("Status") != "DELETED":
            found.setdefault(str(note.get("CreditNoteNumber")), []).append(note)
    return found
