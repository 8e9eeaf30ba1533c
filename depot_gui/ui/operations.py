"""The window's use cases as background ops over one session, one at a time (never two writers)."""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from depot_gui.core.audit import READY
from depot_gui.store.db import InvoiceRow
from depot_gui.sync.session import Session, SessionError

from .errors import friendly_message
from .contact_text import row_status_text
from .workers import Op

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


class SessionOps(QObject):
    """Runs refresh and sync for the window, serialised so one session never has two writers.

    Args:
        session: the open session.
        parent: the window (owner of progress dialogs).

    Signals:
        busy_changed(bool): an operation started or ended.
        rows_loaded(list): all invoice rows after a refresh.
        rows_updated(list): rows that a sync changed.
        connected(object): a ConnectionInfo.
        disconnected(str): why there is no connection (one sentence).
        failed(str, str): title and friendly message of an error.
        finished_message(str): a one-line summary for the status bar.
        link_preview_ready(object): a LinkPreview for the person to review before linking.
        payments_checked(object): the PaymentsReport of a payments check (issue 14).
        pending_ready(str): invoices Autotask was still attaching items to turned ready (one line).
    """

    busy_changed = Signal(bool)
    rows_loaded = Signal(list)
    rows_updated = Signal(list)
    connected = Signal(object)
    disconnected = Signal(str)
    failed = Signal(str, str)
    finished_message = Signal(str)
    link_preview_ready = Signal(object)
    payments_checked = Signal(object)
    pending_ready = Signal(str)

    def __init__(self, session: Session, parent: QWidget) -> None:
        super().__init__(parent)
        self.session = session
        self.window = parent
        self.current: Op | None = None
        self._sync_notes: list[str] = []  # the last sync's warnings and Xero's remaining calls
        self._period_text = ""  # which invoices the last refresh downloaded
        self._when_idle: list = []
        self._said = False
        self._last_said = ""

    def when_idle(self, fn, cancel_current: bool = False) -> None:
        """Run ``fn`` now when nothing runs, else right after the current operation ends."""
        if self.current is None:
            fn()
            return
        if cancel_current:
            self.current.cancel.cancel()
        self._when_idle.append(fn)

    @property
    def busy(self) -> bool:
        return self.current is not None

    def run_op(self, op: Op, after=None) -> bool:
        """Run another module's ``op`` as the window's one operation (False when one runs already);
        ``after`` is called when it ends (the op's own ``finally_`` is taken by this)."""
        return self._start(op, after)

    def _start(self, op: Op, after=None, what: str = "") -> bool:
        if self.current is not None:
            return False
        self.current = op
        self._said = False

        def finished() -> None:
            if after is not None:
                after()
            if what and not self._said and op.cancel.cancelled:  # a cancelled action says so too
                self.finished_message.emit(f"{what}: cancelled. What was done before that stays done.")
            self.current = None
            self.busy_changed.emit(False)
            waiting, self._when_idle = self._when_idle, []
            for fn in waiting:
                fn()

        self.busy_changed.emit(True)
        op.finally_(finished).run()
        return True

    def _info(self) -> ConnectionInfo:
        conn = self.session.connections()
        return ConnectionInfo(conn.api_user, conn.zone_name, conn.tenant_name, self.session.sandbox is not None)

    def _say(self, text: str) -> None:
        self._said = True
        self._last_said = text
        self.finished_message.emit(text)

    def _fail(self, title: str, exc: BaseException) -> None:
        self._said = True
        self.finished_message.emit(f"{title} did not finish: {friendly_message(exc)}")
        if isinstance(exc, SessionError):  # expected (not set up yet, keyring locked): a sentence, no traceback
            log.info("%s: %s", title, friendly_message(exc))
            self.disconnected.emit(friendly_message(exc))
        else:
            # The technical detail (e.g. SQLite's words) in the line itself, so the Log view and Copy diagnostics have it
            log.error("%s did not finish: %s", title, exc, exc_info=(type(exc), exc, exc.__traceback__))
        self.failed.emit(title, friendly_message(exc))

    # ------------------------------------------------------------------ refresh
    def refresh(self, quiet: bool = False) -> bool:
        """Download and check every invoice not yet synced; then reload all rows."""
        session = self._session_or_none()
        if session is None:
            return False

        def work(cancel, progress):
            info = self._info()
            engine = session.engine(progress, cancel)
            engine.on_recorded = self.relay_rows
            engine.audit()
            since, _ = engine.period(session.settings())
            self._period_text = (f"unsynced invoices dated from {since.day} {since:%b %Y}" if since
                                 else "unsynced invoices of every date")
            return info, session.store.invoices()

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
            text += f" Downloaded: {period} (Settings › Audit sets the period)."
        self._say(text)

    def check_connection(self) -> bool:
        """Connect (in the background) and report who we are connected to."""
        def connected(info: ConnectionInfo) -> None:
            self.connected.emit(info)
            self._say(f"Connected: {info.text()}.")

        return self._start(Op(self.window, lambda cancel, progress: self._info()).success(connected)
                           .failure(lambda e: self._fail("Connection", e)), what="Connecting")

    # ------------------------------------------------------------------ sync
    def sync(self, rows: list[InvoiceRow], label: str = "Syncing to Xero") -> bool:
        """Re-download, re-check and send the given invoices (each at most once)."""
        session = self._session_or_none()
        if session is None or not rows:
            return False
        numbers = [r.invoice_number for r in rows]
        ids = [r.autotask_id for r in rows]

        def work(cancel, progress):
            syncer = session.syncer(progress, cancel)
            syncer.engine.on_recorded = self.relay_rows
            outcomes = syncer.sync(numbers)
            self._sync_notes = list(syncer.warnings)
            left = syncer.conn.xero.day_remaining
            if left is not None:
                self._sync_notes.append(f"Xero calls left today for this organisation: {left}.")
            return outcomes

        def reload() -> None:
            fresh = [r for r in (session.store.invoice(i) for i in ids) if r is not None]
            self.rows_updated.emit(fresh)

        op = (
            Op(self.window, work)
            .success(self._on_sync_done)
            .failure(lambda e: self._fail("Sync to Xero", e))
            .with_progress(label, cancellable=True)
        )
        return self._start(op, after=reload, what=label)

    def sync_all_ready(self, rows: list[InvoiceRow]) -> bool:
        ready = [r for r in rows if r.status == READY]
        if not ready:
            self._say("No invoice is ready to sync.")
            return False
        return self.sync(ready, f"Syncing {len(ready)} ready invoice{'s' if len(ready) != 1 else ''} to Xero")

    # ------------------------------------------------------------------ link
    def link_preview(self, row: InvoiceRow) -> bool:
        """Look the conflicting document up again and say what linking would do (writes nothing)."""
        session = self._session_or_none()
        if session is None:
            return False
        name = str(row.autotask_id)

        def work(cancel, progress):
            from depot_gui.sync.link import Linker

            return Linker(session.engine(progress, cancel)).preview(name)

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
            from depot_gui.sync.link import Linker

            return Linker(session.engine(progress, cancel)).link(preview)

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
            from depot_gui.sync.pending import recheck

            return recheck(session.engine(progress, cancel), rows).message()

        def done(message: str) -> None:
            if message:
                self.finished_message.emit(message)
                self.pending_ready.emit(message)

        op = Op(self.window, work).success(done).failure(lambda e: log.warning("pending re-check: %s", e))
        return self._start(op, after=lambda: self._reload(ids))

    def _reload(self, ids: list[int]) -> None:
        fresh = [r for r in (self.session.store.invoice(i) for i in ids) if r is not None]
        self.rows_updated.emit(fresh)

    def _on_sync_done(self, outcomes) -> None:
        done = sum(1 for o in outcomes if o.ok)
        problems = [o for o in outcomes if not o.ok]
        text = f"{done} of {len(outcomes)} invoice{'s' if len(outcomes) != 1 else ''} in Xero."
        if problems:
            text += " Not synced: " + ", ".join(o.result.invoice_number for o in problems) + " (select one to see why)."
        notes, self._sync_notes = self._sync_notes, []
        if notes:
            text += " " + " ".join(notes)
        self._say(text)

    def relay_rows(self, autotask_ids: list[int]) -> None:
        """(Worker thread) rows whose state was just recorded: the window updates them as they come."""
        rows = [r for r in (self.session.store.invoice(i) for i in autotask_ids) if r is not None]
        if rows:
            self.rows_updated.emit(rows)  # queued to the GUI thread

    def _session_or_none(self, quiet: bool = False) -> Session | None:
        if self.busy:
            if not quiet:
                self.finished_message.emit("Still working on the previous step…")
            return None
        return self.session
