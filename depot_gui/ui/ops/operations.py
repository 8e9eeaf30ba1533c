"""The window's use cases as background ops over one session: refresh, sync, link, payments, pending.

Each use case builds an ``Op`` (the work on a worker thread, its summary on the GUI thread) and
hands it to the ``OpQueue`` (op_queue.py), which runs one at a time (never two writers).
"""

from __future__ import annotations

import logging
import subprocess
from collections import Counter
from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from depot_gui.core.audit import SYNCED
from depot_gui.core.money import is_credit_total
from depot_gui.store.db import InvoiceRow
from depot_gui.sync.child.parent import audit_apart, payments_apart, start_child, sync_apart
from depot_gui.sync.session.session import Session

from depot_gui.ui.contacts.text import row_status_text
from depot_gui.ui.ops.op_queue import OpQueue
from depot_gui.ui.ops.workers import Op

log = logging.getLogger("depot_gui.ui")


@dataclass(frozen=True)
class ConnectionInfo:
    """Who and where we are connected to (plain data for the status bar and diagnostics)."""

    api_user: str
    zone_name: str
    tenant_name: str
    sandbox: bool

    def text(self) -> str:
        zone = f" ({self.zone_name})" if self.zone_name else ""
        demo = "Demo sandbox · " if self.sandbox else ""
        return f"{demo}Autotask: {self.api_user}{zone} · Xero: {self.tenant_name or 'connected'}"


def in_xero_text(outcomes) -> str:
    """"3 of 3 invoices in Xero." — and, when the batch had credit notes (a negative Autotask total), each kind
    counted apart: "199 of 200 in Xero: 191 of 192 invoices, 8 of 8 credit notes." (not 200 "invoices")."""
    def n(k: int, word: str) -> str:
        return f"{k} {word}{'s' if k != 1 else ''}"

    done = sum(1 for o in outcomes if o.ok)
    credits = [o for o in outcomes if is_credit_total(o.result.autotask_total)]
    if not credits:
        return f"{done} of {n(len(outcomes), 'invoice')} in Xero."
    invoices = [o for o in outcomes if not is_credit_total(o.result.autotask_total)]
    return (f"{done} of {len(outcomes)} in Xero: {sum(o.ok for o in invoices)} of {n(len(invoices), 'invoice')}, "
            f"{sum(o.ok for o in credits)} of {n(len(credits), 'credit note')}.")


def cancelled_text(total: int, before: int, sent: int) -> str:
    """What a cancelled sync did, what is left to do first: not sent, sent, and how many of those sent were
    already on their way when the person cancelled. Short enough for the status bar at 1366 x 768 (issue 22:
    "Syncing 200 ready invoices to Xero: cancelled. 100 invoices sent before you cancelled, …" ran to 976 px and
    cut off the invoices not sent)."""
    def n(k: int) -> str:
        return f"{k} invoice{'s' if k != 1 else ''}"

    on_way = max(sent - before, 0)
    tail = f", {on_way} of them already on their way" if on_way else ""
    return f"Sync cancelled: {n(max(total - sent, 0))} not sent; {sent} sent{tail}."


class SessionOps(OpQueue):
    """Refresh, sync, link, payments and pending re-checks for the window, one at a time (OpQueue).

    Args:
        session: the open session.
        parent: the window (owner of progress dialogs).

    Signals (besides OpQueue's busy_changed, rows_updated, disconnected, failed, finished_message):
        rows_loaded(list): all invoice rows after a refresh.
        connected(object): a ConnectionInfo.
        link_preview_ready(object): a LinkPreview for the person to review before linking.
        payments_checked(object): the PaymentsReport of a payments check (issue 14).
        pending_ready(str): invoices Autotask was still attaching items to turned ready (one line).
    """

    rows_loaded = Signal(list)
    connected = Signal(object)
    link_preview_ready = Signal(object)
    edits_to_review = Signal(list)  # [(autotask id, invoice number, the edits named)] a sync left as they are
    payments_checked = Signal(object)
    pending_ready = Signal(str)

    def __init__(self, session: Session, parent: QWidget) -> None:
        super().__init__(session, parent)
        self._sync_notes: list[str] = []  # the last sync's warnings
        self._period_text = ""  # which invoices the last refresh downloaded
        # Refreshes and syncs run in a process of their own when the services can be reached from one (the
        # real ones, a served sandbox); with a sandbox inside this process they run on a worker thread.
        self.apart = True
        # A child started after each job, its engine loaded, for the next one: a one-invoice Re-sync does not
        # wait for a Python to start (set and taken by the ops' worker threads, one op at a time).
        self._spare: subprocess.Popen | None = None
        self.closing = False  # the window closes: no more spares

    @property
    def in_child(self) -> bool:
        """Whether the window's batches run in the sync child: the services can be reached from another process
        (the real ones, a served sandbox), and nobody turned it off (``apart``)."""
        return self.apart and self.session.reachable_apart

    def run_in_child(self, run_apart, *args, **kwargs):
        """(An op's worker) ``run_apart(session, *args, spare=..., **kwargs)`` (sync_apart, audit_apart...) in
        the child started ahead, if any; then the next job's child is started, unless the window closes."""
        spare, self._spare = self._spare, None
        done = run_apart(self.session, *args, spare=spare, **kwargs)
        self._spare = None if self.closing else start_child()
        return done

    def discard_spare(self) -> None:
        """The window closes: the child waiting for a next job is told there is none (it exits)."""
        self.closing = True
        spare, self._spare = self._spare, None
        if spare is not None and spare.stdin is not None:
            try:
                spare.stdin.close()
            except OSError:
                pass

    def _info(self) -> ConnectionInfo:
        conn = self.session.connections()
        return ConnectionInfo(conn.api_user, conn.zone_name, conn.tenant_name, self.session.sandbox is not None)

    # ------------------------------------------------------------------ refresh
    def refresh(self, quiet: bool = False) -> bool:
        """Download and check every invoice not yet synced; then reload all rows."""
        session = self._session_or_none()
        if session is None:
            return False

        def work(cancel, progress):
            info = self._info()
            if self.in_child:  # in a process of its own, as a sync (issue 22)
                done = self.run_in_child(audit_apart, progress=progress, cancel=cancel,
                                         on_rows=self._rows_relayed.emit)
                since, rows = done.since, done.rows
            else:
                auditor = session.auditor(progress, cancel)
                auditor.on_recorded = self.relay_rows
                auditor.audit()
                since, _ = auditor.period(session.settings())
                rows = session.store.invoices()
            self._period_text = (f"unsynced invoices dated from {since.day} {since:%b %Y}" if since
                                 else "unsynced invoices of every date")
            return info, rows

        def done(payload) -> None:
            self._on_refresh_done(payload)
            # Payments back after each successful refresh (the check does nothing when the setting is off).
            self._when_idle.append(lambda: self.check_payments(quiet, auto=True))

        op = Op(self.window, work).success(done).failure(lambda e: self._fail("Refresh from Autotask", e))
        if not quiet:
            op.with_progress("Refreshing from Autotask", cancellable=True)
        return self._start(op, what="Refresh from Autotask")

    # ------------------------------------------------------------------ payments back
    def check_payments(self, quiet: bool = False, auto: bool = False) -> bool:
        """Read every synced invoice's payment state from Xero; write Autotask's paidDate when paid."""
        session = self._session_or_none() if not auto else (None if self.busy else self.session)
        if session is None:
            return False

        def work(cancel, progress):
            if self.in_child and session.settings().payments_back:
                # in a process of its own, as the refresh and the sync (issue 22); when the setting is off the
                # check says so at once, here
                done = self.run_in_child(payments_apart, progress=progress, cancel=cancel)
                return done.report, done.rows
            report = session.payments(progress, cancel).run()
            ids = {c.row.autotask_id for c in report.checks}
            return report, [r for r in session.store.invoices() if r.autotask_id in ids]

        def done(payload) -> None:
            report, rows = payload
            if rows:
                self.rows_updated.emit(rows)
            self.payments_checked.emit(report)
            if not auto:
                self.finished_message.emit(report.summary())
            elif report.enabled and report.checks:  # after a refresh: keep its counts in view, add these
                self.finished_message.emit(f"{self._last_said} {report.summary()}".strip())

        op = Op(self.window, work).success(done).failure(lambda e: self._fail("Check payments", e))
        if not quiet:
            op.with_progress("Checking payments in Xero", cancellable=True)
        return self._start(op)

    def _on_refresh_done(self, payload) -> None:
        info, rows = payload
        self.connected.emit(info)
        self.rows_loaded.emit(rows)
        period, self._period_text = self._period_text, ""
        counts = Counter(row_status_text(r) for r in rows)  # "1 choose contact" rather than "1 error"
        detail = ", ".join(f"{n} {s.lower()}" for s, n in sorted(counts.items(), key=lambda kv: -kv[1]))
        text = f"Checked {len(rows)} invoice{'s' if len(rows) != 1 else ''} against Autotask" + (
            f": {detail}." if detail else ".")
        if period:
            text += f" Downloaded: {period} (Settings › Audit & sync sets the period)."
        self._say(text)

    # ------------------------------------------------------------------ sync
    def sync(self, rows: list[InvoiceRow], label: str = "Syncing to Xero", replace_edits: bool = False) -> bool:
        """Re-download, re-check and send the given invoices (each at most once); ``replace_edits``
        (asked for after review) writes Autotask's lines over drafts edited in Xero."""
        session = self._session_or_none()
        if session is None or not rows:
            return False
        numbers = [r.invoice_number for r in rows]
        ids = [r.autotask_id for r in rows]
        sent: set[int] = set()  # invoices this sync put into Xero (filled on the worker as they are recorded)
        reloaded: list[list[InvoiceRow]] = []
        at_cancel: list[int] = []

        def rows_in(fresh: list[InvoiceRow]) -> None:  # worker thread
            sent.update(r.autotask_id for r in fresh if r.status == SYNCED)
            self._rows_relayed.emit(fresh)

        def recorded(autotask_ids: list[int]) -> None:  # worker thread
            fresh = self._fresh(autotask_ids)
            if fresh:
                rows_in(fresh)

        def work(cancel, progress):
            if self.in_child:
                # In a process of its own: none of the sync's work holds the window's GIL (issue 22).
                done = self.run_in_child(sync_apart, numbers, ids, replace_edits=replace_edits, progress=progress,
                                         cancel=cancel, on_rows=rows_in)
                self._sync_notes = list(done.warnings)
                reloaded.append(done.rows)
                return done.outcomes
            syncer = session.syncer(progress, cancel, replace_edits=replace_edits)
            syncer.auditor.on_recorded = recorded
            outcomes = syncer.sync(numbers)
            self._sync_notes = list(syncer.warnings)  # Xero's calls left: in the status bar after every op
            reloaded.append(self._fresh(ids))  # read here, not on the GUI thread (issue 22)
            return outcomes

        def after() -> None:
            self._reload(ids, reloaded[0] if reloaded else None)
            if at_cancel:
                self._say(cancelled_text(len(ids), at_cancel[0], len(sent)))

        op = (
            Op(self.window, work)
            .success(self._on_sync_done)
            .failure(lambda e: self._fail("Sync to Xero", e))
            .with_progress(label, cancellable=True)
        )
        op.on_cancel_requested = lambda: at_cancel.append(len(sent))
        return self._start(op, after=after, what=label)

    # ------------------------------------------------------------------ link
    def link_preview(self, row: InvoiceRow) -> bool:
        """Look the conflicting document up again and say what linking would do (writes nothing)."""
        session = self._session_or_none()
        if session is None:
            return False
        name = str(row.autotask_id)

        def work(cancel, progress):
            from depot_gui.sync.invoices.link import Linker

            return Linker(session.auditor(progress, cancel)).preview(name)

        op = (
            Op(self.window, work)
            .success(self.link_preview_ready.emit)
            .failure(lambda e: self._fail("Link to Xero document", e))
            .with_progress(f"Looking up {row.invoice_number} in Xero", cancellable=True)
        )
        return self._start(op, after=lambda: self._reload([row.autotask_id]))

    def link(self, preview) -> bool:
        """Link the reviewed document (it is checked again first); recorded in the invoice's history."""
        session = self._session_or_none()
        if session is None:
            return False

        def work(cancel, progress):
            from depot_gui.sync.invoices.link import Linker

            return Linker(session.auditor(progress, cancel)).link(preview)

        op = (
            Op(self.window, work)
            .success(lambda result: self.finished_message.emit(result.explanation))
            .failure(lambda e: self._fail("Link to Xero document", e))
            .with_progress(f"Linking {preview.result.invoice_number}", cancellable=False)
        )
        return self._start(op, after=lambda: self._reload([preview.result.autotask_id]))

    # ------------------------------------------------------------------ pending
    def recheck_pending(self, rows: list[InvoiceRow]) -> bool:
        """Quietly audit again the invoices Autotask was still attaching items to; never syncs."""
        session = self._session_or_none(quiet=True)
        if session is None or not rows:
            return False
        ids = [r.autotask_id for r in rows]

        def work(cancel, progress):
            from depot_gui.sync.invoices.pending import recheck

            return recheck(session.auditor(progress, cancel), rows).message()

        def done(message: str) -> None:
            if message:
                self.finished_message.emit(message)
                self.pending_ready.emit(message)

        op = Op(self.window, work).success(done).failure(lambda e: log.warning("pending re-check: %s", e))
        return self._start(op, after=lambda: self._reload(ids))

    def _on_sync_done(self, outcomes) -> None:
        problems = [o for o in outcomes if not o.ok]
        text = in_xero_text(outcomes)
        if problems:
            text += " Not synced: " + ", ".join(o.result.invoice_number for o in problems) + " (select one to see why)."
        notes, self._sync_notes = self._sync_notes, []
        if notes:
            text += " " + " ".join(notes)
        self._say(text)
        edited = [(o.result.autotask_id, o.result.invoice_number, o.result.extra["xero_edits"]) for o in outcomes
                  if o.action == "refused" and o.result.extra.get("edited_in_xero")]
        if edited:
            self.edits_to_review.emit(edited)
