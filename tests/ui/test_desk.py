"""The window on a real desk: screen-sized first window, clamped restore, filtered batch sync."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest
from PySide6.QtCore import QRect, QSettings, QSize

from depot_gui.ui.window.geometry import clamped, first_size
from depot_gui.ui.window.main_window import MainWindow

from ..conftest import REPO

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")
LAPTOP = QRect(0, 0, 1366, 728)  # 1366x768 less a 40 px taskbar


def test_first_size_comes_from_the_screen():
    assert first_size(LAPTOP, QSize(1440, 860)) == QSize(1256, 669)
    assert first_size(QRect(0, 0, 2560, 1400), QSize(1440, 860)) == QSize(1440, 860)


def test_saved_geometry_is_clamped_to_the_screen():
    assert clamped(QRect(-50, 600, 1440, 860), LAPTOP) == QRect(0, 0, 1366, 728)
    assert clamped(QRect(1000, 500, 800, 600), LAPTOP) == QRect(566, 128, 800, 600)
    assert clamped(QRect(10, 20, 800, 600), LAPTOP) == QRect(10, 20, 800, 600)


def test_window_restored_larger_than_the_screen_fits(qtbot, demo_session):
    win = MainWindow(demo_session)
    qtbot.addWidget(win)
    win.resize(3000, 2000)  # saved on a big monitor that is gone now
    win.save_state()
    again = MainWindow(demo_session)
    qtbot.addWidget(again)
    avail = again.screen().availableGeometry()
    assert again.width() <= avail.width() and again.height() <= avail.height()
    assert QSettings().value("window/geometry") is not None


@pytest.mark.parametrize("dpr", [1, 2])
def test_window_and_wizard_fit_1366x768(tmp_path, dpr):
    """A fresh process on a 1366x768 screen (at 1x, and a 2x panel of that logical size)."""
    config = tmp_path / "screen.json"
    config.write_text(json.dumps({"screens": [
        {"name": "laptop", "x": 0, "y": 0, "width": 1366, "height": 768, "logicalDpi": 96, "logicalBaseDpi": 96,
         "dpr": dpr},
    ]}))
    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={config}", XDG_CONFIG_HOME=str(tmp_path / "cfg"),
               HOME=str(tmp_path))
    done = subprocess.run([sys.executable, str(REPO / "tests" / "ui" / "window_probe.py")], env=env, cwd=REPO,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["dpr"] == dpr and seen["screen"] == [1366, 768]
    assert seen["window"] == {"inside": True, "size": [1256, 706], "min_fits": True}
    assert seen["wizard"] == {"inside": True, "size": [720, 600], "min_fits": True}
    assert seen["settings"]["inside"] and seen["settings"]["min_fits"]


# -- Sync all ready acts on what the list shows ------------------------------------------------------


def _status(win, number):
    return next(r.status for r in win.rows() if r.invoice_number == number)


def test_sync_all_ready_sends_only_visible_rows_after_asking(window, qtbot):
    win = window
    win.invoices.search.setText("bluegum")  # INV-5002 (mismatch) and INV-5005 (ready) show
    asked = []

    def answer(box):
        asked.append((box.text(), box.informativeText()))
        return True

    win.ask = answer
    win.commands.act_sync_all.trigger()
    assert asked == [(
        "Send 1 invoice to Xero?",
        "New ones go to Xero as drafts.\n\nINV-5005  Bluegum Legal  AUD 110.00\nTotal AUD 110.00\n\n"
        "Not sent: 2 invoices also ready but hidden by the search or filter (INV-5001, INV-5003).",
    )]
    qtbot.waitUntil(lambda: not win.ops.busy, timeout=30000)
    assert _status(win, "INV-5005") == "synced"
    assert _status(win, "INV-5001") == "ready" and _status(win, "INV-5003") == "ready"
    assert win.status.currentMessage() == "1 of 1 invoice in Xero."
    # Xero's calls left beside the counts, not in each sync's line
    assert re.fullmatch(r"Xero calls left today: Acme MSP Pty Ltd 4,9\d\d", win.status.calls.text()), win.status.calls.text()


def test_sync_all_ready_cancelled_sends_nothing(window, qtbot):
    win = window
    win.ask = lambda box: False
    win.commands.act_sync_all.trigger()
    assert not win.ops.busy
    assert [r.status for r in win.rows()].count("synced") == 0
    assert win.status.currentMessage() == "Sync all ready cancelled: nothing was sent."


def test_sync_all_ready_with_no_ready_row_shown(window, qtbot):
    win = window
    win.invoices.status_filter.setCurrentIndex(win.invoices.status_filter.findData("mismatch"))
    win.ask = lambda box: pytest.fail("nothing to ask about")
    win.commands.act_sync_all.trigger()
    assert win.status.currentMessage() == (
        "No invoice in the list is ready to sync. 3 ready invoices are hidden by the search or filter."
    )


def test_filtering_out_the_current_invoice_keeps_pane_and_toolbar_agreeing(window, qtbot):
    win = window
    assert win.invoices.select_number("INV-5001")
    win.invoices.search.setText("bluegum")
    qtbot.waitUntil(lambda: win.detail.row is not None and win.detail.row.invoice_number != "INV-5001")
    assert [r.invoice_number for r in win.invoices.selected_rows()] == [win.detail.row.invoice_number]
    win.invoices.search.setText("no such company")
    qtbot.waitUntil(lambda: win.detail.row is None)
    assert win.detail.verdict.text() == "No invoice matches the search or filter. Clear them to see all 5 invoices."
    c = win.commands
    assert not c.act_sync.isEnabled() and not c.act_resync.isEnabled() and not c.act_sync_all.isEnabled()


# -- every action ends with a status-bar line ---------------------------------------------------------


def test_status_bar_shows_each_actions_outcome(window, qtbot):
    win = window
    assert win.status.currentMessage() == (
        "Checked 5 invoices against Autotask: 3 ready, 2 mismatch. "
        "Downloaded: unsynced invoices dated from 1 Oct 2026 (Settings › Audit & sync sets the period)."
    )
    assert win.status.connection.isHidden()  # the message has the room; the connection comes back after
    win.copy_diagnostics()
    assert win.status.currentMessage() == "Diagnostics copied to the clipboard (no passwords or tokens)."
    assert win.invoices.select_number("INV-5004")
    win.commands.act_resync.trigger()  # refused: the totals still differ
    qtbot.waitUntil(lambda: not win.ops.busy, timeout=30000)
    assert win.status.currentMessage() == "0 of 1 invoice in Xero. Not synced: INV-5004 (select one to see why)."


def test_a_cancelled_action_says_so(window, qtbot):
    win = window
    win.session.sandbox.add_fault({"api": "autotask", "kind": "delay", "seconds": 0.3, "times": 20})
    win.commands.act_refresh.trigger()
    win.ops.current.cancel.cancel()
    qtbot.waitUntil(lambda: not win.ops.busy, timeout=30000)
    assert win.status.currentMessage() == "Refresh from Autotask: cancelled. What was done before that stays done."


def test_the_question_lists_at_most_twelve_and_counts_the_rest():
    from depot_gui.store.db import InvoiceRow
    from depot_gui.ui.dialogs.batch_confirm import batch_question

    def row(i):
        return InvoiceRow(autotask_id=i, invoice_number=f"INV-{i}", company="Acme", invoice_date="2026-11-01",
                          autotask_total="1633.50", xero_total="1633.50", difference="0.00", rounding_line="0.00",
                          status="ready", causes=[], explanation="", xero_invoice_id=None, xero_status=None,
                          synced_at=None, voided=False, audited_at="")

    question, details = batch_question([row(i) for i in range(1, 15)], [row(i) for i in range(20, 34)])
    assert question == "Send 14 invoices to Xero?"
    lines = details.split("\n")
    assert lines[0] == "INV-1  Acme  1,633.50" and lines[11] == "INV-12  Acme  1,633.50"
    assert lines[12] == "… and 2 more"
    assert lines[13] == "Total 22,869.00"  # 14 x 1,633.50 (issue 22: the batch total)
    assert lines[15] == (
        "Not sent: 14 invoices also ready but hidden by the search or filter (INV-20, INV-21, INV-22, INV-23, INV-24, "
        "INV-25, INV-26, INV-27, INV-28, INV-29, INV-30, INV-31 and 2 more)."
    )
