"""Which Xero documents are ours: the mark Depot GUI puts on what it creates.

Every Xero invoice or credit note Depot GUI creates carries, in its ``Reference``, the
Autotask invoice id it was made from ("Autotask invoice 4711"). That mark, kept in Xero
itself, decides ownership: not the local store, so a second desk on the same organisation,
or a rebuilt store, still recognises what Depot GUI created. A document under the same
number without our mark for this Autotask invoice is not ours: it is never read as this
invoice's state and never written.
"""

from __future__ import annotations

import re
from typing import Any

MARK_PREFIX = "Autotask invoice "
_MARK = re.compile(r"^\s*Autotask invoice (\d+)\b")


def ownership_mark(autotask_id: int) -> str:
    """The Reference Depot GUI writes on the Xero document made from this Autotask invoice."""
    return f"{MARK_PREFIX}{int(autotask_id)}"


def marked_autotask_id(doc: dict[str, Any]) -> int | None:
    """The Autotask invoice id a Xero document says it was made from, or None (not ours)."""
    match = _MARK.match(str(doc.get("Reference") or ""))
    return int(match.group(1)) if match else None


def is_ours(doc: dict[str, Any], autotask_id: int) -> bool:
    """True only when the Xero document carries our mark for exactly this Autotask invoice."""
    return marked_autotask_id(doc) == int(autotask_id)


def split_ours(docs: list[dict[str, Any]], autotask_id: int) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    """(our live document for this Autotask invoice or None, the live documents under its number that
    are not ours). Deleted documents are neither: see ``deleted_ours``."""
    live = [d for d in docs if d.get("Status") != "DELETED"]
    ours = [d for d in live if is_ours(d, autotask_id)]
    return (ours[0] if ours else None), [d for d in live if not is_ours(d, autotask_id)]


def deleted_ours(docs: list[dict[str, Any]], autotask_id: int) -> tuple[str, ...]:
    """The ids of our documents for this Autotask invoice that Xero shows as deleted (sorted)."""
    return tuple(sorted(str(d.get("InvoiceID") or d.get("CreditNoteID") or "") for d in docs
                        if d.get("Status") == "DELETED" and is_ours(d, autotask_id)))


def document_facts(doc: dict[str, Any]) -> dict[str, Any]:
    """What names a Xero document to a bookkeeper (kept with a conflict, shown in its preview)."""
    credit = bool(doc.get("CreditNoteID"))
    return {
        "id": str(doc.get("CreditNoteID") or doc.get("InvoiceID") or ""),
        "kind": "credit note" if credit else "invoice",
        "number": str(doc.get("CreditNoteNumber") or doc.get("InvoiceNumber") or ""),
        "contact": str((doc.get("Contact") or {}).get("Name") or ""),
        "status": str(doc.get("Status") or ""),
        "total": None if doc.get("Total") is None else str(doc.get("Total")),
        "currency": str(doc.get("CurrencyCode") or ""),
        "reference": str(doc.get("Reference") or ""),
        "marked_for": marked_autotask_id(doc),
    }


def describe(facts: dict[str, Any]) -> str:
    """'draft invoice INV-5001 for Acme Ltd, total AUD 55.00' (the currency when Xero gave it)."""
    status = facts["status"].lower()
    text = f"{status + ' ' if status else ''}{facts['kind']} {facts['number']}"
    text += f" for {facts['contact']}" if facts["contact"] else " (no contact)"
    if facts["total"] is not None:
        text += f", total {(facts.get('currency') or '') + ' ' if facts.get('currency') else ''}{facts['total']}"
    return text


def foreign_document_text(number: str, facts: dict[str, Any], autotask_id: int, recorded_here: bool = False) -> str:
    """The conflict explanation for a Xero document under this number that is not ours."""
    owner = facts["marked_for"]
    whose = (
        f"Depot GUI made it from another Autotask invoice (id {owner})" if owner
        else "Depot GUI did not create it for this Autotask invoice"
    )
    lines = [
        f"Not synced: Xero already has {describe(facts)}, and {whose}. Depot GUI leaves that document as it "
        "is and sends nothing under this number."
    ]
    if recorded_here and not owner:
        lines.append(
            f"This computer's records say Depot GUI sent this invoice there, but the document's Reference no longer "
            f"starts with '{ownership_mark(autotask_id)}', so it is no longer recognised as this invoice's."
        )
    if owner:
        lines.append(
            f"What to do: two Autotask invoices have the number {number}. In Autotask, void this one and invoice "
            "it again under a new number, then press Re-sync."
        )
    else:
        lines.append(
            f"What to do: if that document is not this invoice, give it another number in Xero (or delete it if "
            f"it is an unwanted draft), then press Re-sync. If it is this invoice entered by hand, review it and "
            f"link it to this invoice (Link to Xero document): Depot GUI then writes '{ownership_mark(autotask_id)}' "
            "at the start of its Reference and treats it as this invoice's."
        )
    return "\n".join(lines)


def shared_number_text(number: str, holders: list[tuple[int, str]]) -> str:
    """The conflict explanation when several Autotask invoices carry one number: (id, company)."""
    named = ", ".join(f"id {i}" + (f" ({company})" if company else "") for i, company in holders)
    return (
        f"Not synced: Autotask has {len(holders)} invoices numbered {number}: {named}. Xero takes each invoice "
        "number once, so Depot GUI cannot tell which of them should be that number in Xero, and sends none of them."
        f"\nWhat to do: in Autotask, void all but one of them and invoice the others again under new numbers, "
        "then press Re-sync."
    )
