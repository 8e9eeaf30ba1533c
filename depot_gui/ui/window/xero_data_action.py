"""File › Read Xero data afresh at next refresh: forget the Xero data kept on this computer.

The next refresh then reads accounts, tax rates, contacts and document numbers from Xero again
instead of only what changed since. Nothing is read now; the forgetting waits for the running
operation (if any) to end, then runs on a worker as the window's one operation.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from depot_gui.sync.session.session import Session
from depot_gui.sync.maintenance.forget_xero_cache import WHAT, forget_xero_data

from depot_gui.ui.dialogs.errors import friendly_message
from depot_gui.ui.ops.workers import Op

log = logging.getLogger("depot_gui.ui")
TITLE = "Read Xero data afresh"


class XeroDataActions(QObject):
    """The File-menu action over the window's session.

    Signals:
        finished_message(str): what was forgotten (status bar).
        failed(str, str): title and one-sentence reason.
    """

    finished_message = Signal(str)
    failed = Signal(str, str)

    def __init__(self, window: QWidget, session: Session, ops) -> None:
        super().__init__(window)
        self.window, self.session, self.ops = window, session, ops
        self.act_forget = QAction("Read Xero data &afresh at next refresh", window)
        self.act_forget.setStatusTip(f"Forget the Xero {WHAT} kept on this computer: the next refresh reads them "
                                     "from Xero again (nothing is read now)")
        self.act_forget.triggered.connect(self._on_forget_triggered)

    def _on_forget_triggered(self) -> None:
        self.act_forget.setEnabled(False)
        self._forget()

    def _forget(self) -> None:
        """As the window's one operation: never under a refresh (or what follows it) using the cached data."""

        def failed(exc: BaseException) -> None:
            log.error("%s did not finish: %s", TITLE, exc, exc_info=(type(exc), exc, exc.__traceback__))
            self.failed.emit(TITLE, friendly_message(exc))

        def done(forgotten) -> None:
            log.info("%s", forgotten.line("the next refresh"))
            self.finished_message.emit(forgotten.short())

        op = Op(self.window, lambda cancel, progress: forget_xero_data(self.session.store)).success(done).failure(failed)
        if not self.ops.run_op(op, after=lambda: self.act_forget.setEnabled(True)):
            # After the running operation and what it queued (a refresh queues the payments check).
            self.ops.when_idle(lambda: QTimer.singleShot(0, self._forget))
