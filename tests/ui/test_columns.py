"""The invoice table's columns at 1366x768 (issue 22): the important ones show without scrolling, the
others are a right-click on the header away (or View › Columns), and the person's choice is remembered."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QSettings

from depot_gui.ui.models.invoice_cells import HEADERS, Col
from depot_gui.ui.window.columns import COMPANY_MIN

from tests.ui.conftest import close_window, demo_session, temp_qsettings  # noqa: F401 - the fixtures

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


def open_sized(qtbot, session, width: int, height: int, list_width: int):
    """The window as a 1366x768 screen (92% of it) or a wider one gives it, the list ``list_width`` wide."""
    from depot_gui.ui.window.main_window import MainWindow

    win = MainWindow(session)
    qtbot.addWidget(win)
    win.resize(width, height)
    win.splitter.setSizes([list_width, width - list_width])
    win.show()
    win.start()
    qtbot.waitUntil(lambda: not win.ops.busy and len(win.rows()) == 5, timeout=30000)
    return win


def shown(win) -> list[str]:
    """The headings of the columns shown, left to right."""
    view = win.invoices.view
    header = view.horizontalHeader()
    return [HEADERS[Col(header.logicalIndex(v))].replace("\n", " ") for v in range(header.count())
            if not view.isColumnHidden(header.logicalIndex(v))]


IMPORTANT = ["Invoice", "Company", "Status", "Autotask total", "Xero total", "Difference", "Currency"]


@pytest.mark.parametrize("size, columns", [
    ((1256, 706, 670), IMPORTANT),  # a 1366x768 screen: the first window's size and split
    ((1366, 768, 737), IMPORTANT[:3] + ["Date"] + IMPORTANT[3:]),  # maximised there: shorter company names
    ((2400, 1300, 1300), ["Invoice", "Company", "Status", "Date", "Autotask total", "Xero total", "Difference",
                          "Currency", "Synced", "Payment", "Sent"]),
])
def test_the_list_shows_the_columns_it_has_room_for(qtbot, demo_session, size, columns):
    win = open_sized(qtbot, demo_session, *size)
    try:
        assert shown(win) == columns
        assert win.invoices.view.horizontalScrollBar().maximum() == 0  # nothing to scroll to
        company = win.invoices.view.horizontalHeader().sectionSize(Col.COMPANY)
        whole = win.invoices.view.sizeHintForColumn(Col.COMPANY)  # "Harbour Logistics Pty Ltd" whole
        assert (company >= COMPANY_MIN, company >= whole) == (True, size[2] == 1300)  # shortened when narrow
    finally:
        close_window(qtbot, win)


@pytest.mark.qt_log_ignore(r"This plugin does not support (propagateSizeHints\(\)|raise\(\)|grabbing the keyboard)")
def test_a_column_chosen_in_the_header_menu_is_remembered(qtbot, demo_session):
    win = open_sized(qtbot, demo_session, 1256, 706, 670)
    chooser = win.invoices.columns
    try:
        assert chooser.menu.menuAction() in win.commands.menu_view.actions()  # View › Columns
        win.invoices.view.horizontalHeader().customContextMenuRequested.emit(QPoint(20, 10))  # a right-click
        qtbot.waitUntil(chooser.menu.isVisible)
        chooser.menu.close()
        entries = {a.text(): (a.isChecked(), a.isEnabled()) for a in chooser.menu.actions() if a.isCheckable()}
        assert entries == {"Invoice": (True, False), "Company": (True, True), "Status": (True, True),
                           "Date": (False, True), "Autotask total": (True, True), "Xero total": (True, True),
                           "Difference": (True, True), "Currency": (True, True), "Synced": (False, True),
                           "Payment": (False, True), "Sent": (False, True)}  # no organisation: there is one
        next(a for a in chooser.menu.actions() if a.text() == "Synced").trigger()
        assert shown(win) == IMPORTANT + ["Synced"]
        win.save_state()
    finally:
        close_window(qtbot, win)
        win.close()
    again = open_sized(qtbot, demo_session, 1256, 706, 670)
    try:
        assert shown(again) == IMPORTANT + ["Synced"]  # the person's choice, not the width's
        again.invoices.columns.fill()
        fit = next(a for a in again.invoices.columns.menu.actions() if a.text() == "&Fit columns to the list")
        fit.trigger()
        assert shown(again) == IMPORTANT
    finally:
        close_window(qtbot, again)


def test_columns_never_chosen_follow_the_width_at_each_start(qtbot, demo_session):
    win = open_sized(qtbot, demo_session, 1256, 706, 670)
    try:
        win.invoices.view.horizontalHeader().resizeSection(Col.NUMBER, 80)  # a width set by hand: remembered
        win.invoices._laid_out = True
        win.save_state()
        assert QSettings().value("window/hidden_columns") is None
    finally:
        close_window(qtbot, win)
        win.close()
    wide = open_sized(qtbot, demo_session, 2400, 1300, 1300)  # the same desk on a larger screen
    try:
        assert shown(wide)[-3:] == ["Synced", "Payment", "Sent"]
        assert wide.invoices.view.horizontalHeader().sectionSize(Col.NUMBER) == 80
    finally:
        close_window(qtbot, wide)


def ready_rows(n: int):
    from depot_gui.store.db import InvoiceRow

    return [InvoiceRow(i, f"ME-{i:05d}", f"Scale Client {i:03d} Pty Ltd", "2026-11-01", "472.66", "472.66", "0.00", "0.00",
                       "ready", [], "Ready to sync.", None, None, None, False, "2026-12-07T09:00:00+00:00",
                       currency="AUD") for i in range(1, n + 1)]


def test_the_status_column_fitted_on_ready_rows_shows_synced_whole(qtbot):
    """Fitted while every invoice was Ready, the Status column cut "Synced" to "Syn…" after the sync (issue 22)."""
    from dataclasses import replace

    from depot_gui.ui.window.invoice_list import InvoiceList

    pane = InvoiceList()
    qtbot.addWidget(pane)
    pane.resize(1300, 600)
    pane.show()
    rows = ready_rows(20)
    pane.set_rows(rows)
    for r in rows:
        pane.update_row(replace(r, status="synced", synced_at="2026-12-07T09:30:00+00:00"))
    view = pane.view
    assert view.model().index(0, Col.STATUS).data() == "Synced"
    assert view.horizontalHeader().sectionSize(Col.STATUS) >= view.sizeHintForColumn(Col.STATUS)


def test_columns_never_chosen_follow_the_list_when_the_window_grows(qtbot, demo_session):
    """Opened at a 1366 screen's size and then maximised at 1920x1080: Synced, Payment and Sent show, and the
    Currency column is not stretched over their room (it was ~330 px, the three hidden; issue 22)."""
    win = open_sized(qtbot, demo_session, 1256, 706, 670)
    try:
        assert shown(win) == IMPORTANT
        win.resize(1920, 1040)
        win.splitter.setSizes([1065, 855])
        qtbot.waitUntil(lambda: "Sent" in shown(win), timeout=5000)
        assert shown(win) == ["Invoice", "Company", "Status", "Date", "Autotask total", "Xero total", "Difference",
                              "Currency", "Synced", "Payment", "Sent"]
        header = win.invoices.view.horizontalHeader()
        assert header.sectionSize(Col.CURRENCY) < 100
        assert win.invoices.view.horizontalScrollBar().maximum() == 0
        win.resize(1256, 706)  # and back: the list has room for the important ones again, nothing to scroll
        win.splitter.setSizes([670, 586])
        bar = win.invoices.view.horizontalScrollBar()
        qtbot.waitUntil(lambda: shown(win) == IMPORTANT and bar.maximum() == 0, timeout=5000)  # once settled
    finally:
        close_window(qtbot, win)
