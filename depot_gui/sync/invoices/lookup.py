"""Find documents in Xero by number: every sales invoice and credit note under each number."""

from __future__ import annotations


def find_in_xero(xero, numbers: list[str]) -> dict[str, list[dict]]:
    """Every Xero sales invoice and credit note under each number (invoices first), deleted ones
    left out. Which of them is ours is for ``core.ownership`` to say, not the number."""
    if not numbers:
        return {}
    found: dict[str, list[dict]] = {}
    for inv in xero.invoices_by_number(numbers):
        if inv.get("Status") != "DELETED" and inv.get("Type", "ACCREC") == "ACCREC":
            found.setdefault(str(inv.get("InvoiceNumber")), []).append(inv)
    for note in xero.bulk.credit_notes_by_number(numbers):
        if note.get("Status") != "DELETED":
            found.setdefault(str(note.get("CreditNoteNumber")), []).append(note)
    return found
