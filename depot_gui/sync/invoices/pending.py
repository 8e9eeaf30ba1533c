"""Invoices Autotask was still attaching items to: when to look again, and looking again.

An invoice diagnosed ``items_pending`` is audited again once the attach window (the
``fresh_minutes`` setting) has passed since its last check. Looking again is an audit of
exactly those invoices: it never syncs anything, it only tells the user which ones turned
ready. The window does this on a timer while it is open (and at every start, whose refresh
audits them anyway); ``depot-sync audit --wait-pending`` does it in the foreground.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from depot_gui.core.audit import MISMATCH, READY, AuditResult
from depot_gui.store.db import InvoiceRow

from depot_gui.sync.invoices.audit import Auditor

ITEMS_PENDING = "items_pending"
MAX_ROUNDS = 4  # --wait-pending gives up after this many looks (an hour at the default 15 minutes)


def is_pending(status: str, causes: Iterable[str]) -> bool:
    return status == MISMATCH and ITEMS_PENDING in causes


def pending_rows(rows: Iterable[InvoiceRow]) -> list[InvoiceRow]:
    return [r for r in rows if is_pending(r.status, r.causes) and not r.voided]


def due_at(row: InvoiceRow, minutes: int) -> datetime:
    """When to look at a pending invoice again: its last check plus the attach window."""
    checked = datetime.fromisoformat(row.audited_at)
    if checked.tzinfo is None:
        checked = checked.replace(tzinfo=timezone.utc)
    return checked + timedelta(minutes=minutes)


def next_check(rows: Iterable[InvoiceRow], minutes: int, now: datetime) -> tuple[list[InvoiceRow], datetime | None]:
    """(pending invoices due now, when the next one falls due or None)."""
    due: list[InvoiceRow] = []
    later: list[datetime] = []
    for row in pending_rows(rows):
        when = due_at(row, minutes)
        if when <= now:
            due.append(row)
        else:
            later.append(when)
    return due, min(later, default=None)


@dataclass(frozen=True)
class Recheck:
    """What looking again found."""

    results: list[AuditResult]

    @property
    def became_ready(self) -> list[AuditResult]:
        return [r for r in self.results if r.status == READY]

    def message(self) -> str:
        """One line for the status bar or the terminal ('' when nothing changed)."""
        ready = [r.invoice_number for r in self.became_ready]
        if not ready:
            return ""
        names = ", ".join(ready)
        verb = "is" if len(ready) == 1 else "are"
        return f"{names} {verb} ready to sync now: Autotask finished attaching the billing items."


def recheck(auditor: Auditor, rows: list[InvoiceRow]) -> Recheck:
    """Audit these pending invoices again (by Autotask id, so each names exactly one invoice)."""
    if not rows:
        return Recheck([])
    return Recheck(auditor.audit([str(r.autotask_id) for r in rows]))


def wait_pending(
    auditor: Auditor, first: list[AuditResult], minutes: int, say: Callable[[str], None], rounds: int = MAX_ROUNDS
) -> list[AuditResult]:
    """Look again at the pending ones after each attach window until none is pending (or give up).

    Waits go through the engine's cancel token, so Ctrl+C or Cancel ends them at once."""
    latest = {r.autotask_id: r for r in first}
    for _ in range(rounds):
        pending = [r for r in latest.values() if is_pending(r.status, r.cause_codes)]
        if not pending:
            break
        names = ", ".join(r.invoice_number for r in pending)
        say(f"Waiting {minutes} minute{'s' if minutes != 1 else ''} for Autotask to finish attaching items to "
            f"{names}, then checking again.")
        auditor.cancel.sleep(minutes * 60)
        for r in auditor.audit([str(r.autotask_id) for r in pending]):
            latest[r.autotask_id] = r
    still = [r.invoice_number for r in latest.values() if is_pending(r.status, r.cause_codes)]
    if still:
        say(f"Still waiting for items after {rounds} looks: {', '.join(still)}. Check them in Autotask.")
    return sorted(latest.values(), key=lambda r: (r.invoice_number, r.autotask_id))


__all__ = ["ITEMS_PENDING", "Recheck", "due_at", "is_pending", "next_check", "pending_rows", "recheck",
           "wait_pending"]
