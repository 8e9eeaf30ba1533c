"""What a sync did for each invoice, recorded once: the outcome recorder of the write path.

Every way a sync can end for an invoice goes through ``Recorder``: the store's row, the
attempts still open, the Autotask stamp, and the sentence the user reads.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace

from depot_gui.core.audit import CONFLICT, ERROR, READY, SYNCED, AuditResult
from depot_gui.core.money import fmt_money, to_decimal
from depot_gui.core.numbering import scheme_of
from depot_gui.core.ownership import document_facts, foreign_document_text
from depot_gui.core.written import doc_id, doc_number
from depot_gui.sync.invoices.stamps import Stamps

log = logging.getLogger(__name__)

OK_ACTIONS = ("created", "updated", "unchanged", "found")


@dataclass(frozen=True)
class SyncOutcome:
    """What a sync did for one invoice: the audit result plus the action taken."""

    result: AuditResult
    action: str  # created | updated | unchanged | found | refused | failed
    message: str

    @property
    def ok(self) -> bool:
        return self.action in OK_ACTIONS


def unknown_text(number: str, why: str) -> str:
    """Xero may hold the invoice or not: nothing more is sent until a look-up says which."""
    return (f"Xero could not confirm whether it holds {number} ({why.rstrip('.')}). Nothing more was sent. "
            "Press Re-sync: it looks {number} up in Xero again first and sends it only if Xero does not have "
            "it.").replace("{number}", number)


def last_written(store, autotask_id: int, xero_id: str) -> list[dict] | None:
    """The lines this desk last wrote to (or confirmed in) that Xero document; None: it never did."""
    for a in reversed(store.attempts.all(autotask_id)):
        if a.action in ("create", "update") and a.state in ("created", "updated", "reconciled") \
                and a.xero_invoice_id == xero_id:
            lines = (a.response or {}).get("LineItems") or (a.request or {}).get("LineItems")
            if lines is not None:
                return lines
    return None


def _in_xero(store, result: AuditResult, doc: dict) -> dict:
    """Record the number the document carries (and the scheme it came from); the result's extras plus
    that number and the document's status."""
    number = doc_number(doc)
    if number and doc_id(doc):
        sent = result.draft.invoice_number if result.draft is not None else ""
        store.finishing.record_number(result.autotask_id, doc_id(doc), number,
                                      scheme_of(number, result.invoice_number, sent))
    return {**result.extra, "xero_number": number or None, "xero_status": str(doc.get("Status") or "")}


class Recorder:
    """Records outcomes over one store and one pair of connections."""

    def __init__(self, store, conn) -> None:
        self.store = store
        self.conn = conn
        self.stamps = Stamps(conn)
        self._stamping: dict[int, tuple[str, str]] = {}  # stamps due: the Xero id and status recorded

    def start_stamps(self) -> None:
        """Send the Autotask stamps of what :meth:`done` recorded so far (call once it is committed);
        they run beside what comes next."""
        self.stamps.start()

    def settle(self, outcomes: dict[int, SyncOutcome]) -> list[int]:
        """Wait for every stamp started; a stamp that failed is added to its invoice's message (in the
        store and in ``outcomes``). Returns the Autotask ids whose message changed."""
        notes = {aid: note for aid, note in self.stamps.finish().items() if note}
        changed = []
        with self.store.grouped():
            for aid, note in notes.items():
                xero_id, status = self._stamping.get(aid, ("", ""))
                outcome = outcomes.get(aid)
                if outcome is None or not outcome.ok:
                    continue
                message = f"{outcome.message} {note}"
                self.store.mark_synced(aid, xero_id, status, message)
                outcomes[aid] = replace(outcome, message=message, result=replace(outcome.result, explanation=message))
                changed.append(aid)
        self._stamping.clear()
        return changed

    def close_open(self, autotask_id: int, xero_id: str | None, state: str = "reconciled",
                   message: str = "Found in Xero when reconciling.") -> None:
        for a in self.store.attempts.open(autotask_id):
            self.store.attempts.finish(a.id, state, message, None, xero_id)

    def done(self, result: AuditResult, doc: dict, action: str, note: str = "") -> SyncOutcome:
        """Xero holds a live document of ours for the invoice, as checked."""
        xero_id = doc_id(doc)
        if action == "created":  # this desk's intent landed: its history says so
            self.close_open(result.autotask_id, xero_id, "created", "Created in Xero (confirmed by a look-up).")
        self.close_open(result.autotask_id, xero_id)
        if action == "found":  # this desk's history: it found the document, another desk made it
            seen = self.store.attempts.begin(result.autotask_id, result.invoice_number, "", "found", {},
                                             self.conn.actor)
            self.store.attempts.finish(seen, "found", "Found in Xero, created by another desk.", None, xero_id)
        number = doc_number(doc) or result.invoice_number
        status = str(doc.get("Status") or "").lower()
        total = fmt_money(to_decimal(doc.get("Total")), str(doc.get("CurrencyCode") or result.currency))
        kind = "credit note" if doc.get("CreditNoteID") else "invoice"
        words = {
            "created": f"Created in Xero as {status} {kind} {number} (total {total}).",
            "updated": f"Updated the {status} {kind} {number} in Xero (total {total}).",
            "unchanged": f"Already in Xero as {status} {kind} {number} with the same content; nothing to do.",
            "found": f"Found in Xero as {status} {kind} {number} (total {total}), created by another desk; "
                     "nothing was sent from this one.",
        }
        message = words[action] + (" " + note if note else "")
        if action in ("created", "updated"):
            message += self._total_check(result, doc)
        if action != "unchanged" or not result.extra.get("stamped", False):
            # also retries a stamp that failed or never happened; sent once this record is committed
            self.stamps.due(result.autotask_id)
            self._stamping[result.autotask_id] = (xero_id, str(doc.get("Status") or ""))
        self.store.mark_synced(result.autotask_id, xero_id, str(doc.get("Status") or ""), message)
        return SyncOutcome(replace(result, status=SYNCED, xero_invoice_id=xero_id, explanation=message,
                                   extra=_in_xero(self.store, result, doc)), action, message)

    def kept(self, result: AuditResult, doc: dict, message: str, action: str = "refused") -> SyncOutcome:
        """Xero holds our document, and it is left as it is (approved and different, edited in Xero)."""
        xero_id = doc_id(doc)
        self.close_open(result.autotask_id, xero_id)
        self.store.set_status(result.autotask_id, SYNCED, message)
        return SyncOutcome(replace(result, status=SYNCED, xero_invoice_id=xero_id, explanation=message,
                                   extra=_in_xero(self.store, result, doc)), action, message)

    def failed(self, result: AuditResult, message: str) -> SyncOutcome:
        self.store.set_status(result.autotask_id, ERROR, message)
        status = ERROR if result.status == READY else result.status
        return SyncOutcome(replace(result, status=status, explanation=message), "failed", message)

    def unknown(self, result: AuditResult, why: str) -> SyncOutcome:
        """A write or a look-up had no answer: Xero may or may not hold the invoice."""
        return self.failed(result, unknown_text(result.invoice_number, why))

    def conflict(self, result: AuditResult, doc: dict) -> SyncOutcome:
        """A document that is not ours holds the number: refuse, record, say what to do."""
        facts = document_facts(doc)
        message = foreign_document_text(result.invoice_number, facts, result.autotask_id)
        self.store.set_status(result.autotask_id, CONFLICT, message)
        conflict = replace(result, status=CONFLICT, xero_invoice_id=None, explanation=message, causes=(),
                           extra={**result.extra, "conflict": {"document": facts}})
        return SyncOutcome(conflict, "refused", message)

    def not_sent(self, result: AuditResult, exc) -> SyncOutcome:
        """Not sent because Xero's daily limit is used up: the invoice stays ready, and says when to retry."""
        message = f"{result.invoice_number} was not sent: {exc.user_message} It is still ready; sync it after that."
        self.store.set_status(result.autotask_id, READY, message)
        return SyncOutcome(replace(result, explanation=message), "failed", message)

    @staticmethod
    def _total_check(result: AuditResult, doc: dict) -> str:
        """Xero's own total of what we sent must be the total we computed with its rules; say so if not."""
        if result.draft is None or doc.get("Total") is None:
            return ""
        expected = abs(result.draft.totals().total)  # a credit note's total is positive in Xero
        got = to_decimal(doc.get("Total"))
        if got == expected:
            return ""
        cur = str(doc.get("CurrencyCode") or result.currency)
        log.warning("%s: Xero's total %s differs from the computed %s", result.invoice_number, got, expected)
        return (
            f" Check it in Xero before approving it: Xero's total is {fmt_money(got, cur)}, but Depot GUI computed "
            f"{fmt_money(expected, cur)} with Xero's rounding rules (Autotask's total is "
            f"{fmt_money(abs(result.autotask_total), cur)})."
        )


__all__ = ["OK_ACTIONS", "Recorder", "SyncOutcome", "last_written", "unknown_text"]
