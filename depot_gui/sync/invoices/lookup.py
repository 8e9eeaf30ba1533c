"""Find documents in Xero by number: every sales invoice and credit note under each number."""

from __future__ import annotations

from depot_gui.core.numbering import lookup_numbers, number_to_send
from depot_gui.core.ownership import is_ours
from depot_gui.core.written import doc_id, doc_number


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


def documents_for(found: dict[str, list[dict]], numbers: list[str], sent: str, autotask_id: int) -> list[dict]:
    """The documents under any of an invoice's ``numbers`` (``core.numbering.lookup_numbers``), each once;
    one that is not ours counts only under ``sent``, the number a new document would take (a document
    under Autotask's own number is no conflict for an invoice Xero numbers itself)."""
    docs: dict[str, dict] = {}
    for number in numbers:
        for doc in found.get(number, []):
            if doc_number(doc) == sent or is_ours(doc, autotask_id):
                docs.setdefault(doc_id(doc) or f"{number}#{len(docs)}", doc)
    return list(docs.values())


def by_reference(xero, results: list, found: dict[int, list[dict]]) -> dict[int, list[dict]]:
    """For invoices Xero numbers itself whose document was not found by number: their documents found
    by the Reference a new one is sent with (one call per chunk of references; none when all are found)."""
    wanted = [r for r in results if r.draft is not None and not r.draft.invoice_number
              and not any(is_ours(d, r.autotask_id) and d.get("Status") != "DELETED" for d in found.get(r.autotask_id, []))]
    out = {aid: list(docs) for aid, docs in found.items()}
    for credit in (False, True):
        group = [r for r in wanted if (r.draft.type == "ACCRECCREDIT") == credit]
        if not group:
            continue
        docs = xero.bulk.documents_by_reference([r.draft.reference for r in group], credit=credit)
        for r in group:
            out.setdefault(r.autotask_id, []).extend(
                d for d in docs if str(d.get("Reference") or "") == r.draft.reference and is_ours(d, r.autotask_id))
    return out


def audit_documents(cache, store, downloads: list, settings) -> dict[int, list[dict]]:
    """The audit's look-up: each invoice's documents under every number it may carry in Xero, in a few
    calls (``documents_for``); credit notes only where one of ours can exist: a credit in Autotask, or
    an invoice this app synced or tried to. Invoices first, then credit notes."""
    tried = {r.autotask_id for r in store.invoices() if r.xero_invoice_id}
    tried |= {d.invoice.id for d in downloads if store.attempts.open(d.invoice.id)}
    recorded = {aid: row.xero_number for aid, row in store.finishing.all().items()}
    sent = {d.invoice.id: number_to_send(settings.numbering, settings.number_prefix, d.invoice.number)
            for d in downloads}
    numbers = {d.invoice.id: lookup_numbers(d.invoice.number, sent[d.invoice.id], recorded.get(d.invoice.id))
               for d in downloads}
    credit = [n for d in downloads if d.invoice.total < 0 or d.invoice.id in tried for n in numbers[d.invoice.id]]
    found = cache.documents([n for d in downloads for n in numbers[d.invoice.id]], credit)
    return {d.invoice.id: sorted(documents_for(found, numbers[d.invoice.id], sent[d.invoice.id], d.invoice.id),
                                 key=lambda x: bool(x.get("CreditNoteID"))) for d in downloads}
