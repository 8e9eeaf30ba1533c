"""The main window's commands: its QActions (texts, shortcuts, tips), toolbar and menu bar.

Everything the person can trigger from the toolbar or the menus is built here, onto the window
(``window.act_refresh``, ``window.toolbar``, ``window.menu_view``…), with the window's slots
behind them; ``update_actions`` says which of them can run now (not while an operation runs).
The File menu also hosts the action groups of other modules (Xero data, contacts, reports);
what they report is shown by window_results.py.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QToolBar

from depot_gui.core.audit import READY

from depot_gui.ui.contacts.actions import ContactActions
from depot_gui.ui.reports.actions import ReportActions
from depot_gui.ui.resources import icon
from depot_gui.ui.window.xero_data_action import XeroDataActions

if TYPE_CHECKING:
    from depot_gui.ui.window.main_window import MainWindow


def _action(window: MainWindow, name: str, text: str, shortcut, slot, tip: str) -> QAction:
    action = QAction(icon(name), text, window)
    if shortcut:
        action.setShortcut(QKeySequence(shortcut))
    action.setToolTip(f"{tip} ({QKeySequence(shortcut).toString(QKeySequence.SequenceFormat.NativeText)})" if shortcut else tip)
    action.setStatusTip(tip)
    action.triggered.connect(slot)
    return action


def build_actions(window: MainWindow) -> None:
    """The toolbar's actions (also in the File menu) and the toolbar itself."""
    w = window
    w.act_refresh = _action(w, "refresh", "&Refresh from Autotask", QKeySequence.StandardKey.Refresh,
                            w._on_refresh_triggered, "Download and check every invoice not yet in Xero")
    w.act_sync = _action(w, "sync", "&Sync selected", "Ctrl+Return", w._on_sync_triggered,
                         "Send the selected ready invoices to Xero")
    w.act_resync = _action(w, "resync", "Re-s&ync", "Ctrl+Shift+R", w._on_resync_triggered,
                           "Download the selected invoices again, check them and send them if they now match")
    w.act_sync_all = _action(w, "sync-all", "Sync &all ready", "Ctrl+Shift+Return", w._on_sync_all_triggered,
                             "Send the ready invoices the list shows to Xero (asks first)")
    w.act_payments = _action(w, "refresh", "Check &payments", "Ctrl+Shift+P", w._on_payments_triggered,
                             "Read the synced invoices' payments from Xero; set Autotask's paid date "
                             "when one is paid in full")
    w.act_settings = _action(w, "settings", "Se&ttings…", QKeySequence.StandardKey.Preferences,
                             w._on_settings_triggered, "Maximum rounding difference, service adjustments, Xero status, accounts, connections")
    if not w.act_settings.shortcut().toString():
        w.act_settings.setShortcut(QKeySequence("Ctrl+,"))
    toolbar = QToolBar("Main")
    toolbar.setObjectName("main_toolbar")
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    toolbar.setMovable(False)
    for action in (w.act_refresh, w.act_sync, w.act_resync, w.act_sync_all):
        toolbar.addAction(action)
    toolbar.addSeparator()
    toolbar.addAction(w.act_settings)
    w.addToolBar(toolbar)
    w.toolbar = toolbar


def build_menus(window: MainWindow) -> None:
    """File, View and Help; the File menu's Xero data, contacts and report actions come from their modules."""
    w = window
    bar = w.menuBar()
    file_menu = bar.addMenu("&File")
    for action in (w.act_refresh, w.act_sync, w.act_resync, w.act_sync_all):
        file_menu.addAction(action)
    w.xero_data = XeroDataActions(w, w.session, w.ops)  # Read Xero data afresh at next refresh
    w.contacts = ContactActions(w, w.session, w.ops)  # Xero contacts… and Choose Xero contact…
    file_menu.addActions([w.act_payments, w.xero_data.act_forget, w.contacts.act_contacts])
    file_menu.addSeparator()
    w.reports = ReportActions(w, w.session, w.invoices)  # Export…, Month-end report (PDF)…
    file_menu.addActions([w.reports.act_export, w.reports.act_month_end])
    file_menu.addSeparator()
    file_menu.addAction(w.act_settings)
    w.act_repair = file_menu.addAction("&Repair local database…", w._on_repair_triggered)
    w.act_repair.setStatusTip("Keep a damaged local database aside and rebuild it from Autotask and Xero")
    file_menu.addSeparator()
    file_menu.addAction("&Quit", QKeySequence.StandardKey.Quit, w.close)
    w.menu_view = bar.addMenu("&View")
    find = w.menu_view.addAction("&Find invoice", QKeySequence.StandardKey.Find, w._on_find_triggered)
    find.setStatusTip("Search by invoice number or company")
    help_menu = bar.addMenu("&Help")
    w.act_diagnostics = help_menu.addAction("&Copy diagnostics", w.copy_diagnostics)
    help_menu.addAction("&About Depot GUI", w._on_about_triggered)


def update_actions(window: MainWindow) -> None:
    """Enable what can run now: nothing that starts work while an operation runs, Sync only for ready rows."""
    w = window
    busy = w.ops.busy
    selected = w._selected_rows()
    w.act_refresh.setEnabled(not busy)
    w.act_sync.setEnabled(not busy and any(r.status == READY for r in selected))
    w.act_resync.setEnabled(not busy and bool(selected))
    w.act_sync_all.setEnabled(not busy and w.invoices.proxy.rowCount() > 0
                              and any(r.status == READY for r in w.rows()))
    w.act_settings.setEnabled(not busy)
    w.act_payments.setEnabled(not busy)
    w.contacts.act_contacts.setEnabled(not busy)
    w.detail.set_busy(busy)


__all__ = ["build_actions", "build_menus", "update_actions"]
