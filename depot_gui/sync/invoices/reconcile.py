"""Look invoices up in Xero before and after writing: one batched look-up, never one per invoice.

``Seen`` is what Xero holds under an invoice's number: our live document (our mark at the
start of its Reference), the live documents that are not ours, and the ids of ours that Xero
shows as deleted. A look-up that failed is not "not found": it raises ``LookupFailed`` and the
caller sends nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from depot_gui.core.audit import AuditResult
from depot_gui.core.mapping import ACCRECCREDIT
from depot_gui.core.ownership import deleted_ours, split_ours
from depot_gui.xero.errors import XeroError, XeroRateLimited

from depot_gui.core.numbering import lookup_numbers
from depot_gui.sync.invoices.lookup import by_reference, documents_for, find_in_xero


class LookupFailed(Exception):
    """Xero did not answer the look-up: whether it holds the invoices is unknown."""

    def __init__(self, why: str) -> None:
        super().__init__(why)
        self.user_message = why


@dataclass(frozen=True)
class Seen:
    ours: dict | None = None
    foreign: tuple[dict, ...] = ()
    gone: tuple[str, ...] = ()


def seen_in(docs: list[dict], autotask_id: int) -> Seen:
    ours, foreign = split_ours(docs, autotask_id)
    return Seen(ours, tuple(foreign), deleted_ours(docs, autotask_id))


def sent_number(result: AuditResult) -> str:
    """The number a new document for the invoice is sent with ('' when Xero numbers it)."""
    return result.draft.invoice_number if result.draft is not None else result.invoice_number


class Reconciler:
    """Batched look-ups over one connection (and, before writing, the organisation's cache)."""

    def __init__(self, conn, *, delays: tuple[float, ...] = (0.5, 2.0), sleep: Callable[[float], None],
                 recorded: Callable[[int], str | None] = lambda autotask_id: None) -> None:
        self.conn = conn
        self.delays = delays
        self.sleep = sleep
        self.recorded = recorded  # the number recorded for the invoice's Xero document (None: none)

    def numbers_of(self, result: AuditResult) -> list[str]:
        """Every number the invoice's document may carry in Xero (``core.numbering.lookup_numbers``)."""
        return lookup_numbers(result.invoice_number, sent_number(result), self.recorded(result.autotask_id))

    def _numbers(self, results: list[AuditResult], with_credit: Callable[[AuditResult], bool]) -> tuple[list, list]:
        return ([n for r in results for n in self.numbers_of(r)],
                [n for r in results if with_credit(r) for n in self.numbers_of(r)])

    def _seen(self, found: dict[str, list[dict]], results: list[AuditResult]) -> dict[int, Seen]:
        """Each invoice's documents under its numbers, and for one Xero numbers itself, by its Reference."""
        docs = {r.autotask_id: documents_for(found, self.numbers_of(r), sent_number(r), r.autotask_id)
                for r in results}
        docs = by_reference(self.conn.xero, results, docs)
        return {r.autotask_id: seen_in(docs.get(r.autotask_id, []), r.autotask_id) for r in results}

    def before_write(self, cache, results: list[AuditResult], tried: set[int]) -> dict[int, Seen]:
        """Right before writing: what changed since the audit (numbers known absent cost one call)."""
        numbers, credit = self._numbers(results, lambda r: _credit(r) or r.autotask_id in tried)
        try:
            return self._seen(cache.documents(numbers, credit, with_deleted=True), results)
        except XeroRateLimited:
            raise
        except XeroError as exc:
            raise LookupFailed(exc.user_message) from None

    def again(self, results: list[AuditResult]) -> dict[int, Seen]:
        """After a write without an answer (or a "must be unique"): look the numbers up together, no cache,
        waiting a little between tries for writes still landing. Raises ``LookupFailed`` when no try
        got an answer."""
        latest: dict[int, Seen] | None = None
        left = list(results)
        why = ""
        for delay in (0.0, *self.delays):
            if delay:
                self.sleep(delay)
            numbers, credit = self._numbers(left, lambda r: True)
            try:
                seen = self._seen(find_in_xero(self.conn.xero, numbers, credit), left)
            except XeroError as exc:  # after a write, even Xero's daily limit leaves the outcome unknown
                why = exc.user_message
                if isinstance(exc, XeroRateLimited) and exc.problem == "day":
                    break
                continue
            latest = dict(latest or {})
            latest.update(seen)
            left = [r for r in left if latest[r.autotask_id].ours is None]
            if not left:
                break
        if latest is None:
            raise LookupFailed(why or "Xero did not answer the look-up")
        return latest


def _credit(result: AuditResult) -> bool:
    return result.draft is not None and result.draft.type == ACCRECCREDIT


__all__ = ["LookupFailed", "Reconciler", "Seen", "seen_in", "sent_number"]
