"""Look again, on a timer, at invoices Autotask was still attaching items to; tell when they are ready.

The watcher never syncs: it audits the pending invoices again once their attach window (the
``fresh_minutes`` setting, at least a minute here) has passed, quietly in the background, and
says which ones turned ready in the status bar and, where the desktop has one, the tray.
"""

from __future__ import annotations

from datetime import datetime, timezone

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QSystemTrayIcon, QWidget

from depot_gui.store.db import InvoiceRow
from depot_gui.sync.invoices.pending import next_check, pending_rows

from depot_gui.ui.resources import icon

MIN_MINUTES = 1  # never a tight loop, even with the attach window set to 0


class PendingWatcher(QObject):
    """Args:
        window: the main window (owner; its ``rows()`` are the invoices shown).
        ops: the window's SessionOps (one operation at a time; the re-check waits its turn).
    """

    def __init__(self, window: QWidget, ops) -> None:
        super().__init__(window)
        self.window = window
        self.ops = ops
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self._on_timer_timeout)
        self.tray: QSystemTrayIcon | None = None
        self.clock = lambda: datetime.now(timezone.utc)  # tests move it forward
        self.next_due: datetime | None = None  # when the timer will look again (None: nothing pending)
        ops.pending_ready.connect(self._on_ops_pending_ready)

    def minutes(self) -> int:
        return max(MIN_MINUTES, self.ops.session.store.settings().fresh_minutes)

    def schedule(self, rows: list[InvoiceRow]) -> None:
        """Arm the timer for the next pending invoice to fall due (or stop it: none pending)."""
        now = self.clock()
        pending = pending_rows(rows)
        if not pending:  # the usual case: no settings read (a store read on the GUI thread while a batch writes)
            self.next_due = None
            self.timer.stop()
            return
        due, later = next_check(pending, self.minutes(), now)
        self.next_due = now if due else later
        if due:
            self.timer.start(0)
        elif later is not None:
            self.timer.start(max(1000, int((later - now).total_seconds() * 1000)))
        else:
            self.timer.stop()

    def _on_timer_timeout(self) -> None:
        due, _ = next_check(self.window.rows(), self.minutes(), self.clock())
        if not due:
            self.schedule(self.window.rows())
            return
        self.ops.when_idle(lambda: self.ops.recheck_pending(due))

    def _on_ops_pending_ready(self, message: str) -> None:
        if not QSystemTrayIcon.isSystemTrayAvailable():
            return
        if self.tray is None:
            self.tray = QSystemTrayIcon(icon("app"), self)
            self.tray.setToolTip("Depot GUI")
        self.tray.show()
        self.tray.showMessage("Depot GUI", message, icon("app"), 10000)


__all__ = ["PendingWatcher"]
