"""Xero contacts: lookup and find-or-create over one tenant's contacts, and the ``/Contacts`` resource."""

from __future__ import annotations

import uuid

from depot_gui.sandbox.clock import ms_date, naive_iso, parse_iso
from depot_gui.sandbox.http.messages import Request, Response
from depot_gui.sandbox.xero.wire import TRUE, element_error, not_found, simple_error

CONTACT_FIELDS = ("Name", "ContactNumber", "AccountNumber", "ContactStatus", "FirstName", "LastName",
                  "EmailAddress", "TaxNumber", "CompanyNumber", "DefaultCurrency", "Website", "Addresses",
                  "Phones", "ContactPersons", "AccountsReceivableTaxType", "AccountsPayableTaxType",
                  "SalesDefaultAccountCode", "PurchasesDefaultAccountCode", "PaymentTerms")

# maxLength of the Contact schema's text fields in Xero's OpenAPI spec (xero_accounting.yaml).
CONTACT_MAX_LENGTHS = {"ContactNumber": 50, "AccountNumber": 50, "Name": 255, "FirstName": 255, "LastName": 255,
                       "CompanyNumber": 50, "EmailAddress": 255, "TaxNumber": 50}


def too_long(el: dict, limits: dict[str, int]) -> list[str]:
    """Xero's messages for the text fields of ``el`` longer than the spec allows."""
    return [f"{key} must not be longer than {limit} characters; it has {len(el[key])}."
            for key, limit in limits.items() if isinstance(el.get(key), str) and len(el[key]) > limit]


class ContactBook:
    """Lookup and find-or-create over one tenant's contacts."""

    def __init__(self, tenant: dict, now) -> None:
        self.contacts: list[dict] = tenant["Contacts"]
        self.now = now

    def by_id(self, cid: str) -> dict | None:
        """Contact by ContactID."""
        return next((c for c in self.contacts if c["ContactID"].lower() == str(cid).lower()), None)

    def by_name(self, name: str, exclude: dict | None = None) -> dict | None:
        """Active contact by name (case-insensitive)."""
        key = str(name).strip().lower()
        return next((c for c in self.contacts if c is not exclude and c.get("ContactStatus") != "ARCHIVED"
                     and c["Name"].strip().lower() == key), None)

    def by_number(self, number: str, exclude: dict | None = None) -> dict | None:
        """Contact by ContactNumber."""
        return next((c for c in self.contacts if c is not exclude and c.get("ContactNumber")
                     and str(c["ContactNumber"]).lower() == str(number).lower()), None)

    def resolve(self, ref: dict) -> tuple[dict | None, dict | None, str | None]:
        """(found, to_create, error) for a document's Contact (ContactID, ContactNumber or Name)."""
        if ref.get("ContactID"):
            found = self.by_id(ref["ContactID"])
            if found is None:
                return None, None, f"The contact with ContactID '{ref['ContactID']}' could not be found."
            return found, None, None
        if ref.get("ContactNumber"):
            found = self.by_number(ref["ContactNumber"])
            if found is not None:
                return found, None, None
        name = ref.get("Name")
        if not name or not str(name).strip():
            return None, None, "A Contact must be specified for this type of transaction"
        found = self.by_name(name)
        if found is not None:
            return found, None, None
        long = too_long(ref, CONTACT_MAX_LENGTHS)
        if long:
            return None, None, " ".join(long)
        return None, self.new({k: ref[k] for k in CONTACT_FIELDS if k in ref}), None

    def new(self, fields: dict) -> dict:
        """A contact record not yet saved."""
        c = {"ContactID": str(uuid.uuid4()), "ContactStatus": "ACTIVE", "IsSupplier": False, "IsCustomer": False}
        c.update(fields)
        c["Name"] = str(c.get("Name", "")).strip()
        c["UpdatedDateUTC"] = naive_iso(self.now)
        return c

    def validate(self, el: dict, existing: dict | None) -> list[str]:
        """Xero's contact rules: a name, unique among active contacts; unique ContactNumber."""
        errors = too_long(el, CONTACT_MAX_LENGTHS)
        name = el.get("Name", existing.get("Name") if existing else None)
        if not name or not str(name).strip():
            errors.append("The contact name must be specified.")
        elif self.by_name(name, exclude=existing) is not None and el.get("ContactStatus", "ACTIVE") != "ARCHIVED":
            errors.append(f"The contact name {str(name).strip()} is already assigned to another contact. "
                          "The contact name must be unique across all active contacts.")
        number = el.get("ContactNumber")
        if number and self.by_number(number, exclude=existing) is not None:
            errors.append(f"The contact number {number} is already assigned to another contact.")
        if "ContactStatus" in el and el["ContactStatus"] not in ("ACTIVE", "ARCHIVED", "GDPRREQUEST"):
            errors.append(f"ContactStatus '{el['ContactStatus']}' is not valid.")
        return errors



class XeroContacts:
    """``/Contacts`` (mixed into :class:`~.xero_api.XeroAPI`)."""

    def render_contact(self, c: dict, summary: bool = False) -> dict:
        """A contact on the wire (``summary``: without addresses, phones, groups and persons)."""
        out = {"ContactID": c["ContactID"]}
        heavy = ("Addresses", "Phones", "ContactGroups", "ContactPersons")
        for k, v in c.items():
            if k not in ("ContactID", "UpdatedDateUTC") and not k.startswith("_") and not (summary and k in heavy):
                out[k] = v
        for k in () if summary else heavy:
            out.setdefault(k, [])
        out["UpdatedDateUTC"] = ms_date(parse_iso(c["UpdatedDateUTC"]))
        out["HasAttachments"] = False
        out["HasValidationErrors"] = False
        return out

    def contacts(self, req: Request, sub: str | None, books: dict, now) -> Response:
        """GET/PUT/POST ``/Contacts`` and ``/Contacts/{id}``."""
        book = ContactBook(books, now)
        if req.method == "GET":
            rows = books["Contacts"]
            if sub is not None:
                found = book.by_id(sub) if is_uuid(sub) else book.by_number(sub)
                if found is None:
                    return not_found()
                return Response.json(200, self.envelope("Contacts", [self.render_contact(found)], now))
            if (req.arg("includeArchived", ci=True) or "").lower() not in TRUE:
                rows = [c for c in rows if c.get("ContactStatus") != "ARCHIVED"]
            ids = self.csv(req, "IDs")
            if ids is not None:
                rows = [c for c in rows if c["ContactID"].lower() in ids]
            term = req.arg("searchTerm", ci=True)
            if term:
                t = term.lower()
                rows = [c for c in rows if any(t in str(c.get(k) or "").lower() for k in
                                               ("Name", "FirstName", "LastName", "ContactNumber", "EmailAddress"))]
            rows = self.modified_since(req, rows)
            rows = self.filter_where(req, rows, self.render_contact)
            rows = sorted(rows, key=lambda c: c["Name"].lower())
            rows = self.order(req, rows, self.render_contact)
            rows, pagination = self.page(req, rows)
            extra = {"pagination": pagination} if pagination else None
            summary = (req.arg("summaryOnly", ci=True) or "").lower() in TRUE
            out = [self.render_contact(c, summary) for c in rows]
            return Response.json(200, self.envelope("Contacts", out, now, extra))
        if req.method not in ("PUT", "POST"):
            return simple_error(405, 0, "MethodNotAllowed", f"{req.method} is not supported on Contacts.")
        elements, bad = self.elements(req, "Contacts")
        if bad:
            return bad
        if sub is not None:
            if req.method != "POST":
                return simple_error(405, 0, "MethodNotAllowed", "Use POST to update a contact.")
            for el in elements:
                if isinstance(el, dict):
                    el.setdefault("ContactID", sub)
        results, failures = [], []
        for el in elements:
            if not isinstance(el, dict):
                failures.append(element_error(el, ["The contact must be a JSON object."]))
                results.append(None)
                continue
            existing = None
            if req.method == "POST":
                if el.get("ContactID"):
                    existing = book.by_id(el["ContactID"])
                    if existing is None:
                        failures.append(element_error(el, [f"The contact with ContactID '{el['ContactID']}' "
                                                           "could not be found."]))
                        results.append(None)
                        continue
                elif el.get("ContactNumber"):
                    existing = book.by_number(el["ContactNumber"])
                if existing is None and el.get("Name"):
                    existing = book.by_name(el["Name"])
            errs = book.validate(el, existing)
            if errs:
                failures.append(element_error(el, errs))
                results.append(element_error(el, errs))
                continue
            fields = {k: el[k] for k in CONTACT_FIELDS if k in el}
            if existing is None:
                c = book.new(fields)
                books["Contacts"].append(c)
            else:
                existing.update(fields)
                existing["UpdatedDateUTC"] = naive_iso(now)
                c = existing
            results.append(self.render_contact(c))
        return self.write_result(req, "Contacts", results, failures, now)


def is_uuid(text: str) -> bool:
    """Whether ``text`` parses as a UUID."""
    try:
        uuid.UUID(text)
        return True
    except ValueError:
        return False
