"""Xero invoices and credit notes: Xero's arithmetic, validation rules, status transitions, wire form."""

from __future__ import annotations

import uuid
from decimal import Decimal

from depot_gui.sandbox.clock import naive_iso, parse_any_date
from depot_gui.sandbox.xero.document_wire import CREDIT_NOTE, INVOICE, Kind, render_contact_ref, render_document, storable, xero_date
from depot_gui.sandbox.xero.lines import Q4, ZERO, Org, canon, num, build_lines, same_lines, totals
from depot_gui.sandbox.xero.numbers import parse_number

__all__ = ["CONTENT_KEYS", "CREDIT_NOTE", "EDITABLE_STATUSES", "INVOICE", "LINE_AMOUNT_TYPES", "Q4", "TRANSITIONS",
           "ZERO", "Kind", "Org", "build_document", "build_lines", "render_contact_ref", "render_document",
           "same_lines", "storable", "totals", "xero_date", "canon", "num"]

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
INVOICE_NUMBER_MAX = 255  # Invoice.InvoiceNumber maxLength in Xero's OpenAPI spec
CONTENT_KEYS = ("LineItems", "Contact", "Date", "LineAmountTypes", "CurrencyCode", "Type")


def _date(value: object, what: str, errors: list[str]) -> str | None:
    """A request date (YYYY-MM-DD, ISO or /Date(ms)/) as ``YYYY-MM-DD``."""
    if value in (None, ""):
        return None
    try:
        return parse_any_date(value).date().isoformat()
    except ValueError:
        errors.append(f"{what} '{value}' is not a valid date.")
        return None


def numbers_of(kind: Kind, docs: list[dict]) -> dict[str, list[dict]]:
    """The documents by number (lower case), for :func:`build_document`'s uniqueness check."""
    found: dict[str, list[dict]] = {}
    for d in docs:
        found.setdefault(str(d.get(kind.number_key, "")).lower(), []).append(d)
    return found


def build_document(kind: Kind, el: object, existing: dict | None, org: Org, docs: list[dict],
                   contacts, numbers: dict[str, list[dict]] | None = None) -> tuple[dict | None, list[str], dict | None]:
    """Validate one element; returns (document, errors, contact to create). ``numbers``: ``docs`` by
    number (:func:`numbers_of`), so a batch does not compare each document with every other."""
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
    if el.get("SentToContact") is True and status not in ("AUTHORISED", "PAID") and not org.trusted:
        errors.append("SentToContact can only be set on an approved invoice.")
    doc["CurrencyCode"], doc["CurrencyRate"] = _currency(el, base, org, errors)
    number = el.get(kind.number_key, base.get(kind.number_key))
    if number in (None, "") and doc_type in ("ACCREC", "ACCRECCREDIT"):
        number = _next_number(kind, org, docs)
    if number is not None:
        number = str(number).strip()
        if kind is INVOICE and len(number) > INVOICE_NUMBER_MAX:
            errors.append(f"InvoiceNumber must not be longer than {INVOICE_NUMBER_MAX} characters; it has "
                          f"{len(number)}.")
    doc[kind.number_key] = number or ""
    if doc_type in ("ACCREC", "ACCRECCREDIT") and number and status != "DELETED":
        for other in (numbers.get(number.lower(), ()) if numbers is not None else docs):
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


def _currency(el: dict, base: dict, org: Org, errors: list[str]) -> tuple[str, object]:
    """(CurrencyCode, CurrencyRate): the base currency at rate 1, or one the organisation added.

    A currency the organisation has not added is refused, as Xero does. For an added one, a
    ``CurrencyRate`` sent is kept (it must be a positive number); without one the document keeps its
    rate, or takes the day's rate (the scenario's ``Rate`` for that currency, else 1).
    """
    home = org.tenant["Organisation"]["BaseCurrency"]
    added = {c["Code"]: c for c in org.tenant.get("Currencies", [])}
    currency = el.get("CurrencyCode", base.get("CurrencyCode")) or home
    if not isinstance(currency, str):
        errors.append(f"CurrencyCode {currency!r} is not a currency code.")
        return home, Decimal(1)
    if currency == home:
        return currency, Decimal(1)
    if currency not in added:
        errors.append(f"Organisation is not subscribed to currency {currency}")
        return currency, Decimal(1)
    sent = el.get("CurrencyRate")
    if sent in (None, ""):
        kept = base.get("CurrencyRate") if base.get("CurrencyCode") == currency else None
        return currency, kept if kept is not None else parse_number(added[currency].get("Rate", 1))
    try:
        rate = parse_number(sent)
    except ValueError:
        rate = Decimal(0)
    if rate <= 0:
        errors.append(f"CurrencyRate {sent} is not valid; it must be a number greater than zero.")
        return currency, Decimal(1)
    return currency, rate


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
