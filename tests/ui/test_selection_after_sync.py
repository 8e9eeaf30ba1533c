"""After "Sync selected" under the Ready filter the synced invoice leaves the list: the selection goes to
the invoice that takes its place in view, never to an unrelated one (issue 22)."""

from __future__ import annotations

import pytest

from .conftest import demo_session, temp_qsettings, window  # noqa: F401 - the window fixtures
from .test_say_what_happens import select

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


def _ready_only(win) -> None:
    box = win.invoices.status_filter
    box.setCurrentIndex(box.findData("ready"))
    assert [r.invoice_number for r in win.invoices.visible_rows()] == ["INV-5001", "INV-5003", "INV-5005"]


def _sync(win, qtbot, *numbers: str) -> None:
    select(win, *numbers)
    win.ask = lambda box: True
    win.commands.act_sync.trigger()
    qtbot.waitUntil(lambda: not win.ops.busy, timeout=30000)


def _where(win) -> tuple[list[str], list[str], str]:
    numbers = {r.autotask_id: r.invoice_number for r in win.rows()}
    return ([r.invoice_number for r in win.invoices.visible_rows()],
            [numbers[i] for i in win.invoices.selected_ids()], win.detail.row.invoice_number)


def test_the_next_invoice_in_view_takes_the_selection_of_the_synced_one(window, qtbot):
    _ready_only(window)
    _sync(window, qtbot, "INV-5003")
    qtbot.waitUntil(lambda: window.detail.row is not None and window.detail.row.invoice_number == "INV-5005")
    assert _where(window) == (["INV-5001", "INV-5005"], ["INV-5005"], "INV-5005")


def test_the_last_invoice_synced_hands_the_selection_to_the_one_above(window, qtbot):
    _ready_only(window)
    _sync(window, qtbot, "INV-5005")
    qtbot.waitUntil(lambda: window.detail.row is not None and window.detail.row.invoice_number == "INV-5003")
    assert _where(window) == (["INV-5001", "INV-5003"], ["INV-5003"], "INV-5003")


def test_several_synced_hand_the_selection_to_the_next_one_left(window, qtbot):
    _ready_only(window)
    _sync(window, qtbot, "INV-5001", "INV-5003")
    qtbot.waitUntil(lambda: window.detail.row is not None and window.detail.row.invoice_number == "INV-5005")
    assert _where(window) == (["INV-5005"], ["INV-5005"], "INV-5005")
