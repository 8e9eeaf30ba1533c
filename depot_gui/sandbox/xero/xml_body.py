"""Xero's XML request bodies (what pyxero sends), read into the same dicts the JSON path produces.

Xero has always accepted XML on PUT/POST: elements are named like the JSON keys, a single object is
``<Invoice>…</Invoice>``, several are ``<Invoices><Invoice>…</Invoice>…</Invoices>``, collections nest
as ``<LineItems><LineItem>…</LineItem></LineItems>`` and objects as ``<Contact><Name>…</Name></Contact>``.
Text is typed the way the JSON path types it: known numeric fields as ``Decimal`` (never float), known
flags as ``bool``, everything else as ``str``. Documents with a DTD or entity declarations are refused
before parsing, so no entity expansion (billion laughs, external entities) can reach the parser.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from decimal import Decimal, InvalidOperation

# Collections whose item element is not simply the collection name without its plural ending.
COLLECTIONS = {
    "Addresses": "Address", "Tracking": "TrackingCategory", "TrackingCategories": "TrackingCategory",
    "ContactPersons": "ContactPerson", "ContactGroups": "ContactGroup", "Phones": "Phone",
    "LineItems": "LineItem", "Allocations": "Allocation", "Payments": "Payment", "Prepayments": "Prepayment",
    "Overpayments": "Overpayment", "CreditNotes": "CreditNote", "Invoices": "Invoice", "Contacts": "Contact",
    "ValidationErrors": "ValidationError", "Warnings": "Warning", "Attachments": "Attachment",
    "Options": "Option", "SalesTrackingCategories": "SalesTrackingCategory",
    "PurchasesTrackingCategories": "PurchasesTrackingCategory", "TaxComponents": "TaxComponent",
}
NUMBERS = frozenset({
    "Quantity", "UnitAmount", "LineAmount", "TaxAmount", "DiscountRate", "DiscountAmount", "SubTotal",
    "TotalTax", "Total", "TotalDiscount", "AmountDue", "AmountPaid", "AmountCredited", "CurrencyRate",
    "RemainingCredit", "Amount", "AppliedAmount", "Rate", "EffectiveRate", "DisplayTaxRate", "Day",
})
FLAGS = frozenset({
    "IsSupplier", "IsCustomer", "HasAttachments", "HasErrors", "SentToContact", "IsDiscounted",
    "HasValidationErrors", "IncludeInEmails", "IsPrimary", "IsArchived", "IsCompound", "IsNonRecoverable",
    "CanApplyToAssets", "CanApplyToEquity", "CanApplyToExpenses", "CanApplyToLiabilities", "CanApplyToRevenue",
})
_FORBIDDEN = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


class XmlBodyError(ValueError):
    """The body is not XML the sandbox will read (malformed, or it declares a DTD or entities)."""


def read_xml(body: bytes, key: str) -> list:
    """The objects of an XML write body for resource ``key`` (plural, e.g. ``Invoices``).

    ``<Invoices><Invoice/>…</Invoices>`` gives each ``<Invoice>``; a bare ``<Invoice>`` gives one object.
    Raises :class:`XmlBodyError` for bad XML, a DTD/entity declaration or a root element of another resource.
    """
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise XmlBodyError("The request body is not valid UTF-8.") from exc
    # Checked on the decoded text, which is exactly what the parser is given (a str is always read as UTF-8,
    # whatever the XML declaration claims), so no other encoding can smuggle a declaration past this test.
    if _FORBIDDEN.search(text):
        raise XmlBodyError("DTDs and entity declarations are not allowed in the request body.")
    if not text.strip():
        raise XmlBodyError("The request body is empty.")
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        raise XmlBodyError(f"The request body is not valid XML ({exc}).") from exc
    item = singular(key)
    if root.tag.lower() == key.lower():
        return [_object(child) for child in root if child.tag.lower() == item.lower()]
    if root.tag.lower() == item.lower():
        return [_object(root)]
    raise XmlBodyError(f"Expected <{key}> or <{item}> as the root element, not <{root.tag}>.")


def singular(plural: str) -> str:
    """The item element of a collection element (``LineItems`` → ``LineItem``, ``Addresses`` → ``Address``)."""
    if plural in COLLECTIONS:
        return COLLECTIONS[plural]
    if plural.endswith("ies"):
        return plural[:-3] + "y"
    if plural.endswith(("sses", "xes")):
        return plural[:-2]
    return plural[:-1] if plural.endswith("s") else plural


def _object(elm: ET.Element) -> dict:
    """An element with child elements as a dict, children named like the JSON keys."""
    out: dict = {}
    for child in elm:
        out[child.tag] = _value(child)
    return out


def _value(elm: ET.Element) -> object:
    """One child element as the JSON path would have it."""
    tag = elm.tag
    children = list(elm)
    if _is_collection(tag, children):
        return [_object(c) if len(c) else _scalar(c.tag, c.text) for c in children]
    if children:
        return _object(elm)
    return _scalar(tag, elm.text)


def _is_collection(tag: str, children: list[ET.Element]) -> bool:
    """Whether ``tag`` holds a list: a known collection, or every child is its singular item element."""
    if tag in COLLECTIONS:
        return True
    item = singular(tag)
    return bool(children) and item != tag and all(c.tag == item for c in children)


def _scalar(tag: str, text: str | None) -> object:
    """Element text typed like JSON: Decimal for amounts, bool for flags, otherwise the string."""
    text = "" if text is None else text
    if tag in NUMBERS:
        try:
            value = Decimal(text.strip())
        except InvalidOperation:
            return text  # the resource reports "… is not a valid number" like it does for JSON
        return value if value.is_finite() else text
    if tag in FLAGS:
        low = text.strip().lower()
        if low in ("true", "false"):
            return low == "true"
    return text
