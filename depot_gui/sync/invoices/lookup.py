"""Find documents in Xero by number: every sales invoice and credit note under each number."""

from __future__ import annotations


def find_in_xero(xero, numbers: list[str], credit_numbers: list[str] | None = None) -> dict[str, list[dict]]:
    """Every Xero sales invoice and credit note under each number (invoices first), deleted ones
    included (``core.ownership.split_ours`` leaves them out; ``deleted_ours`` names ours among them).
    Credit notes are looked for under ``credit_numbers`` (default: every number). Which document
    is ours is for ``core.ownership`` to say, not the number."""
    if not numbers:
        return {}
    found: dict[str, list[dict]] = {}
    for inv in xero.invoices_by_number(numbers, include_deleted=True):
        if inv.get("Type", "ACCREC") == "ACCREC":
            found.setdefault(str(inv.get("InvoiceNumber")), []).append(inv)
    notes = numbers if credit_numbers is None else credit_numbers
    for note in xero.bulk.credit_notes_by_number(notes, include_deleted=True) if notes else ():
        found.setdefault(str(note.get("CreditNoteNumber")), []).append(note)
    return found
