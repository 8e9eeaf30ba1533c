"""Xero invoices and credit notes on the wire: the names that differ per kind, and the JSON form."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from depot_gui.sandbox.clock import day_start, ms_date, naive_iso, parse_any_date, parse_iso


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
    out["Payments"] = [{"PaymentID": p["PaymentID"], "Date": xero_date(p["Date"])[0], "Amount": p["Amount"],
                        "Reference": p.get("Reference", ""), "CurrencyRate": doc.get("CurrencyRate", Decimal(1)),
                        "HasAccount": False,
                        "HasValidationErrors": False} for p in doc.get("Payments") or []]
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
    out["HasAttachments"] = bool(doc.get("HasAttachments"))
    out["HasErrors"] = False
    out["Contact"] = render_contact_ref(doc.get("Contact"), contacts_by_id)
    out["Date"], out["DateString"] = xero_date(doc.get("Date"))
    if doc.get("DueDate"):
        out["DueDate"], out["DueDateString"] = xero_date(doc["DueDate"])
    out["Status"] = doc["Status"]
    if doc.get("FullyPaidOnDate"):
        out["FullyPaidOnDate"] = xero_date(doc["FullyPaidOnDate"])[0]
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
