"""The window's one-operation-at-a-time queue: runs ops, reports their outcome, relays changed rows.

It owns the serialisation (never two writers on one session): which op runs now, what waits
until it ends, the busy signal, and how an op's outcome reaches the window (a status-bar line,
a friendly failure, rows re-read from the store). The use cases themselves (refresh, sync,
link, payments, pending) are ``SessionOps`` in operations.py, built on this.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from depot_gui.sync.orgs.limits import calls_left
from depot_gui.sync.session.session import Session, SessionError

from depot_gui.ui.dialogs.errors import friendly_message
from depot_gui.ui.ops.workers import Op

log = logging.getLogger("depot_gui.ui")


class OpQueue(QObject):
    """Runs one op at a time for the window and relays what it did.

    Args:
        session: the open session.
        parent: the window (owner of progress dialogs).

    Signals:
        busy_changed(bool): an operation started or ended.
        rows_updated(list): rows that an operation changed.
        disconnected(str): why there is no connection (one sentence).
        failed(str, str): title and friendly message of an error.
        finished_message(str): a one-line summary for the status bar.
        calls_left(list): after each operation, (organisation, Xero calls left today) as Xero last said.
    """

    ROWS_EVERY_MS = 100
    busy_changed = Signal(bool)
    rows_updated = Signal(list)
    _rows_relayed = Signal(list)  # (worker -> GUI thread) rows as the work records them
    disconnected = Signal(str)
    failed = Signal(str, str)
    finished_message = Signal(str)
    calls_left = Signal(list)  # [(organisation name, Xero calls left today)] after each operation

    def __init__(self, session: Session, parent: QWidget) -> None:
        super().__init__(parent)
        self.session = session
        self.window = parent
        self.current: Op | None = None
        self._when_idle: list = []
        self._said = False
        self._last_said = ""
        self.progress_view = None  # the window's ProgressStrip: its own ops show progress there, not in a dialog
        # Rows recorded by the work reach the window at most every ROWS_EVERY_MS, many at once (issue 22:
        # one table/counts/actions update per batch of rows, not per invoice).
        self._pending_rows: dict[int, object] = {}
        self._rows_timer = QTimer(self)
        self._rows_timer.setSingleShot(True)
        self._rows_timer.setInterval(self.ROWS_EVERY_MS)
        self._rows_timer.timeout.connect(self.flush_rows)
        self._rows_relayed.connect(self._on_rows_relayed)

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
        if self.progress_view is not None and op.owner is self.window:
            op.in_window(self.progress_view)

        def finished() -> None:
            self.flush_rows()
            self.calls_left.emit(calls_left(self.session.connected()))
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

    def _session_or_none(self, quiet: bool = False) -> Session | None:
        if self.busy:
            if not quiet:
                self.finished_message.emit("Still working on the previous step…")
            return None
        return self.session

    # ------------------------------------------------------------------ outcomes
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

    def _fresh(self, ids: list[int]) -> list:
        return [r for r in (self.session.store.invoice(i) for i in ids) if r is not None]

    def _reload(self, ids: list[int], rows: list | None = None) -> None:
        """The given invoices as the store now has them (after an op ended), to the window.

        ``rows``: already read on the worker (the GUI thread then reads nothing: issue 22).
        """
        self.rows_updated.emit(self._fresh(ids) if rows is None else rows)

    def relay_rows(self, autotask_ids: list[int]) -> None:
        """(Worker thread) rows whose state was just recorded: the window updates them as they come."""
        rows = self._fresh(autotask_ids)
        if rows:
            self._rows_relayed.emit(rows)  # queued to the GUI thread, coalesced there

    def _on_rows_relayed(self, rows: list) -> None:
        for row in rows:
            self._pending_rows[row.autotask_id] = row
        if not self._rows_timer.isActive():
            self._rows_timer.start()

    def flush_rows(self) -> None:
        """Hand the rows gathered since the last flush to the window now (one rows_updated)."""
        self._rows_timer.stop()
        rows, self._pending_rows = list(self._pending_rows.values()), {}
        if rows:
            self.rows_updated.emit(rows)


__all__ = ["OpQueue"]
