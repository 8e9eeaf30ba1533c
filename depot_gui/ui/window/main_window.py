"""The main window: composes toolbar, invoice list, detail pane, banner, status bar and log dock.

It owns the layout and the person's commands (sync, settings, repair…), and composes its parts,
which live beside it and tell it what happened by their signals: ``WindowActions`` (actions.py)
builds the actions, toolbar and menus; ``WindowState`` (state.py) remembers geometry, splitter
and columns; ``OpResults`` (results.py) shows what background work did; ``SessionOps``
(ui/ops/operations.py) runs it.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication
from PySide6.QtWidgets import QMainWindow, QMessageBox, QSplitter, QVBoxLayout, QWidget

from depot_gui import version
from depot_gui.core.audit import READY
from depot_gui.store.records import BadStoredSetting
from depot_gui.store.db import InvoiceRow
from depot_gui.sync.session.session import Session

from depot_gui.ui.contacts.actions import ContactActions
from depot_gui.ui.orgs.actions import OrgActions
from depot_gui.ui.detail.edits_dialog import review_edits
from depot_gui.ui.detail.link_dialog import review_link
from depot_gui.ui.detail.pane import SELECT_TEXT, DetailPane
from depot_gui.ui.dialogs.batch_confirm import confirm_box, sync_title
from depot_gui.ui.dialogs.diagnostics import diagnostics_text
from depot_gui.ui.dialogs.settings import SettingsDialog
from depot_gui.ui.ops.operations import SessionOps
from depot_gui.ui.reports.actions import ReportActions
from depot_gui.ui.resources import icon
from depot_gui.ui.detail.finishing_view import can_send
from depot_gui.ui.sending.actions import SendActions
from depot_gui.ui.window.actions import WindowActions
from depot_gui.ui.window.appearance import AppearanceMenu
from depot_gui.ui.window.banner import Banner
from depot_gui.ui.window.invoice_list import InvoiceList
from depot_gui.ui.window.log_view import LogDock, install_log_handler
from depot_gui.ui.window.pending_watch import PendingWatcher
from depot_gui.ui.window.results import OpResults
from depot_gui.ui.window.state import WindowState
from depot_gui.ui.window.status_bar import AppStatusBar
from depot_gui.ui.window.xero_data_action import XeroDataActions

log = logging.getLogger("depot_gui.ui")


def window_title(session: Session) -> str:
    """The title before Qt appends the application name ("… — Depot GUI"); never the name twice."""
    if session.sandbox is None:
        return "Depot GUI"
    name = session.sandbox.scenario_path.name
    return "Demo (sandbox data)" if name == "demo.json" else f"Sandbox: {name}"


class MainWindow(QMainWindow):
    """The Depot GUI window over one open session.

    Args:
        session: the open data directory (store, settings, connections).
    """

    repair_requested = Signal()  # File › Repair local database: the app closes the session, repairs, reopens

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        # The window's reads (the detail pane, the settings) show what is committed rather than wait
        # for a batch being recorded by a worker (issue 22: 100-400 ms stalls during a sync).
        session.store.read_committed_in_this_thread()
        self.connection_text = "Not connected yet"
        self.settings_dialog: SettingsDialog | None = None
        self.setWindowTitle(window_title(session))
        self.setWindowIcon(icon("app"))
        self.log_handler = install_log_handler()
        self.ops = SessionOps(session, self)
        self._build_central()
        self.commands = WindowActions(self)  # the toolbar now, the menus below
        self.xero_data = XeroDataActions(self, session, self.ops)  # Read Xero data afresh at next refresh
        self.contacts = ContactActions(self, session, self.ops)  # Xero contacts… and Choose Xero contact…
        self.orgs = OrgActions(self, session, self.ops)  # Xero organisations…: which company goes to which
        self.orgs.current_organisation = self.invoices.current_organisation  # the mapping opens on the invoice's
        self.reports = ReportActions(self, session, self.invoices)  # Export…, Month-end report (PDF)…
        self.sending = SendActions(self, session, self.ops)  # Send from Xero… (approved invoices)
        self.sending.selected = lambda: [r for r in self.invoices.selected_rows() if can_send(r)]
        self.commands.build_menus([self.sending.act_send, self.xero_data.act_forget, self.contacts.act_contacts,
                                   self.orgs.act_orgs, self.orgs.act_mapping],
                                  [self.reports.act_export, self.reports.act_month_end])
        self.status = AppStatusBar(self)
        self.setStatusBar(self.status)
        self.ops.progress_view = self.status.progress  # batches show progress in the window, not a modal dialog
        self.log_dock = LogDock(self.log_handler, self)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.log_dock)
        self.log_dock.hide()
        self.commands.menu_view.addAction(self.log_dock.toggleViewAction())
        self.commands.menu_view.addMenu(self.invoices.columns.menu)  # the table's columns, as its header's menu
        self.appearance = AppearanceMenu(self)  # System, Light, Dark
        self.commands.menu_view.addMenu(self.appearance.menu)
        self.status.log_requested.connect(self._on_status_log_requested)
        self._connect()
        self.state = WindowState(self, self.splitter, self.invoices)
        self.state.restore()
        self._update_actions()

    # ------------------------------------------------------------------ build
    def _build_central(self) -> None:
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 0)
        self.banner = Banner()
        layout.addWidget(self.banner)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("main_splitter")
        self.invoices = InvoiceList()
        self.detail = DetailPane(self.session.store)
        self.splitter.addWidget(self.invoices)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 5)
        self.splitter.setStretchFactor(1, 6)
        self.splitter.setChildrenCollapsible(False)
        layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)

    def _connect(self) -> None:
        c = self.commands
        c.refresh_triggered.connect(self._on_refresh_triggered)
        c.sync_triggered.connect(self._on_sync_triggered)
        c.resync_triggered.connect(self._on_resync_triggered)
        c.sync_all_triggered.connect(self._on_sync_all_triggered)
        c.payments_triggered.connect(self._on_payments_triggered)
        c.settings_triggered.connect(self._on_settings_triggered)
        c.repair_triggered.connect(self._on_repair_triggered)
        c.find_triggered.connect(self._on_find_triggered)
        c.diagnostics_triggered.connect(self.copy_diagnostics)
        c.about_triggered.connect(self.show_about)
        c.guide_triggered.connect(self.show_guide)
        self.invoices.current_changed.connect(self._on_invoices_current_changed)
        self.invoices.selection_changed.connect(self._on_invoices_selection_changed)
        self.invoices.visible_changed.connect(self._on_invoices_visible_changed)
        self.detail.sync_requested.connect(self._on_detail_sync_requested)
        self.detail.resync_requested.connect(self._on_detail_sync_requested)
        self.detail.settings_requested.connect(self._on_settings_triggered)
        self.detail.link_requested.connect(self._on_detail_link_requested)
        self.detail.contact_requested.connect(self.contacts.choose_for_invoice)
        self.detail.send_requested.connect(self._on_detail_send_requested)
        self.detail.link_copied.connect(self._on_detail_link_copied)
        self.ops.link_preview_ready.connect(self._on_ops_link_preview_ready)
        self.ops.edits_to_review.connect(self._on_ops_edits_to_review)
        self.pending = PendingWatcher(self, self.ops)
        self.ops.busy_changed.connect(self._on_ops_busy_changed)
        # what the ops (and the File menu's action groups) did, in view
        self.results = OpResults(self.ops, (self.reports, self.xero_data, self.contacts, self.orgs, self.sending),
                                 self.invoices, self.detail, self.status, self.banner, self.pending, self)
        self.results.rows_changed.connect(self._update_actions)
        self.results.connection_changed.connect(self._on_results_connection_changed)
        self.banner.action_clicked.connect(self._on_banner_action_clicked)
        self.appearance.changed.connect(self._on_appearance_changed)

    # ------------------------------------------------------------------ public
    def start(self) -> None:
        """Show what the store knows at once, then connect and refresh in the background."""
        rows = self.session.store.invoices()
        self.results.show_rows(rows)
        if self.session.store.warnings:  # a backup not taken: in view, not only in the log
            self.banner.setProperty("kind", "store")
            self.banner.show_message(" ".join(w[:1].upper() + w[1:] + "." for w in self.session.store.warnings))
        if rows:
            self.invoices.view.selectRow(0)
        self.ops.refresh(quiet=True)

    def open_setup_wizard(self) -> None:
        """Connect Autotask and Xero with the setup wizard, then refresh."""
        from depot_gui.ui.wizard import run_setup_wizard

        saved = run_setup_wizard(self, self.session)
        if self.settings_dialog is not None:  # open beneath the wizard (Reconnect…): show what it saved
            self.settings_dialog.show_saved()
        if saved:
            # Work started with the old connection is stopped first; then connect anew and load.
            self.ops.when_idle(self._reconnect_and_refresh, cancel_current=True)

    def _reconnect_and_refresh(self) -> None:
        self.session.reconnect()
        self.ops.refresh()

    def copy_diagnostics(self) -> str:
        text = diagnostics_text(self.session, self.connection_text, self.log_handler)
        QGuiApplication.clipboard().setText(text)
        self.status.showMessage("Diagnostics copied to the clipboard (no passwords or tokens).", 8000)
        return text

    def rows(self) -> list[InvoiceRow]:
        return self.invoices.model.rows()

    # ------------------------------------------------------------------ state
    def _update_actions(self) -> None:
        """Enable what can run now (nothing that starts work while an operation runs)."""
        busy = self.ops.busy
        self.commands.enable(busy, self.invoices.selected_rows(), self.rows(), self.invoices.proxy.rowCount())
        self.contacts.act_contacts.setEnabled(not busy)
        self.orgs.act_orgs.setEnabled(not busy)
        self.orgs.act_mapping.setEnabled(not busy)
        self.sending.act_send.setEnabled(not busy and any(can_send(r) for r in self.invoices.selected_rows()))
        self.detail.set_busy(busy)

    def save_state(self) -> None:
        self.state.save()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.pending.timer.stop()
        if self.ops.current is not None:
            self.ops.current.cancel.cancel()
        self.ops.discard_spare()
        self.save_state()
        super().closeEvent(event)

    # ------------------------------------------------------------------ slots
    def _on_ops_busy_changed(self, _busy: bool) -> None:
        self._update_actions()

    def _on_results_connection_changed(self, text: str) -> None:
        self.connection_text = text

    def _on_appearance_changed(self, _mode: str) -> None:
        self.detail.refresh()  # its colours were picked for the palette it was filled in

    def _on_invoices_current_changed(self, autotask_id) -> None:
        self.detail.show_invoice(autotask_id)

    def _on_invoices_selection_changed(self, _ids) -> None:
        self._update_actions()

    def _on_invoices_visible_changed(self) -> None:
        total, shown = self.invoices.model.total(), self.invoices.proxy.rowCount()
        if not total:
            text = "No invoices yet: Refresh from Autotask downloads the ones not yet in Xero."
        elif not shown:
            text = f"No invoice matches the search or filter. Clear them to see all {total} invoices."
        else:
            text = SELECT_TEXT
        self.detail.set_empty_text(text)
        self._update_actions()

    def _on_detail_sync_requested(self, autotask_id: int) -> None:
        row = self.invoices.model.row_for(autotask_id)
        if row is not None:
            self.ops.sync([row], f"Syncing {row.invoice_number} to Xero")

    def _on_detail_send_requested(self, autotask_id: int) -> None:
        row = self.invoices.model.row_for(autotask_id)
        if row is not None:
            self.sending.send([row])

    def _on_detail_link_copied(self, url: str) -> None:
        self.status.showMessage(f"Online invoice link copied: {url}", 8000)

    def _on_detail_link_requested(self, autotask_id: int) -> None:
        row = self.invoices.model.row_for(autotask_id)
        if row is not None:
            self.ops.link_preview(row)

    def _on_ops_link_preview_ready(self, preview) -> None:
        self.link_review = review_link(self, preview, self.ops.link)

    def _on_ops_edits_to_review(self, edited: list) -> None:
        self.edits_review = review_edits(self, edited, self._replace_edits)

    def _replace_edits(self, autotask_ids: list[int]) -> None:
        rows = [r for r in (self.invoices.model.row_for(i) for i in autotask_ids) if r is not None]
        if rows:
            self.ops.sync(rows, "Replacing the edits in Xero", replace_edits=True)

    def _on_refresh_triggered(self) -> None:
        self.ops.refresh()

    def _on_payments_triggered(self) -> None:
        self.ops.check_payments()

    def _on_sync_triggered(self) -> None:
        rows = [r for r in self.invoices.selected_rows() if r.status == READY]
        if len(rows) > 1 and not self.ask(confirm_box(rows, [], self, "Sync selected", status=self._new_status())):
            self.status.showMessage("Sync selected cancelled: nothing was sent.", 8000)
            return
        self.ops.sync(rows)

    def _on_resync_triggered(self) -> None:
        """Check again and send: asks first when it may send (a ready invoice, or several at once)."""
        rows = self.invoices.selected_rows()
        if rows and (len(rows) > 1 or rows[0].status == READY) and not self.ask(
                confirm_box(rows, [], self, "Re-sync", check_first=True, status=self._new_status())):
            self.status.showMessage("Re-sync cancelled: nothing was sent.", 8000)
            return
        self.ops.sync(rows, "Re-syncing")

    def _new_status(self) -> str:
        """The status new Xero documents get ("" when the settings cannot be read: the question then says less;
        a damaged setting is reported where the settings are used)."""
        try:
            return self.session.store.settings().xero_status
        except BadStoredSetting:
            return ""

    def _on_sync_all_triggered(self) -> None:
        """Send the ready invoices the list shows, after saying which (and which ready ones it hides)."""
        if self.ops.busy:
            self.status.showMessage("Still working on the previous step…", 5000)
            return
        ready = [r for r in self.invoices.visible_rows() if r.status == READY]
        shown = {r.autotask_id for r in ready}
        hidden = [r for r in self.rows() if r.status == READY and r.autotask_id not in shown
                  and not self.invoices.proxy.accepts(r)]
        if not ready:
            more = f" {len(hidden)} ready invoice{'s are' if len(hidden) != 1 else ' is'} hidden by the search or filter." \
                if hidden else ""
            self.status.showMessage("No invoice in the list is ready to sync." + more, 10000)
            return
        if not self.ask(confirm_box(ready, hidden, self, status=self._new_status())):
            self.status.showMessage("Sync all ready cancelled: nothing was sent.", 8000)
            return
        self.ops.sync(ready, sync_title(ready))

    def ask(self, box: QMessageBox) -> bool:
        """Show a question box modally; True when its accept button was pressed (tests replace this)."""
        box.exec()
        clicked = box.clickedButton()
        return clicked is not None and box.buttonRole(clicked) == QMessageBox.ButtonRole.AcceptRole

    def _on_find_triggered(self) -> None:
        self.invoices.search.setFocus()
        self.invoices.search.selectAll()

    def _on_settings_triggered(self) -> None:
        if self.ops.busy:
            return
        self.settings_dialog = SettingsDialog(self.session, self.connection_text, self)
        self.settings_dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # one per opening, freed on close
        self.settings_dialog.destroyed.connect(self._on_settings_dialog_destroyed)
        self.settings_dialog.settings_saved.connect(self._on_settings_saved)
        self.settings_dialog.setup_requested.connect(self.open_setup_wizard)
        self.settings_dialog.recheck_requested.connect(self._on_refresh_triggered)
        self.settings_dialog.signed_out.connect(self._on_signed_out)
        self.settings_dialog.open()

    def _on_signed_out(self, sentence: str) -> None:
        self.status.showMessage(sentence)
        self.ops.when_idle(self._reconnect_and_refresh)  # the window says what the connection now is

    def _on_status_log_requested(self) -> None:
        self.log_dock.show()
        self.log_dock.raise_()

    def _on_settings_dialog_destroyed(self) -> None:
        self.settings_dialog = None

    def show_connection_settings(self) -> None:
        self._on_settings_triggered()
        if self.settings_dialog is not None:
            self.settings_dialog.show_connections()

    def _on_settings_saved(self, changed: list) -> None:
        if "attach_autotask_pdf" in changed and self.session.sandbox is not None:
            # the sandbox's sign-in asks Xero's attachments permission with the option on: sign in again
            # (a real connection is connected again by the person, as Settings says)
            self.ops.when_idle(self.session.reconnect)
        if set(changed) - {"xero_status", "send_from_xero", "attach_autotask_pdf"}:  # none changes what an audit finds
            self.status.showMessage("Settings saved; checking the invoices again…", 5000)
            self.ops.refresh()

    def _on_banner_action_clicked(self, key: str) -> None:
        if key == "connections":
            self.show_connection_settings()

    def _on_repair_triggered(self) -> None:
        answer = QMessageBox.question(
            self, "Repair local database",
            "Depot GUI will close this window, check the local database, keep it aside if it is damaged "
            "(it is never deleted), and rebuild which invoices are synced from Autotask and Xero. Nothing is "
            "written to Xero. Continue?",
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.repair_requested.emit()

    def show_guide(self) -> None:
        """Help › User guide: the README's "How it works", read from the installed package (offline)."""
        from depot_gui.ui.dialogs.user_guide import UserGuide

        self.guide = UserGuide(self)
        self.guide.show()

    def show_about(self) -> None:
        QMessageBox.about(self, "About Depot GUI", f"<b>Depot GUI {version()}</b><p>Depot GUI moves invoices from "
                          "Autotask PSA into Xero, one at a time, and refuses any whose Xero total would not match "
                          "Autotask.</p>")
