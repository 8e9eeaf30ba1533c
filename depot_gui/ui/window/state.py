"""The main window's remembered state: geometry, toolbar/dock layout, splitter and table columns.

Saved to QSettings when the window closes and restored when it opens; a first run (nothing
saved) gets a size that fits the screen (geometry.py) and the list/detail split 54:46.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, QSize

from depot_gui.ui.window.geometry import restore_or_place

if TYPE_CHECKING:
    from depot_gui.ui.window.main_window import MainWindow

PREFERRED_SIZE = QSize(1440, 860)  # on a large screen; smaller screens get 92% of theirs


def restore_state(window: MainWindow) -> None:
    """Put the window back as it was saved (what is missing or empty keeps its default)."""
    qs = QSettings()
    restore_or_place(window, qs.value("window/geometry"), PREFERRED_SIZE)
    for key, restore in (("window/state", window.restoreState), ("window/splitter", window.splitter.restoreState),
                         ("window/table_header", window.invoices.view.horizontalHeader().restoreState)):
        value = qs.value(key)
        if isinstance(value, QByteArray) and not value.isEmpty():
            restore(value)
            if key == "window/table_header":
                window.invoices._sized = True  # keep the user's column widths
    if not isinstance(qs.value("window/splitter"), QByteArray):
        window.splitter.setSizes([window.width() * 54 // 100, window.width() * 46 // 100])


def save_state(window: MainWindow) -> None:
    """Remember the window's geometry, layout, split and column order/widths."""
    qs = QSettings()
    qs.setValue("window/geometry", window.saveGeometry())
    qs.setValue("window/state", window.saveState())
    qs.setValue("window/splitter", window.splitter.saveState())
    qs.setValue("window/table_header", window.invoices.view.horizontalHeader().saveState())
    qs.sync()


__all__ = ["PREFERRED_SIZE", "restore_state", "save_state"]
