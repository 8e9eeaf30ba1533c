"""File › Xero organisations… and File › Account and tax mapping… in the window: read the routes (or one
organisation's mapping), show them, save a change, check again.

Reading the organisations may call Xero and saving a route reads the company from Autotask, so both run as
ops of the window's SessionOps (on a worker, one at a time with refresh and sync). After a change the
invoices are checked again at once (a refresh), so each shows the organisation it goes to. A mapping is read
and changed through the use case `depot-sync mapping` uses (``OrgMapping``), one row at a time as it would.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from depot_gui.sync.mapping.org_mapping import MappingRefused, OrgMapping
from depot_gui.sync.orgs.routing import OrgDesk
from depot_gui.sync.session.session import Session

from depot_gui.ui.dialogs.errors import friendly_message
from depot_gui.ui.ops.operations import SessionOps
from depot_gui.ui.ops.workers import Op
from depot_gui.ui.orgs.mapping_dialog import MappingDialog
from depot_gui.ui.orgs.routing_dialog import RoutingDialog

log = logging.getLogger("depot_gui.ui")


class OrgActions(QObject):
    """File › Xero organisations… and File › Account and tax mapping….

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
        self.mapping_dialog: MappingDialog | None = None
        self.act_mapping = QAction("Account and tax &mapping…", window)
        self.act_mapping.setStatusTip("Which Xero account and tax rate each organisation's invoice lines go to")
        self.current_organisation: Callable[[], str] = lambda: ""  # the selected invoice's organisation (name)
        self.act_mapping.triggered.connect(lambda: self.open_mapping(self.current_organisation()))

    def _desk(self) -> OrgDesk:
        return OrgDesk(self.session.store, self.session.connections())

    def _run(self, op: Op) -> None:
        if not self.ops.run_op(op):
            self.ops.when_idle(lambda: QTimer.singleShot(0, lambda: self._run(op)))

    def _failure(self, title: str):
        def failed(exc: BaseException) -> None:
            message = str(exc) if isinstance(exc, MappingRefused) else friendly_message(exc)
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

    def open_mapping(self, tenant: str = "") -> None:
        """Read the organisations and one's mapping (``tenant``: its tenant id or name; none or one no longer
        in use: the default one), then show it."""
        def work(cancel, progress):
            conn = self.session.connections()
            used = OrgDesk(self.session.store, conn).used_tenants()
            named = {t for t, name in used if tenant and tenant.casefold() in (t.casefold(), name.casefold())}
            return used, conn.tenant_id, OrgMapping(self.session.store, conn).form(next(iter(named), None))

        self._run(Op(self.window, work).success(self._show_mapping)
                  .failure(self._failure("Reading the account and tax mapping")))

    def _show_mapping(self, payload) -> None:
        organisations, default, form = payload
        if self.mapping_dialog is not None and shiboken6.isValid(self.mapping_dialog):
            self.mapping_dialog.reject()
        self.mapping_dialog = MappingDialog(organisations, default, self.window)
        self.mapping_dialog.organisation_requested.connect(self._read_mapping)
        self.mapping_dialog.save_requested.connect(self.save_mapping)
        self.mapping_dialog.load(form)
        self.mapping_dialog.open()

    def _read_mapping(self, tenant: str) -> None:
        """Another organisation chosen in the open dialog: read its mapping, then show it there."""
        dialog = self.mapping_dialog

        def work(cancel, progress):
            return OrgMapping(self.session.store, self.session.connections()).form(tenant)

        def done(form) -> None:
            if dialog is not None and shiboken6.isValid(dialog) and dialog.isVisible():
                dialog.load(form)

        self._run(Op(self.window, work).success(done).failure(self._failure("Reading the account and tax mapping")))

    def save_mapping(self, tenant: str, accounts: dict[int, str], taxes: dict[str, str]) -> None:
        """Map each row changed (as `depot-sync mapping account|tax --org` does), then check the invoices again."""
        def work(cancel, progress):
            desk = OrgMapping(self.session.store, self.session.connections())
            return ([desk.set_account(str(code), account, tenant) for code, account in sorted(accounts.items())]
                    + [desk.set_tax(rate, tax_type, tenant) for rate, tax_type in sorted(taxes.items())])

        def done(lines: list[str]) -> None:
            self.finished_message.emit(" ".join(lines) + " Checking the invoices again…")
            self.ops.when_idle(lambda: QTimer.singleShot(0, self.ops.refresh))

        self._run(Op(self.window, work).success(done).failure(self._failure("Saving the account and tax mapping")))
