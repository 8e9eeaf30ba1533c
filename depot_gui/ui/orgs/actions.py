"""File › Xero organisations… in the window: read the routes, show them, save a change, check again.

Reading the organisations may call Xero and saving a route reads the company from Autotask, so both run as
ops of the window's SessionOps (on a worker, one at a time with refresh and sync). After a change the
invoices are checked again at once (a refresh), so each shows the organisation it goes to.
"""

from __future__ import annotations

import logging

import shiboken6
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from depot_gui.sync.orgs.routing import OrgDesk
from depot_gui.sync.session.session import Session

from depot_gui.ui.dialogs.errors import friendly_message
from depot_gui.ui.ops.operations import SessionOps
from depot_gui.ui.ops.workers import Op
from depot_gui.ui.orgs.routing_dialog import RoutingDialog

log = logging.getLogger("depot_gui.ui")


class OrgActions(QObject):
    """File › Xero organisations….

    Signals:
        finished_message(str): what a change did (status bar).
        failed(str, str): title and one-sentence reason.
    """

    finished_message = Signal(str)
    failed = Signal(str, str)

    def __init__(self, window: QWidget, session: Session, ops: SessionOps) -> None:
        super().__init__(window)
        self.window, self.session, self.ops = window, session, ops
        self.dialog: RoutingDialog | None = None
        self.act_orgs = QAction("Xero &organisations…", window)
        self.act_orgs.setStatusTip("Which Xero organisation each company's invoices go to")
        self.act_orgs.triggered.connect(self.open_routing)

    def _desk(self) -> OrgDesk:
        return OrgDesk(self.session.store, self.session.connections())

    def _run(self, op: Op) -> None:
        if not self.ops.run_op(op):
            self.ops.when_idle(lambda: QTimer.singleShot(0, lambda: self._run(op)))

    def _failure(self, title: str):
        def failed(exc: BaseException) -> None:
            message = friendly_message(exc)
            log.error("%s", title, exc_info=(type(exc), exc, exc.__traceback__))
            self.failed.emit(title, message)
            self.finished_message.emit(f"{title} did not finish: {message}")
        return failed

    def open_routing(self) -> None:
        """Read the organisations and the companies in the background, then show them."""
        def work(cancel, progress):
            desk = self._desk()
            return desk.used_tenants(), desk.default_tenant(), desk.routing()

        self._run(Op(self.window, work).success(self._show).failure(self._failure("Reading the Xero organisations")))

    def _show(self, payload) -> None:
        if self.dialog is not None and shiboken6.isValid(self.dialog):
            self.dialog.reject()
        organisations, default, rows = payload
        self.dialog = RoutingDialog(organisations, default, rows, self.window)
        self.dialog.save_requested.connect(self.save)
        self.dialog.open()

    def save(self, changes: dict[int, str]) -> None:
        """Route each company changed (as `depot-sync orgs route` does), then check the invoices again."""
        def work(cancel, progress):
            desk = self._desk()
            return [desk.route(str(company_id), tenant) for company_id, tenant in sorted(changes.items())]

        def done(lines: list[str]) -> None:
            self.finished_message.emit(" ".join(lines) + " Checking the invoices again…")
            self.ops.when_idle(lambda: QTimer.singleShot(0, self.ops.refresh))

        self._run(Op(self.window, work).success(done).failure(self._failure("Saving the Xero organisations")))
