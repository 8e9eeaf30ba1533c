"""Keyboard: Tab walks the controls in reading order, tables take focus once, every stop has a name."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QTableView, QWidget

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


def _name(w: QWidget) -> str:
    if w.accessibleName():
        return w.accessibleName()
    if isinstance(w, QAbstractButton):
        return w.text().replace("&", "")
    return ""


def tab_walk(win, qtbot, start: QWidget, limit: int = 60) -> list[QWidget]:
    """Press Tab from ``start`` until focus comes back to it; the widgets focus visited, in order."""
    win.activateWindow()
    start.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is start)
    seen = [start]
    for _ in range(limit):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        now = QApplication.focusWidget()
        if now is start:
            return seen
        if now is not seen[-1]:  # a label with a link: focus lands on the label, then Tab picks the link
            seen.append(now)
    pytest.fail("Tab never came back: " + " > ".join(_name(w) or type(w).__name__ for w in seen))


def test_tab_walks_the_window_in_reading_order(window, qtbot):
    win = window
    win.invoices.select_number("INV-5004")  # a mismatch with a cause card that links to Settings
    qtbot.waitUntil(lambda: win.detail.row is not None and win.detail.row.invoice_number == "INV-5004")
    qtbot.waitUntil(lambda: win.detail.cards[0].label.isVisible())  # new cards show on the next event loop pass
    stops = tab_walk(win, qtbot, win.invoices.search)
    names = [_name(w) for w in stops]
    assert all(names), [type(w).__name__ for w, n in zip(stops, names) if not n]
    assert names == [
        "Search invoices", "Status filter", "Date range", "Invoices", "Invoice details",
        "Re-sync", "Most likely cause: Combined service adjustments (negative quantity, positive total)",
        "Line by line", "History",
    ]
    assert sum(isinstance(w, QTableView) for w in stops) == 3  # each table once


def test_tab_leaves_the_invoice_table(window, qtbot):
    win = window
    win.activateWindow()
    win.invoices.view.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is win.invoices.view)
    row_before = win.invoices.view.currentIndex().row()
    qtbot.keyClick(win.invoices.view, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is not win.invoices.view
    assert win.invoices.view.currentIndex().row() == row_before


def test_every_action_has_a_shortcut_or_menu(window):
    menu_actions = {a for m in window.menuBar().actions() for a in m.menu().actions()}
    c = window.commands
    for action in (c.act_refresh, c.act_sync, c.act_resync, c.act_sync_all, c.act_settings):
        assert action in menu_actions and action.shortcut().toString()


def test_escape_in_the_search_box_clears_a_search_and_only_then(window, qtbot):
    """Qt's convention (issue 22): Escape clears the search it holds; with the box empty it goes on as before."""
    win = window
    search = win.invoices.search
    win.activateWindow()
    search.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is search)
    qtbot.keyClicks(search, "5002")
    assert [r.invoice_number for r in win.invoices.visible_rows()] == ["INV-5002"]
    qtbot.keyClick(search, Qt.Key.Key_Escape)
    assert search.text() == "" and len(win.invoices.visible_rows()) == 5
    passed = []
    win.invoices.keyPressEvent = lambda e: passed.append(e.key())  # where an unclaimed key goes next
    qtbot.keyClick(search, Qt.Key.Key_Escape)
    assert passed == [Qt.Key.Key_Escape] and search.text() == ""
