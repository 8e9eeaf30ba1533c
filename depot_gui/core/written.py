"""What Xero holds against what Depot GUI sent: the check of every answer, and a draft's edits.

``answer_problem`` decides whether an answer (or a read) shows the write that was made: a
live document (not deleted, not voided, not one we know was deleted since), with our mark at
the start of ``Reference``, the number sent, and the lines sent. Anything else is not success.

``differences`` names, line by line and field by field, how Xero's document differs from the
lines Autotask gives (Xero's value, Autotask's value): what an edit in Xero changed.
Pure: no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from depot_gui.core.money import to_decimal
from depot_gui.core.ownership import is_ours, ownership_mark

GONE = ("DELETED", "VOIDED")
FIELDS = (("Description", "description"), ("Quantity", "quantity"), ("UnitAmount", "unit price"),
          ("AccountCode", "account"), ("TaxType", "tax rate"))


def doc_id(doc: dict) -> str:
    return str(doc.get("InvoiceID") or doc.get("CreditNoteID") or "")


def doc_number(doc: dict) -> str:
    return str(doc.get("InvoiceNumber") or doc.get("CreditNoteNumber") or "")


def _value(field: str, line: dict) -> str:
    raw = line.get(field)
    if field in ("Quantity", "UnitAmount"):
        return f"{to_decimal(raw).normalize():f}" if raw is not None else ""
    return str(raw or "").strip()


def content(lines: list[dict]) -> list[tuple[str, ...]]:
    """Comparable content of line items (order kept out: Xero may list them its own way)."""
    return sorted(tuple(_value(f, ln) for f, _ in FIELDS) for ln in lines)


def answer_problem(doc: dict | None, sent: dict, autotask_id: int, gone_ids: tuple[str, ...] = ()) -> str:
    """Why Xero's answer does not show the write that was sent ('' when it does)."""
    if not doc:
        return "Xero's answer holds no document"
    status = str(doc.get("Status") or "")
    if status in GONE:
        return f"Xero shows the document as {status.lower()}"
    if doc_id(doc) and doc_id(doc) in gone_ids:
        return "Xero answered with a document that was deleted since (an earlier answer, replayed)"
    if not is_ours(doc, autotask_id):
        return f"its Reference does not start with '{ownership_mark(autotask_id)}'"
    number = str(sent.get("InvoiceNumber") or sent.get("CreditNoteNumber") or "")
    if number and doc_number(doc) != number:
        return f"Xero holds it under the number {doc_number(doc) or '(none)'}, not {number}"
    if doc.get("LineItems") is not None and content(doc["LineItems"]) != content(sent.get("LineItems") or []):
        return "its lines are not the lines that were sent"
    return ""


@dataclass(frozen=True)
class Difference:
    """One way Xero's document differs from Autotask: line number (1-based, 0 = the invoice)."""

    line: int
    field: str
    xero: str
    autotask: str

    def text(self) -> str:
        where = f"line {self.line}" if self.line else "the invoice"
        return f"{where} {self.field}: Xero {self.xero or '(none)'}, Autotask {self.autotask or '(none)'}"

    def to_json(self) -> dict[str, Any]:
        return {"line": self.line, "field": self.field, "xero": self.xero, "autotask": self.autotask}


def differences(xero_doc: dict, payload: dict) -> list[Difference]:
    """How Xero's lines differ from the lines Autotask gives, line by line, in order."""
    theirs = list(xero_doc.get("LineItems") or [])
    ours = list(payload.get("LineItems") or [])
    found: list[Difference] = []
    for i in range(max(len(theirs), len(ours))):
        x = theirs[i] if i < len(theirs) else None
        a = ours[i] if i < len(ours) else None
        if x is None or a is None:
            found.append(Difference(i + 1, "line", "" if x is None else _value("Description", x) or "a line",
                                    "" if a is None else _value("Description", a) or "a line"))
            continue
        for key, label in FIELDS:
            if _value(key, x) != _value(key, a):
                found.append(Difference(i + 1, label, _value(key, x), _value(key, a)))
    return found


def describe_differences(found: list[Difference], most: int = 5) -> str:
    """'line 1 quantity: Xero 2, Autotask 25; line 2 …' (the first ``most``, then how many more)."""
    shown = "; ".join(d.text() for d in found[:most])
    rest = len(found) - most
    return shown + (f"; and {rest} more" if rest > 0 else "")


__all__ = ["Difference", "GONE", "answer_problem", "content", "describe_differences", "differences", "doc_id",
           "doc_number"]
