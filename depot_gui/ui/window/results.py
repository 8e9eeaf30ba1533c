"""How the main window shows what background work did: rows, connection, failures and summaries.

``OpResults`` listens to the window's SessionOps (refresh, sync, link, payments, pending) and to
the File menu's action groups (reports, Xero data, contacts), and puts their outcome in view:
loaded or changed rows into the list, the status counts and the detail pane; who we are
connected to in the status bar; a banner for no connection, a failure, or Autotask refusing the
paid date; one-line summaries in the status bar. It tells the window by its signals.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QObject, QTimer, Signal

from depot_gui.store.db import InvoiceRow
from depot_gui.sync.payments.payments_back import READ_ONLY_MESSAGE

from depot_gui.ui.detail.pane import DetailPane
from depot_gui.ui.ops.operations import ConnectionInfo, SessionOps
from depot_gui.ui.window.banner import Banner
from depot_gui.ui.window.invoice_list import InvoiceList
from depot_gui.ui.window.pending_watch import PendingWatcher
from depot_gui.ui.window.status_bar import AppStatusBar

NOT_CONNECTED = "Not connected — open Settings › Connections to connect Autotask and Xero."


class OpResults(QObject):
    """Args:
        ops: the window's SessionOps.
        sources: the File menu's action groups whose ``failed`` and ``finished_message`` are shown too.
        invoices, detail, status, banner: the window's invoice list, detail pane, status bar and banner.
        pending: the window's pending watcher (scheduled again whenever rows change).
        parent: the owner (the window).

    Signals:
        rows_changed: the list's rows were replaced or updated (the window enables its actions anew).
        connection_changed(str): the connection as Settings and the diagnostics describe it.
    """

    rows_changed = Signal()
    connection_changed = Signal(str)
    CHUNK = 25  # rows put in the list per turn of the event loop when an update brings more (a few ms each)

    def __init__(self, ops: SessionOps, sources: Iterable[QObject], invoices: InvoiceList, detail: DetailPane,
                 status: AppStatusBar, banner: Banner, pending: PendingWatcher, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.invoices, self.detail, self.status, self.banner, self.pending = invoices, detail, status, banner, pending
        ops.rows_loaded.connect(self._on_ops_rows_loaded)
        ops.rows_updated.connect(self._on_ops_rows_updated)
        ops.connected.connect(self._on_ops_connected)
        ops.disconnected.connect(self._on_ops_disconnected)
        for source in (ops, *sources):
            source.failed.connect(self.show_failure)
            source.finished_message.connect(self.show_message)
        ops.payments_checked.connect(self._on_ops_payments_checked)
        ops.calls_left.connect(status.set_calls_left)
        self._queued: list[InvoiceRow] = []  # changed rows not yet in the list (a big update, in parts)
        self._applied: list[InvoiceRow] = []  # those already put in the list, for the pane and counts after
        self._next_part = QTimer(self)
        self._next_part.setSingleShot(True)
        self._next_part.setInterval(0)
        self._next_part.timeout.connect(self._apply_part)

    def show_rows(self, rows: list[InvoiceRow]) -> None:
        """All the invoices: into the list (the current one kept), the status counts, then (in a turn of its
        own, issue 22: a refresh's end was one 20 ms turn with it) the detail pane."""
        self._queued.clear()  # older than what the store now gives
        self.invoices.set_rows(rows)
        self.status.counts.set_rows(self.invoices.model.rows())
        self.rows_changed.emit()
        QTimer.singleShot(0, self, self.detail.refresh)

    def _on_ops_rows_loaded(self, rows: list) -> None:
        self.show_rows(rows)
        if self.invoices.current_id() is None and rows:
            QTimer.singleShot(0, self, self._select_first)  # the pane shows it: a turn of its own too
        self.pending.schedule(self.invoices.model.rows())

    def _select_first(self) -> None:
        if self.invoices.current_id() is None and self.invoices.proxy.rowCount():  # nobody chose one meanwhile
            self.invoices.view.selectRow(0)

    def _on_ops_rows_updated(self, rows: list) -> None:
        """Changed rows into the list, then the counts, the detail pane and the actions.

        Up to CHUNK rows at once; more (a batch's 100 ms of recorded invoices) go in parts of CHUNK,
        one per turn of the event loop, and the rest once after the last part, so that the window
        paints and answers keys in between (issue 22: a flush of 100 rows was one 30-120 ms stall).
        """
        if len(rows) <= self.CHUNK and not self._queued:
            for row in rows:
                self.invoices.update_row(row)
            self._rows_in(rows)
            return
        self._queued.extend(rows)
        self._next_part.start()

    def _apply_part(self) -> None:
        part, self._queued = self._queued[:self.CHUNK], self._queued[self.CHUNK:]
        for row in part:
            self.invoices.update_row(row)
        self._applied.extend(part)
        if self._queued:
            self._next_part.start()
        else:
            rows, self._applied = self._applied, []
            QTimer.singleShot(0, self, lambda: self._rows_in(rows))  # a turn of its own: the pane reads the store

    def _rows_in(self, rows: list[InvoiceRow]) -> None:
        self.status.counts.set_rows(self.invoices.model.rows())
        self.rows_changed.emit()
        self.pending.schedule(self.invoices.model.rows())
        # Only when the invoice it shows is among them (issue 22), and in a turn of its own: reading and
        # filling the pane is the longest step of a batch's update (~12 ms), not to be added to this one.
        QTimer.singleShot(0, self, lambda: self.detail.refresh_for(rows))

    def _on_ops_connected(self, info: ConnectionInfo) -> None:
        text = info.text()
        self.connection_changed.emit(text)
        self.status.set_connection(text)
        if self.banner.property("kind") == "connection":
            self.banner.hide()

    def _on_ops_disconnected(self, message: str) -> None:
        self.connection_changed.emit(f"Not connected: {message}")
        self.status.set_connection("Not connected")
        self.banner.setProperty("kind", "connection")
        self.banner.show_message(f"{NOT_CONNECTED}\n{message}", action="Open Settings…", action_key="connections")

    def _on_ops_payments_checked(self, report) -> None:
        """Say so in the window when Autotask will not take the paid date (the state stays local)."""
        if report.paid_date_read_only:
            self.banner.setProperty("kind", "payments")
            self.banner.show_message(READ_ONLY_MESSAGE)
        elif self.banner.property("kind") == "payments" and report.paid_date_read_only is False:
            self.banner.hide()

    def show_failure(self, title: str, message: str) -> None:
        """A failure in the banner, unless the connection banner already says what to do."""
        if self.banner.property("kind") == "connection" and self.banner.isVisible():
            return
        self.banner.setProperty("kind", "error")
        self.banner.show_message(f"{title}: {message}")

    def show_message(self, text: str) -> None:
        """A one-line summary in the status bar."""
        self.status.showMessage(text, 10000)


__all__ = ["NOT_CONNECTED", "OpResults"]
