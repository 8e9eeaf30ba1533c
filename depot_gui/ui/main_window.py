"""The main window: composes toolbar, invoice list, detail pane, banner, status bar and log dock."""

from __future__ import annotations

import logging

from PySide6.QtCore import QByteArray, QSettings, QSize, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMessageBox, QSplitter, QToolBar, QVBoxLayout, QWidget

from depot_gui import __version__
from depot_gui.core.audit import READY
from depot_gui.store.db import InvoiceRow
from depot_gui.sync.payments import READ_ONLY_MESSAGE
from depot_gui.sync.session import Session

from .banner import Banner
from .contact_actions import ContactActions
from .batch_confirm import confirm_box
from .detail_pane import SELECT_TEXT, DetailPane
from .diagnostics import diagnostics_text
from .geometry import restore_or_place
from .invoice_list import InvoiceList
from .log_view import LogDock, install_log_handler
from .operations import ConnectionInfo, SessionOps
from .pending_watch import PendingWatcher
from .report_actions import ReportActions
from .resources import icon
from .link_dialog import review_link
from .settings_dialog import SettingsDialog
from .status_bar import AppStatusBar
from .xero_data_action import XeroDataActions

log = logging.getLogger("depot_gui.ui")
PREFERRED_SIZE = QSize(1440, 860)  # on a large screen; smaller screens get 92% of theirs
NOT_CONNECTED = "Not connected — open Settings › Connections to connect Autotask and Xero."


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
        self.connection_text = "Not connected yet"
        self.settings_dialog: SettingsDialog | None = None
        self.setWindowTitle(window_title(session))
        self.setWindowIcon(icon("app"))
        self.log_handler = install_log_handler()
        self.ops = SessionOps(session, self)
        self._build_central()
        self._build_actions()
        self._build_menus()
        self.status = AppStatusBar(self)
        self.setStatusBar(self.status)
        self.log_dock = LogDock(self.log_handler, self)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.log_dock)
        self.log_dock.hide()
        self.menu_view.addAction(self.log_dock.toggleViewAction())
        self._connect()
        self._restore_state()
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

    def _action(self, name: str, text: str, shortcut, slot, tip: str) -> QAction:
        action = QAction(icon(name), text, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.setToolTip(f"{tip} ({QKeySequence(shortcut).toString(QKeySequence.SequenceFormat.NativeText)})" if shortcut else tip)
        action.setStatusTip(tip)
        action.triggered.connect(slot)
        return action

    def _build_actions(self) -> None:
        self.act_refresh = self._action("refresh", "&Refresh from Autotask", QKeySequence.StandardKey.Refresh,
                                        self._on_refresh_triggered, "Download and check every invoice not yet in Xero")
        self.act_sync = self._action("sync", "&Sync selected", "Ctrl+Return", self._on_sync_triggered,
                                     "Send the selected ready invoices to Xero")
        self.act_resync = self._action("resync", "Re-s&ync", "Ctrl+Shift+R", self._on_resync_triggered,
                                       "Download the selected invoices again, check them and send them if they now match")
        self.act_sync_all = self._action("sync-all", "Sync &all ready", "Ctrl+Shift+Return", self._on_sync_all_triggered,
                                         "Send the ready invoices the list shows to Xero (asks first)")
        self.act_payments = self._action("refresh", "Check &payments", "Ctrl+Shift+P", self._on_payments_triggered,
                                         "Read the synced invoices' payments from Xero; set Autotask's paid date "
                                         "when one is paid in full")
        self.act_settings = self._action("settings", "Se&ttings…", QKeySequence.StandardKey.Preferences,
                                         self._on_settings_triggered, "Maximum rounding difference, service adjustments, Xero status, accounts, connections")
        if not self.act_settings.shortcut().toString():
            self.act_settings.setShortcut(QKeySequence("Ctrl+,"))
        toolbar = QToolBar("Main")
        toolbar.setObjectName("main_toolbar")
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toolbar.setMovable(False)
        for action in (self.act_refresh, self.act_sync, self.act_resync, self.act_sync_all):
            toolbar.addAction(action)
        toolbar.addSeparator()
        toolbar.addAction(self.act_settings)
        self.addToolBar(toolbar)
        self.toolbar = toolbar

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        for action in (self.act_refresh, self.act_sync, self.act_resync, self.act_sync_all):
            file_menu.addAction(action)
        self.xero_data = XeroDataActions(self, self.session, self.ops)  # Read Xero data afresh at next refresh
        self.contacts = ContactActions(self, self.session, self.ops)  # Xero contacts… and Choose Xero contact…
        file_menu.addActions([self.act_payments, self.xero_data.act_forget, self.contacts.act_contacts])
        file_menu.addSeparator()
        self.reports = ReportActions(self, self.session, self.invoices)  # Export…, Month-end report (PDF)…
        file_menu.addActions([self.reports.act_export, self.reports.act_month_end])
        for source in (self.reports, self.xero_data, self.contacts):
            source.finished_message.connect(self._on_ops_finished_message)
            source.failed.connect(self._on_ops_failed)
        file_menu.addSeparator()
        file_menu.addAction(self.act_settings)
        self.act_repair = file_menu.addAction("&Repair local database…", self._on_repair_triggered)
        self.act_repair.setStatusTip("Keep a damaged local database aside and rebuild it from Autotask and Xero")
        file_menu.addSeparator()
        file_menu.addAction("&Quit", QKeySequence.StandardKey.Quit, self.close)
        self.menu_view = bar.addMenu("&View")
        find = self.menu_view.addAction("&Find invoice", QKeySequence.StandardKey.Find, self._on_find_triggered)
        find.setStatusTip("Search by invoice number or company")
        help_menu = bar.addMenu("&Help")
        self.act_diagnostics = help_menu.addAction("&Copy diagnostics", self.copy_diagnostics)
        help_menu.addAction("&About Depot GUI", self._on_about_triggered)

    def _connect(self) -> None:
        self.invoices.current_changed.connect(self._on_invoices_current_changed)
        self.invoices.selection_changed.connect(self._on_invoices_selection_changed)
        self.invoices.visible_changed.connect(self._on_invoices_visible_changed)
        self.detail.sync_requested.connect(self._on_detail_sync_requested)
        self.detail.resync_requested.connect(self._on_detail_sync_requested)
        self.detail.settings_requested.connect(self._on_settings_triggered)
        self.detail.link_requested.connect(self._on_detail_link_requested)
        self.detail.contact_requested.connect(self.contacts.choose_for_invoice)
        self.ops.link_preview_ready.connect(self._on_ops_link_preview_ready)
        self.pending = PendingWatcher(self, self.ops)
        self.ops.busy_changed.connect(self._on_ops_busy_changed)
        self.ops.rows_loaded.connect(self._on_ops_rows_loaded)
        self.ops.rows_updated.connect(self._on_ops_rows_updated)
        self.ops.connected.connect(self._on_ops_connected)
        self.ops.disconnected.connect(self._on_ops_disconnected)
        self.ops.failed.connect(self._on_ops_failed)
        self.ops.finished_message.connect(self._on_ops_finished_message)
        self.ops.payments_checked.connect(self._on_ops_payments_checked)
        self.banner.action_clicked.connect(self._on_banner_action_clicked)

    # ------------------------------------------------------------------ public
    def start(self) -> None:
        """Show what the store knows at once, then connect and refresh in the background."""
        rows = self.session.store.invoices()
        self._set_rows(rows)
        if rows:
            self.invoices.view.selectRow(0)
        self.ops.refresh(quiet=True)

    def open_setup_wizard(self) -> None:
        """Connect Autotask and Xero with the setup wizard, then refresh."""
        from .wizard import run_setup_wizard

        if run_setup_wizard(self, self.session):
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
    def _set_rows(self, rows: list[InvoiceRow]) -> None:
        self.invoices.set_rows(rows)
        self.status.counts.set_rows(self.rows())
        self.detail.refresh()
        self._update_actions()

    def _selected_rows(self) -> list[InvoiceRow]:
        rows = [self.invoices.model.row_for(i) for i in self.invoices.selected_ids()]
        return [r for r in rows if r is not None]

    def _update_actions(self) -> None:
        busy = self.ops.busy
        selected = self._selected_rows()
        self.act_refresh.setEnabled(not busy)
        self.act_sync.setEnabled(not busy and any(r.status == READY for r in selected))
        self.act_resync.setEnabled(not busy and bool(selected))
        self.act_sync_all.setEnabled(not busy and self.invoices.proxy.rowCount() > 0
                                     and any(r.status == READY for r in self.rows()))
        self.act_settings.setEnabled(not busy)
        self.act_payments.setEnabled(not busy)
        self.contacts.act_contacts.setEnabled(not busy)
        self.detail.set_busy(busy)

    def _restore_state(self) -> None:
        qs = QSettings()
        restore_or_place(self, qs.value("window/geometry"), PREFERRED_SIZE)
        for key, restore in (("window/state", self.restoreState), ("window/splitter", self.splitter.restoreState),
                             ("window/table_header", self.invoices.view.horizontalHeader().restoreState)):
            value = qs.value(key)
            if isinstance(value, QByteArray) and not value.isEmpty():
                restore(value)
                if key == "window/table_header":
                    self.invoices._sized = True  # keep the user's column widths
        if not isinstance(qs.value("window/splitter"), QByteArray):
            self.splitter.setSizes([self.width() * 54 // 100, self.width() * 46 // 100])

    def save_state(self) -> None:
        qs = QSettings()
        qs.setValue("window/geometry", self.saveGeometry())
        qs.setValue("window/state", self.saveState())
        qs.setValue("window/splitter", self.splitter.saveState())
        qs.setValue("window/table_header", self.invoices.view.horizontalHeader().saveState())
        qs.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.pending.timer.stop()
        if self.ops.current is not None:
            self.ops.current.cancel.cancel()
        self.save_state()
        super().closeEvent(event)

    # ------------------------------------------------------------------ slots
    def _on_invoices_current_changed(self, autotask_id) -> None:
        self.detail.show_invoice(autotask_id)

    def _on_invoices_selection_changed(self, _ids) -> None:
        self._update_actions()

    def _on_invoices_visible_changed(self) -> None:
        total, shown = self.invoices.model.rowCount(), self.invoices.proxy.rowCount()
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

    def _on_detail_link_requested(self, autotask_id: int) -> None:
        row = self.invoices.model.row_for(autotask_id)
        if row is not None:
            self.ops.link_preview(row)

    def _on_ops_link_preview_ready(self, preview) -> None:
        self.link_review = review_link(self, preview, self.ops.link)

    def _on_refresh_triggered(self) -> None:
        self.ops.refresh()

    def _on_payments_triggered(self) -> None:
        self.ops.check_payments()

    def _on_ops_payments_checked(self, report) -> None:
        """Say so in the window when Autotask will not take the paid date (the state stays local)."""
        if report.paid_date_read_only:
            self.banner.setProperty("kind", "payments")
            self.banner.show_message(READ_ONLY_MESSAGE)
        elif self.banner.property("kind") == "payments" and report.paid_date_read_only is False:
            self.banner.hide()

    def _on_sync_triggered(self) -> None:
        self.ops.sync([r for r in self._selected_rows() if r.status == READY])

    def _on_resync_triggered(self) -> None:
        self.ops.sync(self._selected_rows(), "Re-syncing")

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
        if not self.ask(confirm_box(ready, hidden, self)):
            self.status.showMessage("Sync all ready cancelled: nothing was sent.", 8000)
            return
        self.ops.sync(ready, f"Syncing {len(ready)} ready invoice{'s' if len(ready) != 1 else ''} to Xero")

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
        self.settings_dialog.open()

    def _on_settings_dialog_destroyed(self) -> None:
        self.settings_dialog = None

    def show_connection_settings(self) -> None:
        self._on_settings_triggered()
        if self.settings_dialog is not None:
            self.settings_dialog.show_connections()

    def _on_settings_saved(self, changed: list) -> None:
        if set(changed) - {"xero_status"}:
            self.status.showMessage("Settings saved; checking the invoices again…", 5000)
            self.ops.refresh()

    def _on_ops_busy_changed(self, _busy: bool) -> None:
        self._update_actions()

    def _on_ops_rows_loaded(self, rows: list) -> None:
        self._set_rows(rows)
        if self.invoices.current_id() is None and rows:
            self.invoices.view.selectRow(0)
        self.pending.schedule(self.rows())

    def _on_ops_rows_updated(self, rows: list) -> None:
        for row in rows:
            self.invoices.update_row(row)
        self.status.counts.set_rows(self.rows())
        self.detail.refresh()
        self._update_actions()
        self.pending.schedule(self.rows())

    def _on_ops_connected(self, info: ConnectionInfo) -> None:
        self.connection_text = info.text()
        self.status.set_connection(self.connection_text)
        if self.banner.property("kind") == "connection":
            self.banner.hide()

    def _on_ops_disconnected(self, message: str) -> None:
        self.connection_text = f"Not connected: {message}"
        self.status.set_connection("Not connected")
        self.banner.setProperty("kind", "connection")
        self.banner.show_message(f"{NOT_CONNECTED}\n{message}", action="Open Settings…", action_key="connections")

    def _on_ops_failed(self, title: str, message: str) -> None:
        if self.banner.property("kind") == "connection" and self.banner.isVisible():
            return  # the connection banner already says what to do
        self.banner.setProperty("kind", "error")
        self.banner.show_message(f"{title}: {message}")

    def _on_ops_finished_message(self, text: str) -> None:
        self.status.showMessage(text, 10000)

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

    def _on_about_triggered(self) -> None:
        QMessageBox.about(self, "About Depot GUI", f"<b>Depot GUI {__version__}</b><p>Depot GUI moves invoices from "
                          "Autotask PSA into Xero, one at a time, and refuses any whose Xero total would not match "
                          "Autotask.</p>")
