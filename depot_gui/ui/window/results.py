"""How the main window shows what background work did: rows, connection, failures and summaries.

``OpResults`` listens to the window's SessionOps (refresh, sync, link, payments, pending) and to
the File menu's action groups (reports, Xero data, contacts), and puts their outcome in view:
loaded or changed rows into the list, the status counts and the detail pane; who we are
connected to in the status bar; a banner for no connection, a failure, or Autotask refusing the
paid date; one-line summaries in the status bar.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from depot_gui.sync.payments.payments_back import READ_ONLY_MESSAGE

from depot_gui.ui.ops.operations import ConnectionInfo

if TYPE_CHECKING:
    from depot_gui.ui.window.main_window import MainWindow

NOT_CONNECTED = "Not connected — open Settings › Connections to connect Autotask and Xero."


class OpResults(QObject):
    """Args:
        window: the main window (its ops, invoices, detail, status, banner and pending watcher).
    """

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        ops = window.ops
        ops.busy_changed.connect(self._on_ops_busy_changed)
        ops.rows_loaded.connect(self._on_ops_rows_loaded)
        ops.rows_updated.connect(self._on_ops_rows_updated)
        ops.connected.connect(self._on_ops_connected)
        ops.disconnected.connect(self._on_ops_disconnected)
        for source in (ops, window.reports, window.xero_data, window.contacts):
            source.failed.connect(self.show_failure)
            source.finished_message.connect(self.show_message)
        ops.payments_checked.connect(self._on_ops_payments_checked)

    def _on_ops_busy_changed(self, _busy: bool) -> None:
        self.window._update_actions()

    def _on_ops_rows_loaded(self, rows: list) -> None:
        w = self.window
        w._set_rows(rows)
        if w.invoices.current_id() is None and rows:
            w.invoices.view.selectRow(0)
        w.pending.schedule(w.rows())

    def _on_ops_rows_updated(self, rows: list) -> None:
        w = self.window
        for row in rows:
            w.invoices.update_row(row)
        w.status.counts.set_rows(w.rows())
        w.detail.refresh_for(rows)  # only when the invoice it shows is among them (issue 22)
        w._update_actions()
        w.pending.schedule(w.rows())

    def _on_ops_connected(self, info: ConnectionInfo) -> None:
        w = self.window
        w.connection_text = info.text()
        w.status.set_connection(w.connection_text)
        if w.banner.property("kind") == "connection":
            w.banner.hide()

    def _on_ops_disconnected(self, message: str) -> None:
        w = self.window
        w.connection_text = f"Not connected: {message}"
        w.status.set_connection("Not connected")
        w.banner.setProperty("kind", "connection")
        w.banner.show_message(f"{NOT_CONNECTED}\n{message}", action="Open Settings…", action_key="connections")

    def _on_ops_payments_checked(self, report) -> None:
        """Say so in the window when Autotask will not take the paid date (the state stays local)."""
        banner = self.window.banner
        if report.paid_date_read_only:
            banner.setProperty("kind", "payments")
            banner.show_message(READ_ONLY_MESSAGE)
        elif banner.property("kind") == "payments" and report.paid_date_read_only is False:
            banner.hide()

    def show_failure(self, title: str, message: str) -> None:
        """A failure in the banner, unless the connection banner already says what to do."""
        banner = self.window.banner
        if banner.property("kind") == "connection" and banner.isVisible():
            return
        banner.setProperty("kind", "error")
        banner.show_message(f"{title}: {message}")

    def show_message(self, text: str) -> None:
        """A one-line summary in the status bar."""
        self.window.status.showMessage(text, 10000)


__all__ = ["NOT_CONNECTED", "OpResults"]
