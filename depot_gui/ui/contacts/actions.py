"""Xero contacts in the window: the chooser for one company, the companies list, and their work.

Every ContactDesk call reads Autotask and Xero (and link/create/forget write), so each runs as an
op of the window's SessionOps: on a worker, one at a time with refresh and sync. After a choice
the company's waiting invoices are audited again (never sent), so their rows turn ready.
"""

from __future__ import annotations

import logging

import shiboken6
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox, QWidget

from depot_gui.sync.contacts.recheck import recheck_company
from depot_gui.sync.contacts.desk import CompanyContact, ContactDesk, ContactError
from depot_gui.sync.session.session import Session

from depot_gui.ui.contacts.chooser import ContactChooser
from depot_gui.ui.contacts.contact_list import ContactListDialog
from depot_gui.ui.dialogs.errors import friendly_message
from depot_gui.ui.models.contact_table import ContactOption
from depot_gui.ui.ops.operations import SessionOps
from depot_gui.ui.ops.workers import Op

log = logging.getLogger("depot_gui.ui")


def _alive(dialog: QWidget | None) -> bool:
    return dialog is not None and shiboken6.isValid(dialog) and dialog.isVisible()


class ContactActions(QObject):
    """File › Xero contacts… and the detail pane's Choose Xero contact….

    Args:
        window: the main window (parent of the dialogs and progress).
        session: the open session.
        ops: the window's SessionOps (one operation at a time).

    Signals:
        finished_message(str): what a choice did (status bar).
        failed(str, str): title and one-sentence reason.
    """

    finished_message = Signal(str)
    failed = Signal(str, str)

    def __init__(self, window: QWidget, session: Session, ops: SessionOps) -> None:
        super().__init__(window)
        self.window, self.session, self.ops = window, session, ops
        self.chooser: ContactChooser | None = None
        self.list: ContactListDialog | None = None
        self.forget_box: QMessageBox | None = None
        self.act_contacts = QAction("Xero &contacts…", window)
        self.act_contacts.setStatusTip("Which Xero contact each company's invoices go to; choose or forget one")
        self.act_contacts.triggered.connect(self.open_list)

    def _desk(self) -> ContactDesk:
        return ContactDesk(self.session.store, self.session.connections())

    def _run(self, op: Op) -> None:
        """Start ``op`` as the window's one operation: now, or after the running one and what it queued."""
        if not self.ops.run_op(op):
            self.ops.when_idle(lambda: QTimer.singleShot(0, lambda: self._run(op)))

    def _failure(self, title: str, dialog_of=None):
        def failed(exc: BaseException) -> None:
            message = friendly_message(exc)
            if isinstance(exc, ContactError):
                log.info("%s: %s", title, message)
            else:
                log.error("%s", title, exc_info=(type(exc), exc, exc.__traceback__))
            dialog = dialog_of() if dialog_of else None
            if _alive(dialog):
                dialog.set_failed(f"{title} did not finish: {message}")
            else:
                self.failed.emit(title, message)
            self.finished_message.emit(f"{title} did not finish: {message}")
        return failed

    # ------------------------------------------------------------------ chooser
    def choose_for_invoice(self, choice: dict) -> ContactChooser:
        """The chooser for an invoice's ``contact_choice``; the company is read again in the background."""
        chooser = self._open_chooser(int(choice["company_id"]), str(choice["company"]), list(choice["candidates"]))
        company_id = chooser.company_id

        def work(cancel, progress):
            desk = self._desk()
            rows = [c for c in desk.companies(include_linked=True) if c.company_id == company_id]
            return (rows[0] if rows else None), desk.directory(company_id)

        def done(payload) -> None:
            row, directory = payload
            if _alive(chooser):
                if row is not None:
                    chooser.set_company(row)
                chooser.set_directory(directory)

        self._run(Op(self.window, work).success(done)
                  .failure(self._failure("Loading the Xero contacts", lambda: chooser)))
        return chooser

    def choose_company(self, row: CompanyContact) -> ContactChooser:
        """The chooser for a company of the list (its state is known: only the directory is read)."""
        chooser = self._open_chooser(row.company_id, row.company_name, [c.to_json() for c in row.candidates])
        chooser.set_company(row)
        self._run(Op(self.window, lambda cancel, progress: self._desk().directory(row.company_id))
                  .success(lambda contacts: _alive(chooser) and chooser.set_directory(contacts))
                  .failure(self._failure("Loading the Xero contacts", lambda: chooser)))
        return chooser

    def _open_chooser(self, company_id: int, company_name: str, candidates: list[dict]) -> ContactChooser:
        if _alive(self.chooser):
            self.chooser.reject()
        owner = self.list if _alive(self.list) else self.window  # on top of the list when opened from it
        chooser = ContactChooser(company_id, company_name, candidates, owner)
        chooser.link_chosen.connect(lambda option: self.link(company_id, option))
        chooser.create_chosen.connect(lambda: self.create(company_id, company_name))
        self.chooser = chooser
        chooser.open()
        return chooser

    # ------------------------------------------------------------------ deciding
    def link(self, company_id: int, option: ContactOption) -> None:
        """Link the company to the contact (checked again in Xero), then audit its waiting invoices."""
        def decide(desk: ContactDesk) -> CompanyContact:
            company = desk.company(str(company_id))
            return desk.link(company, desk.contact(option.contact_id, company))

        self._decide(decide, f"Linking to \u201c{option.name}\u201d", "Link Xero contact")

    def create(self, company_id: int, name: str) -> None:
        """Create the company's contact in Xero (once), then audit its waiting invoices."""
        self._decide(lambda desk: desk.create(desk.company(str(company_id))), f"Creating the Xero contact \u201c{name}\u201d",
                     "Create Xero contact")

    def forget(self, row: CompanyContact) -> None:
        """Forget the company's chosen contact (asked first), then audit its waiting invoices."""
        box = QMessageBox(QMessageBox.Icon.Question, "Forget contact choice",
                          f"Forget the Xero contact chosen for {row.company_name}?", parent=self.list or self.window)
        box.setObjectName("forget_contact_confirm")
        box.setInformativeText(
            (f"Its invoices go to \u201c{row.contact_name}\u201d now. " if row.contact_name else "")
            + "After forgetting, its invoices not yet in Xero are checked again and wait for a new choice when "
            "Xero has close contacts. Nothing changes in Xero.")
        forget = box.addButton("&Forget choice", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)

        def decide(desk: ContactDesk) -> CompanyContact:
            desk.unlink(desk.company(str(row.company_id)))
            return next(c for c in desk.companies(include_linked=True) if c.company_id == row.company_id)

        box.finished.connect(lambda _r: box.clickedButton() is forget and self._decide(
            decide, f"Forgetting the contact of {row.company_name}", "Forget contact choice"))
        self.forget_box = box
        box.open()

    def _decide(self, decide, label: str, title: str) -> None:
        session = self.session

        def work(cancel, progress):
            row = decide(self._desk())
            auditor = session.auditor(progress, cancel)
            auditor.on_recorded = self.ops.relay_rows
            return recheck_company(auditor, row)

        def done(rechecked) -> None:
            self.finished_message.emit(rechecked.message())
            if _alive(self.list):
                self.load_list()

        self._run(Op(self.window, work).success(done).failure(self._failure(title))
                  .with_progress(label, cancellable=True))

    # ------------------------------------------------------------------ list
    def open_list(self) -> ContactListDialog:
        if not _alive(self.list):
            self.list = ContactListDialog(self.window)
            self.list.choose_requested.connect(self.choose_company)
            self.list.forget_requested.connect(self.forget)
        self.list.open()
        self.load_list()
        return self.list

    def load_list(self) -> None:
        dialog = self.list

        def done(rows) -> None:
            if _alive(dialog):
                dialog.set_rows(rows)

        self._run(Op(self.window, lambda cancel, progress: self._desk().companies(include_linked=True))
                  .success(done).failure(self._failure("Loading the companies", lambda: dialog)))


__all__ = ["ContactActions"]
