"""The status bar never makes the window wider than a 1366-pixel screen, however many organisations
it names (issue 20/22: with two organisations the calls-left line pushed the window past the screen)."""

from __future__ import annotations

import pytest

from depot_gui.ui.window.status_bar import AppStatusBar

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")

CALLS = [("Acme Managed Services Pty Ltd", 4994), ("Acme Managed Services New Zealand Ltd", 4990),
         ("Acme Managed Services (UK) Limited", 5000)]
WHOLE = ("Xero calls left today: Acme Managed Services Pty Ltd 4,994 · Acme Managed Services New Zealand Ltd 4,990 "
         "· Acme Managed Services (UK) Limited 5,000")


def test_the_calls_left_of_three_organisations_do_not_widen_the_window(qtbot):
    bar = AppStatusBar()
    qtbot.addWidget(bar)
    bar.set_calls_left(CALLS)
    bar.showMessage("Checked 206 invoices against Autotask: 150 ready, 40 mismatch, 16 error.")
    assert bar.calls.text() == WHOLE
    assert bar.calls.toolTip() == WHOLE  # the whole line, when shortened on screen
    bar.resize(3000, 30)
    bar.show()
    qtbot.waitExposed(bar)
    assert bar.minimumSizeHint().width() < 700
    assert bar.calls.width() >= bar.calls.fontMetrics().horizontalAdvance(WHOLE)  # whole when there is room
    assert not bar.calls.is_elided()
