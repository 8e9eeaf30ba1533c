"""The main window's remembered state: geometry, toolbar/dock layout, splitter, table columns and which show.

Saved to QSettings when the window closes and restored when it opens; a first run (nothing
saved) gets a size that fits the screen (geometry.py) and the list/detail split 54:46.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QObject, QSettings, QSize
from PySide6.QtWidgets import QMainWindow, QSplitter

from depot_gui.ui.window.geometry import restore_or_place
from depot_gui.ui.window.invoice_list import InvoiceList

PREFERRED_SIZE = QSize(1440, 860)  # on a large screen; smaller screens get 92% of theirs


class WindowState(QObject):
    """Args:
        window: the main window (geometry, toolbar and dock layout).
        splitter: its list/detail splitter.
        invoices: its invoice list (column order and widths).
    """

    def __init__(self, window: QMainWindow, splitter: QSplitter, invoices: InvoiceList) -> None:
        super().__init__(window)
        self.window, self.splitter, self.invoices = window, splitter, invoices

    def restore(self) -> None:
        """Put the window back as it was saved (what is missing or empty keeps its default)."""
        qs = QSettings()
        restore_or_place(self.window, qs.value("window/geometry"), PREFERRED_SIZE)
        for key, restore in (("window/state", self.window.restoreState), ("window/splitter", self.splitter.restoreState),
                             ("window/table_header", self.invoices.restore_header)):
            value = qs.value(key)
            if isinstance(value, QByteArray) and not value.isEmpty():
                restore(value)
        self.invoices.columns.restore(qs.value("window/hidden_columns"))  # after the header: the person's choice
        if not isinstance(qs.value("window/splitter"), QByteArray):
            width = self.window.width()
            self.splitter.setSizes([width * 54 // 100, width * 46 // 100])

    def save(self) -> None:
        """Remember the window's geometry, layout, split and column order/widths."""
        qs = QSettings()
        qs.setValue("window/geometry", self.window.saveGeometry())
        qs.setValue("window/state", self.window.saveState())
        qs.setValue("window/splitter", self.splitter.saveState())
        qs.setValue("window/table_header", self.invoices.header_state())
        hidden = self.invoices.columns.state()
        if hidden is None:
            qs.remove("window/hidden_columns")  # never chosen: fitted to the list's width at each start
        else:
            qs.setValue("window/hidden_columns", hidden)
        qs.sync()


__all__ = ["PREFERRED_SIZE", "WindowState"]
