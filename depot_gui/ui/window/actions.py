"""The main window's commands: its QActions (texts, shortcuts, tips), toolbar and menu bar.

``WindowActions`` builds everything the person can trigger from the toolbar or the menus onto
the window it is given (a QMainWindow: its tool bar area and menu bar) and says what was asked
for by its signals; the window connects them to its own slots. ``enable`` says which actions can
run now (not while an operation runs). The File menu also hosts the action groups of other
modules (Xero data, contacts, reports), handed in by the window; what they report is shown by
results.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import QObject, Qt, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QToolBar

from depot_gui.core.audit import READY
from depot_gui.store.db import InvoiceRow

from depot_gui.ui.dialogs.user_guide import project_url
from depot_gui.ui.resources import icon


class WindowActions(QObject):
    """The toolbar's and menus' actions of one main window.

    Args:
        window: the main window: parent of the actions; gets the toolbar (and, by ``build_menus``, the menus).

    Signals (each: the person asked for it, from the toolbar, a menu or a shortcut):
        refresh_triggered, sync_triggered, resync_triggered, sync_all_triggered, payments_triggered,
        settings_triggered, repair_triggered, find_triggered, diagnostics_triggered, about_triggered,
        guide_triggered (Help › User guide).
    """

    refresh_triggered = Signal()
    sync_triggered = Signal()
    resync_triggered = Signal()
    sync_all_triggered = Signal()
    payments_triggered = Signal()
    settings_triggered = Signal()
    repair_triggered = Signal()
    find_triggered = Signal()
    diagnostics_triggered = Signal()
    about_triggered = Signal()
    guide_triggered = Signal()

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.act_refresh = self._action("refresh", "&Refresh from Autotask", QKeySequence.StandardKey.Refresh,
                                        self.refresh_triggered, "Download and check every invoice not yet in Xero")
        self.act_sync = self._action("sync", "&Sync selected", "Ctrl+Return", self.sync_triggered,
                                     "Send the selected ready invoices to Xero")
        self.act_resync = self._action("resync", "Re-s&ync", "Ctrl+Shift+R", self.resync_triggered,
                                       "Download the selected invoices again, check them and send them if they now match")
        self.act_sync_all = self._action("sync-all", "Sync &all ready", "Ctrl+Shift+Return", self.sync_all_triggered,
                                         "Send the ready invoices the list shows to Xero (asks first)")
        self.act_payments = self._action("refresh", "Check &payments", "Ctrl+Shift+P", self.payments_triggered,
                                         "Read the synced invoices' payments from Xero; set Autotask's paid date "
                                         "when one is paid in full")
        self.act_settings = self._action("settings", "Se&ttings…", QKeySequence.StandardKey.Preferences,
                                         self.settings_triggered,
                                         "Maximum rounding difference, service adjustments, Xero status, accounts, connections")
        if not self.act_settings.shortcut().toString():
            self.act_settings.setShortcut(QKeySequence("Ctrl+,"))
        self.toolbar = QToolBar("Main")
        self.toolbar.setObjectName("main_toolbar")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toolbar.setMovable(False)
        for action in self.work_actions():
            self.toolbar.addAction(action)
        self.toolbar.addSeparator()
        self.toolbar.addAction(self.act_settings)
        window.addToolBar(self.toolbar)
        self.act_repair: QAction | None = None
        self.act_about: QAction | None = None
        self.act_diagnostics: QAction | None = None
        self.menu_view: QMenu | None = None

    def _action(self, name: str, text: str, shortcut, signal, tip: str) -> QAction:
        action = QAction(icon(name), text, self.window)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.setToolTip(f"{tip} ({QKeySequence(shortcut).toString(QKeySequence.SequenceFormat.NativeText)})"
                          if shortcut else tip)
        action.setStatusTip(tip)
        action.triggered.connect(signal)
        return action

    def work_actions(self) -> tuple[QAction, ...]:
        """Refresh, Sync selected, Re-sync, Sync all ready: the toolbar's and the File menu's first four."""
        return self.act_refresh, self.act_sync, self.act_resync, self.act_sync_all

    def build_menus(self, xero: Sequence[QAction], reports: Sequence[QAction]) -> None:
        """File, View and Help. ``xero``: the File menu's Xero actions after Check payments (Xero data,
        contacts); ``reports``: its report actions (Export…, Month-end report)."""
        bar = self.window.menuBar()
        file_menu = bar.addMenu("&File")
        for action in self.work_actions():
            file_menu.addAction(action)
        file_menu.addActions([self.act_payments, *xero])
        file_menu.addSeparator()
        file_menu.addActions(list(reports))
        file_menu.addSeparator()
        file_menu.addAction(self.act_settings)
        self.act_repair = self._menu_action(file_menu, "&Repair local database…", None, self.repair_triggered)
        self.act_repair.setStatusTip("Keep a damaged local database aside and rebuild it from Autotask and Xero")
        file_menu.addSeparator()
        file_menu.addAction("&Quit", QKeySequence.StandardKey.Quit, self.window.close)
        self.menu_view = bar.addMenu("&View")
        find = self._menu_action(self.menu_view, "&Find invoice", QKeySequence.StandardKey.Find, self.find_triggered)
        find.setStatusTip("Search by invoice number or company")
        help_menu = bar.addMenu("&Help")
        self.act_guide = self._menu_action(help_menu, "&User guide", QKeySequence.StandardKey.HelpContents,
                                           self.guide_triggered)
        self.act_guide.setStatusTip("How Depot GUI checks an invoice before it goes to Xero (no internet needed)")
        self.act_project = self._menu_action(help_menu, "&Project page", None, self._open_project_page)
        self.project_url = project_url()
        self.act_project.setStatusTip(f"Open the project page, {self.project_url}, in your browser")
        self.act_project.setVisible(bool(self.project_url))
        self.act_diagnostics = self._menu_action(help_menu, "&Copy diagnostics", None, self.diagnostics_triggered)
        self.act_about = self._menu_action(help_menu, "&About Depot GUI", None, self.about_triggered)

    def _open_project_page(self) -> None:
        QDesktopServices.openUrl(QUrl(self.project_url))

    @staticmethod
    def _menu_action(menu: QMenu, text: str, shortcut, signal) -> QAction:
        action = menu.addAction(text)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(signal)
        return action

    def enable(self, busy: bool, selected: Iterable[InvoiceRow], rows: Iterable[InvoiceRow], shown: int) -> None:
        """Enable what can run now: nothing that starts work while an operation runs, Sync only for ready rows.

        ``selected``: the selected invoices; ``rows``: all of them; ``shown``: how many the list shows.
        """
        selected = list(selected)
        self.act_refresh.setEnabled(not busy)
        self.act_sync.setEnabled(not busy and any(r.status == READY for r in selected))
        self.act_resync.setEnabled(not busy and bool(selected))
        self.act_sync_all.setEnabled(not busy and shown > 0 and any(r.status == READY for r in rows))
        self.act_settings.setEnabled(not busy)
        self.act_payments.setEnabled(not busy)


__all__ = ["WindowActions"]
