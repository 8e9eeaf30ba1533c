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
