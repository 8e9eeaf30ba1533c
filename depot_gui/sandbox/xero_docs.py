"""Xero invoices and credit notes: Xero's arithmetic, validation rules, status transitions, wire form."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from depot_gui.core.money import round2, round4, to_decimal

from .clock import day_start, ms_date, naive_iso, parse_any_date, parse_iso

ZERO = Decimal("0.00")
Q4 = Decimal("0.0001")
LINE_AMOUNT_TYPES = ("Exclusive", "Inclusive", "NoTax")
EDITABLE_STATUSES = ("DRAFT", "SUBMITTED")
TRANSITIONS = {
    "DRAFT": {"DRAFT", "SUBMITTED", "AUTHORISED", "DELETED"},
    "SUBMITTED": {"DRAFT", "SUBMITTED", "AUTHORISED", "DELETED"},
    "AUTHORISED": {"AUTHORISED", "VOIDED"},
    "PAID": {"PAID"},
    "VOIDED": {"VOIDED"},
    "DELETED": {"DELETED"},
}
CONTENT_KEYS = ("LineItems", "Contact", "Date", "LineAmountTypes", "CurrencyCode", "Type")


@dataclass
class Kind:
    """Invoice or credit note: the names that differ."""

    plural: str
    id_key: str
    number_key: str
    types: tuple
    number_prefix: str
    unique_message: str


INVOICE = Kind("Invoices", "InvoiceID", "InvoiceNumber", ("ACCPAY", "ACCREC"), "INV-", "Invoice # must be unique.")
CREDIT_NOTE = Kind("CreditNotes", "CreditNoteID", "CreditNoteNumber", ("ACCPAYCREDIT", "ACCRECCREDIT"), "CN-",
                   "Credit Note # must be unique.")


@dataclass
class Org:
    """What the builder needs from a tenant's books."""

    tenant: dict
    now: object
    unitdp: int = 2
    trusted: bool = False
    options: dict = field(default_factory=dict)

    def account(self, code: str) -> dict | None:
        """Account by code (case-insensitive)."""
        return next((a for a in self.tenant["Accounts"] if str(a.get("Code", "")).lower() == code.lower()), None)

    def tax_rate(self, tax_type: str) -> dict | None:
        """Tax rate by TaxType."""
        return next((t for t in self.tenant["TaxRates"] if t["TaxType"].upper() == tax_type.upper()), None)


def _num(value: object, what: str, errors: list[str]) -> Decimal | None:
    """A request number as Decimal (None when absent); records a validation error when not a number."""
    if value is None:
        return None
    try:
        if isinstance(value, bool):
            raise ValueError
        return to_decimal(value)
    except (ValueError, InvalidOperation):
        errors.append(f"The {what} value '{value}' is not a valid number.")
        return None


def _date(value: object, what: str, errors: list[str]) -> str | None:
    """A request date (YYYY-MM-DD, ISO or /Date(ms)/) as ``YYYY-MM-DD``."""
    if value in (None, ""):
        return None
    try:
        return parse_any_date(value).date().isoformat()
    except ValueError:
        errors.append(f"{what} '{value}' is not a valid date.")
        return None


def build_lines(lines_in: object, amount_types: str, doc_type: str, org: Org, errors: list[str],
                previous: list[dict] | None = None) -> list[dict]:
    """Normalise line items and compute LineAmount / TaxAmount exactly as Xero does."""
    if lines_in is None:
        return []
    if not isinstance(lines_in, list):
        errors.append("LineItems must be an array.")
        return []
    prev_ids = {str(p["LineItemID"]).lower() for p in previous or []}
    dp_q = Decimal(1).scaleb(-org.unitdp)
    out = []
    for raw in lines_in:
        if not isinstance(raw, dict):
            errors.append("Each line item must be an object.")
            continue
        q = _num(raw.get("Quantity"), "quantity", errors)
        u = _num(raw.get("UnitAmount"), "unit amount", errors)
        given = _num(raw.get("LineAmount"), "line amount", errors)
        dr = _num(raw.get("DiscountRate"), "discount rate", errors)
        da = _num(raw.get("DiscountAmount"), "discount amount", errors)
        desc = raw.get("Description")
        if q is None and u is None:
            if given is not None:
                q, u = Decimal(1), given
        elif q is None:
            q = (round4(given / u) if given is not None and u else Decimal(1))
        elif u is None:
            u = (given / q if given is not None and q else ZERO)
        line: dict = {"LineItemID": None, "Description": desc}
        if q is not None:
            q = round4(q)
            u = u.quantize(dp_q, rounding="ROUND_HALF_UP")  # type: ignore[union-attr]
            if q < 0:
                errors.append(f"The quantity value '{q}' is invalid. Quantity must not be less than zero.")
            gross = q * u
            if dr is not None and dr != 0:
                expected = round2(gross * (Decimal(100) - dr) / Decimal(100))
            elif da is not None and da != 0:
                expected = round2(gross - da)
            else:
                expected = round2(gross)
            if (dr or da) and doc_type != "ACCREC":
                errors.append("Discounts are only supported on sales invoices.")
            if da is not None and da == 0 and gross < 0:
                errors.append("The discount rate '0.00' is invalid. Discount must not be greater than the line total.")
            if given is not None and round2(given) != expected and not org.trusted:
                errors.append(f"The line total {round2(given)} does not match the expected line total {expected}")
            line.update({"Quantity": q, "UnitAmount": u, "LineAmount": expected})
            if dr is not None:
                line["DiscountRate"] = dr
            if da is not None:
                line["DiscountAmount"] = round2(da)
        else:
            if not desc:
                errors.append("Description needs to be specified for a line item.")
            line["LineAmount"] = ZERO
        code = raw.get("AccountCode")
        account = None
        if code not in (None, ""):
            account = org.account(str(code))
            if account is None:
                errors.append(f"Account code '{code}' is not a valid code for this document.")
            elif account.get("Status", "ACTIVE") != "ACTIVE":
                errors.append(f"Account code '{code}' has been archived, or deleted. Each line item must "
                              "reference a valid account.")
            if account is not None:
                line["AccountCode"] = account["Code"]
                line["AccountID"] = account["AccountID"]
        if raw.get("ItemCode"):
            line["ItemCode"] = raw["ItemCode"]
        tax_type = raw.get("TaxType") or (account or {}).get("TaxType")
        rate = ZERO
        if amount_types != "NoTax" and tax_type:
            tr = org.tax_rate(str(tax_type))
            if tr is None or tr.get("Status", "ACTIVE") != "ACTIVE":
                errors.append(f"The TaxType code '{tax_type}' does not exist or cannot be used for this type "
                              "of transaction.")
            else:
                rate = to_decimal(tr.get("EffectiveRate", tr.get("DisplayTaxRate", 0)))
                tax_type = tr["TaxType"]
        line["TaxType"] = tax_type if amount_types != "NoTax" else (tax_type or "NONE")
        la = line["LineAmount"]
        if amount_types == "Exclusive":
            line["TaxAmount"] = round2(la * rate / Decimal(100))
        elif amount_types == "Inclusive":
            line["TaxAmount"] = round2(la * rate / (Decimal(100) + rate))
        else:
            line["TaxAmount"] = ZERO
        line["Tracking"] = raw.get("Tracking") or []
        rid = raw.get("LineItemID")
        line["LineItemID"] = str(rid) if rid and str(rid).lower() in prev_ids else str(uuid.uuid4())
        out.append(line)
    return out


def totals(doc: dict) -> None:
    """SubTotal, TotalTax, Total, AmountDue from the lines (client-supplied totals are ignored)."""
    lines = doc["LineItems"]
    tax = sum((ln["TaxAmount"] for ln in lines), ZERO)
    amounts = sum((ln["LineAmount"] for ln in lines), ZERO)
    if doc["LineAmountTypes"] == "Inclusive":
        sub, total = amounts - tax, amounts
    else:
        sub, total = amounts, amounts + tax
    doc["SubTotal"], doc["TotalTax"], doc["Total"] = round2(sub), round2(tax), round2(total)
    discount = sum((round2(ln["Quantity"] * ln["UnitAmount"]) - ln["LineAmount"] for ln in lines
                    if "Quantity" in ln and ("DiscountRate" in ln or "DiscountAmount" in ln)), ZERO)
    doc["TotalDiscount"] = round2(discount)
    paid = doc.get("AmountPaid", ZERO)
    credited = doc.get("AmountCredited", ZERO)
    doc["AmountPaid"], doc["AmountCredited"] = paid, credited
    doc["AmountDue"] = round2(doc["Total"] - paid - credited)
    if doc.get("_kind") == "CreditNotes":
        doc["RemainingCredit"] = doc["AmountDue"]


def same_lines(a: list[dict], b: list[dict]) -> bool:
    """Whether two line lists carry the same content."""
    keys = ("Description", "Quantity", "UnitAmount", "LineAmount", "AccountCode", "TaxType", "ItemCode",
            "DiscountRate", "DiscountAmount")
    norm = lambda ls: [tuple(_canon(ln.get(k)) for k in keys) for ln in ls]  # noqa: E731
    return norm(a) == norm(b)


def _canon(v: object) -> object:
    """Comparable form (Decimals normalised)."""
    return v.normalize() if isinstance(v, Decimal) else v


def build_document(kind: Kind, el: object, existing: dict | None, org: Org, docs: list[dict],
                   contacts) -> tuple[dict | None, list[str], dict | None]:
    """Validate one element; returns (document, errors, contact to create)."""
    errors: list[str] = []
    if not isinstance(el, dict):
        return None, ["The document must be a JSON object."], None
    base = dict(existing) if existing else {}
    new_contact = None
    doc_type = el.get("Type", base.get("Type"))
    if doc_type not in kind.types:
        errors.append(f"{'Invoice' if kind is INVOICE else 'Credit Note'} Type must be specified"
                      if doc_type is None else f"Type '{doc_type}' is not valid for {kind.plural}.")
        doc_type = doc_type or kind.types[-1]
    status = str(el.get("Status") or base.get("Status") or "DRAFT").upper()
    old_status = base.get("Status")
    if existing is None:
        if status not in ("DRAFT", "SUBMITTED", "AUTHORISED") and not org.trusted:
            errors.append(f"The status '{status}' is not valid for a new document.")
    else:
        if status not in TRANSITIONS.get(old_status, set()):
            errors.append(f"{'Invoice' if kind is INVOICE else 'Credit note'} not of valid status for modification")
        if old_status not in EDITABLE_STATUSES:
            changed = [k for k in CONTENT_KEYS if k in el and k != "LineItems" and k != "Contact"
                       and _field_changed(k, el[k], base)]
            if changed:
                errors.append("This document cannot be edited as it has been approved; only DRAFT and SUBMITTED "
                              "documents can be changed.")
    # contact
    contact_in = el.get("Contact")
    contact = base.get("Contact")
    if contact_in is not None:
        if not isinstance(contact_in, dict):
            errors.append("Contact must be an object.")
        else:
            found, new_contact, err = contacts.resolve(contact_in)
            if err:
                errors.append(err)
            elif found is not None:
                contact = {"ContactID": found["ContactID"], "Name": found["Name"]}
            elif new_contact is not None:
                contact = {"ContactID": new_contact["ContactID"], "Name": new_contact["Name"]}
    if contact is None and not errors:
        errors.append("A Contact must be specified for this type of transaction")
    amount_types = el.get("LineAmountTypes", base.get("LineAmountTypes", "Exclusive"))
    if amount_types not in LINE_AMOUNT_TYPES:
        errors.append(f"LineAmountTypes '{amount_types}' is not valid; use Exclusive, Inclusive or NoTax.")
        amount_types = "Exclusive"
    if "LineItems" in el:
        lines = build_lines(el["LineItems"], amount_types, doc_type, org, errors, base.get("LineItems"))
        if existing is not None and old_status not in EDITABLE_STATUSES and not same_lines(lines, base["LineItems"]):
            errors.append("This document cannot be edited as it has been approved; only DRAFT and SUBMITTED "
                          "documents can be changed.")
            lines = base["LineItems"]
    else:
        lines = base.get("LineItems", [])
    doc = {k: v for k, v in base.items()}
    doc["_kind"] = kind.plural
    doc["_dp"] = max(org.unitdp, base.get("_dp", 2)) if "LineItems" not in el else org.unitdp
    doc["Type"] = doc_type
    doc[kind.id_key] = base.get(kind.id_key) or str(uuid.uuid4())
    doc["Contact"] = contact
    doc["Status"] = status
    doc["LineAmountTypes"] = amount_types
    doc["LineItems"] = lines
    date = _date(el.get("Date"), "Date", errors) if "Date" in el else None
    doc["Date"] = date or base.get("Date") or org.now.date().isoformat()
    if "DueDate" in el:
        doc["DueDate"] = _date(el.get("DueDate"), "Due Date", errors)
    else:
        doc.setdefault("DueDate", None)
    for key in ("Reference", "Url", "BrandingThemeID", "SentToContact", "ExpectedPaymentDate"):
        if key in el:
            doc[key] = el[key]
    currency = el.get("CurrencyCode", base.get("CurrencyCode")) or org.tenant["Organisation"]["BaseCurrency"]
    allowed = {org.tenant["Organisation"]["BaseCurrency"]} | {c["Code"] for c in org.tenant.get("Currencies", [])}
    if currency not in allowed:
        errors.append(f"Organisation is not subscribed to currency {currency}")
    doc["CurrencyCode"] = currency
    doc["CurrencyRate"] = to_decimal(el.get("CurrencyRate", base.get("CurrencyRate", 1)))
    number = el.get(kind.number_key, base.get(kind.number_key))
    if number in (None, "") and doc_type in ("ACCREC", "ACCRECCREDIT"):
        number = _next_number(kind, org, docs)
    if number is not None:
        number = str(number).strip()
    doc[kind.number_key] = number or ""
    if doc_type in ("ACCREC", "ACCRECCREDIT") and number and status != "DELETED":
        for other in docs:
            if (other is not existing and other[kind.id_key] != doc[kind.id_key] and other.get("Type") == doc_type
                    and other.get("Status") != "DELETED"
                    and str(other.get(kind.number_key, "")).lower() == number.lower()):
                errors.append(kind.unique_message)
                break
    doc.setdefault("AmountPaid", ZERO)
    doc.setdefault("AmountCredited", ZERO)
    totals(doc)
    if doc["Total"] < 0 and status not in ("DRAFT", "DELETED") and not org.trusted and not errors:
        errors.append("The document total cannot be negative. Only draft documents may have a negative total; "
                      "use a credit note instead.")
    if (status == "AUTHORISED" and kind is INVOICE and not doc.get("DueDate") and not org.trusted
            and org.options.get("require_due_date_to_approve", True)):
        errors.append("Due Date is required for an approved invoice.")
    if status == "VOIDED" and doc.get("AmountPaid"):
        errors.append("Payments must be removed before the invoice can be voided.")
    doc["UpdatedDateUTC"] = naive_iso(org.now)
    doc.setdefault("SentToContact", False)
    return doc, errors, new_contact


def _field_changed(key: str, value: object, base: dict) -> bool:
    """Whether a header field in an update differs from the stored one."""
    old = base.get(key)
    if key == "Date":
        try:
            return parse_any_date(value).date().isoformat() != old
        except ValueError:
            return True
    return value != old


def _next_number(kind: Kind, org: Org, docs: list[dict]) -> str:
    """The organisation's next automatic number (INV-0001...)."""
    counters = org.tenant.setdefault("counters", {})
    used = {str(d.get(kind.number_key, "")).lower() for d in docs}
    n = counters.get(kind.plural, 0)
    while True:
        n += 1
        candidate = f"{kind.number_prefix}{n:04d}"
        if candidate.lower() not in used:
            counters[kind.plural] = n
            return candidate


def xero_date(value: str | None) -> tuple[str | None, str | None]:
    """(``/Date(ms+0000)/``, ``YYYY-MM-DDT00:00:00``) for a stored date."""
    if not value:
        return None, None
    dt = parse_iso(value) if "T" in value else day_start(parse_any_date(value).date())
    return ms_date(dt), naive_iso(dt)


def render_contact_ref(contact: dict | None, contacts_by_id: dict) -> dict:
    """The Contact object embedded in a document."""
    if not contact:
        return {}
    full = contacts_by_id.get(str(contact.get("ContactID", "")).lower())
    out = {"ContactID": contact["ContactID"], "Name": (full or contact).get("Name")}
    if full:
        for k in ("ContactNumber", "AccountNumber", "ContactStatus", "EmailAddress"):
            if full.get(k) is not None:
                out[k] = full[k]
    out.update({"Addresses": [], "Phones": [], "ContactGroups": [], "ContactPersons": [],
                "HasValidationErrors": False})
    return out


def render_document(kind: Kind, doc: dict, unitdp: int, contacts_by_id: dict, summary: bool = False) -> dict:
    """A stored invoice / credit note in Xero's JSON form."""
    dp_q = Decimal(1).scaleb(-unitdp)
    out: dict = {"Type": doc["Type"]}
    out[kind.id_key] = doc[kind.id_key]
    out[kind.number_key] = doc.get(kind.number_key, "")
    if doc.get("Reference") is not None:
        out["Reference"] = doc["Reference"]
    out["Payments"] = []
    if kind is INVOICE:
        out.update({"CreditNotes": [], "Prepayments": [], "Overpayments": []})
    else:
        out["Allocations"] = []
    out["AmountDue"] = doc["AmountDue"]
    out["AmountPaid"] = doc["AmountPaid"]
    if kind is INVOICE:
        out["AmountCredited"] = doc["AmountCredited"]
    else:
        out["RemainingCredit"] = doc.get("RemainingCredit", doc["AmountDue"])
    out["CurrencyRate"] = doc.get("CurrencyRate", Decimal(1))
    out["IsDiscounted"] = bool(doc.get("TotalDiscount"))
    out["HasAttachments"] = False
    out["HasErrors"] = False
    out["Contact"] = render_contact_ref(doc.get("Contact"), contacts_by_id)
    out["Date"], out["DateString"] = xero_date(doc.get("Date"))
    if doc.get("DueDate"):
        out["DueDate"], out["DueDateString"] = xero_date(doc["DueDate"])
    out["Status"] = doc["Status"]
    out["LineAmountTypes"] = doc["LineAmountTypes"]
    if not summary:
        lines = []
        for ln in doc["LineItems"]:
            r = {"LineItemID": ln["LineItemID"]}
            if ln.get("Description") is not None:
                r["Description"] = ln["Description"]
            if "Quantity" in ln:
                r["Quantity"] = ln["Quantity"]
                r["UnitAmount"] = ln["UnitAmount"].quantize(dp_q, rounding="ROUND_HALF_UP")
            for k in ("ItemCode", "AccountCode", "AccountID", "TaxType"):
                if ln.get(k) is not None:
                    r[k] = ln[k]
            r["TaxAmount"] = ln["TaxAmount"]
            r["LineAmount"] = ln["LineAmount"]
            for k in ("DiscountRate", "DiscountAmount"):
                if k in ln:
                    r[k] = ln[k]
            r["Tracking"] = ln.get("Tracking") or []
            lines.append(r)
        out["LineItems"] = lines
    out["SubTotal"] = doc["SubTotal"]
    out["TotalTax"] = doc["TotalTax"]
    out["Total"] = doc["Total"]
    if doc.get("TotalDiscount"):
        out["TotalDiscount"] = doc["TotalDiscount"]
    out["UpdatedDateUTC"] = ms_date(parse_iso(doc["UpdatedDateUTC"]))
    out["CurrencyCode"] = doc["CurrencyCode"]
    for k in ("Url", "BrandingThemeID", "SentToContact"):
        if doc.get(k) is not None:
            out[k] = doc[k]
    return out


def storable(doc: dict) -> dict:
    """A document without the sandbox's private keys (for ``state()``)."""
    return {k: v for k, v in doc.items() if not k.startswith("_")}
