"""A batch leaves the window usable (issue 22): progress in the status bar, Escape never cancels,
Cancel asks and counts, row updates coalesced, the detail pane read again only for its invoice."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from PySide6.QtCore import Qt

from depot_gui.ui.ops.operations import cancelled_text
from depot_gui.ui.window.progress_strip import ProgressStrip

from .conftest import demo_session, temp_qsettings, window  # noqa: F401 - the window fixtures

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


def slow_sync_all(win) -> None:
    win.session.sandbox.add_fault({"api": "autotask", "kind": "delay", "seconds": 0.3, "times": 30})
    win.ask = lambda box: True
    win.commands.act_sync_all.trigger()
    assert win.ops.busy


def test_a_batch_shows_its_progress_in_the_window_and_the_table_keeps_working(window, qtbot):
    win = window
    slow_sync_all(win)
    op = win.ops.current
    strip = win.status.progress
    assert op.dialog is None and strip.isVisible() and strip.cancel_button.isVisible()
    assert strip.label.text() == "Syncing 3 ready invoices to Xero"
    assert win.invoices.select_number("INV-5002")  # the list and the detail pane answer meanwhile
    qtbot.waitUntil(lambda: win.detail.row is not None and win.detail.row.invoice_number == "INV-5002")
    win.invoices.view.setFocus()
    qtbot.keyClick(win.invoices.view, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: win.detail.row.invoice_number == "INV-5003")
    qtbot.keyClick(win.invoices.view, Qt.Key.Key_Escape)  # Escape (closing a menu, say) never cancels
    qtbot.keyClick(win, Qt.Key.Key_Escape)
    assert not op.cancel.cancelled and win.ops.busy
    qtbot.waitUntil(lambda: not win.ops.busy, timeout=60000)
    assert not strip.isVisible()
    assert re.fullmatch(r"3 of 3 invoices in Xero\..*", win.status.currentMessage())


def test_cancel_asks_then_counts_sent_on_their_way_and_not_sent(window, qtbot):
    win = window
    slow_sync_all(win)
    op, strip = win.ops.current, win.status.progress
    asked = []
    strip.ask = lambda question: asked.append(question) or False  # "No": the batch goes on
    strip.cancel_button.click()
    assert not op.cancel.cancelled and asked == [
        "Stop syncing 3 ready invoices to Xero?\n\nInvoices already on their way to Xero are finished; "
        "no further ones are sent. What was done stays done."]
    strip.ask = lambda question: True
    strip.cancel_button.click()
    assert op.cancel.cancelled and strip.cancel_button.text() == "Cancelling…"
    qtbot.waitUntil(lambda: not win.ops.busy, timeout=60000)
    message = win.status.currentMessage()
    found = re.fullmatch(r"Sync cancelled: (\d) invoices? not sent; (\d) sent(?:, (\d) of them already on their way)?\.",
                         message)
    assert found, message
    not_sent, sent = int(found[1]), int(found[2])
    synced = sum(1 for r in win.rows() if r.status == "synced")
    assert sent == synced and sent + not_sent == 3 and int(found[3] or 0) <= sent


def test_the_cancelled_line_counts_each_kind():
    assert cancelled_text(200, 57, 107) == "Sync cancelled: 93 invoices not sent; 107 sent, 50 of them already on their way."
    assert cancelled_text(2, 0, 1) == "Sync cancelled: 1 invoice not sent; 1 sent, 1 of them already on their way."
    assert cancelled_text(200, 150, 150) == "Sync cancelled: 50 invoices not sent; 150 sent."


def test_progress_reports_are_shown_at_most_every_100_ms(qtbot):
    strip = ProgressStrip()
    qtbot.addWidget(strip)
    strip.begin("Syncing", cancel=None)
    assert strip.cancel_button.isHidden()  # this one cannot be cancelled
    for k in range(1, 201):
        strip.report(f"INV-{k}", k, 200)
    assert strip.shown_updates == 0  # none shown synchronously
    qtbot.waitUntil(lambda: strip.shown_updates == 1, timeout=1000)
    assert strip.label.text() == "Syncing: INV-200" and strip.bar.value() == 200 and strip.bar.maximum() == 200
    qtbot.wait(250)
    assert strip.shown_updates == 1  # nothing new: nothing redrawn
    strip.end()
    assert not strip.active


def test_rows_recorded_close_together_reach_the_window_once(window, qtbot):
    win = window
    rows = win.rows()
    heard = []
    win.ops.rows_updated.connect(lambda r: heard.append([x.autotask_id for x in r]))
    for row in rows[:3]:
        win.ops._rows_relayed.emit([row])
    win.ops._rows_relayed.emit([rows[0]])  # the same invoice again: once
    assert heard == []
    qtbot.waitUntil(lambda: heard != [], timeout=1000)
    qtbot.wait(150)
    assert heard == [[r.autotask_id for r in rows[:3]]]


def test_the_detail_pane_reads_the_store_again_only_for_its_invoice(window, qtbot, monkeypatch):
    win = window
    assert win.invoices.select_number("INV-5001")
    qtbot.waitUntil(lambda: win.detail.row is not None and win.detail.row.invoice_number == "INV-5001")
    shown = []
    real = win.detail.show_invoice
    monkeypatch.setattr(win.detail, "show_invoice", lambda i: shown.append(i) or real(i))
    others = [r for r in win.rows() if r.invoice_number != "INV-5001"]
    win.ops.rows_updated.emit(others)
    qtbot.wait(50)  # the pane's turn (after the list's) has come
    assert shown == []
    [mine] = [r for r in win.rows() if r.invoice_number == "INV-5001"]
    assert mine == win.detail.row
    win.ops.rows_updated.emit([mine])  # the row the pane shows already (a batch's final reload): not read again
    qtbot.wait(50)
    assert shown == []
    win.ops.rows_updated.emit([replace(mine, explanation="Checked again.")])
    assert shown == []  # not in the list's turn: in one of its own, next
    qtbot.waitUntil(lambda: shown == [win.detail.autotask_id], timeout=2000)


def test_rows_without_pending_invoices_arm_no_timer_and_read_no_settings(window, monkeypatch):
    win = window
    monkeypatch.setattr(win.session.store, "settings", lambda: pytest.fail("settings read on the GUI thread"))
    win.pending.schedule(win.rows())  # the demo has no invoice Autotask is still attaching items to
    assert win.pending.next_due is None and not win.pending.timer.isActive()


def test_a_big_update_reaches_the_list_in_parts_then_the_pane_and_the_actions_once(window, qtbot, monkeypatch):
    from dataclasses import replace

    win = window
    assert win.invoices.select_number("INV-5001")
    qtbot.waitUntil(lambda: win.detail.row is not None and win.detail.row.invoice_number == "INV-5001")
    current = win.detail.row
    shown, changed = [], []
    real = win.detail.show_invoice
    monkeypatch.setattr(win.detail, "show_invoice", lambda i: shown.append(i) or real(i))
    win.results.rows_changed.connect(lambda: changed.append(1))
    new = [replace(current, autotask_id=90000 + k, invoice_number=f"INV-9{k:04d}") for k in range(60)]
    win.ops.rows_updated.emit([*new, replace(current, explanation="Checked again.")])  # 61 rows: 3 parts of 25
    assert win.invoices.model.total() == 5  # none yet: the window paints between the parts
    qtbot.waitUntil(lambda: changed == [1], timeout=2000)
    assert win.invoices.model.total() == 65
    assert win.invoices.model.row_for(current.autotask_id).explanation == "Checked again."
    qtbot.waitUntil(lambda: shown == [current.autotask_id], timeout=2000)  # once, after the last part
    qtbot.wait(50)
    assert shown == [current.autotask_id]
    assert win.invoices.current_id() == current.autotask_id


def test_a_row_equal_to_the_one_shown_changes_nothing_in_the_list(window, qtbot):
    """A batch's rows come again with its final reload: those unchanged cost no repaint (issue 22)."""
    win = window
    changed = []
    win.invoices.model.dataChanged.connect(lambda a, b: changed.append((a.row(), b.row())))
    row = win.invoices.model.row_for(5001)
    win.invoices.update_row(replace(row))  # equal, another object
    assert changed == []
    win.invoices.update_row(replace(row, explanation="Checked again."))
    assert len(changed) == 1


def test_rows_selected_with_the_current_one_stay_selected_when_they_change(window, qtbot):
    """A multi-selection survives the batch's row updates, also for the rows that are not the current one."""
    from PySide6.QtCore import QItemSelectionModel

    win = window
    assert win.invoices.select_number("INV-5001")
    other = win.invoices.proxy.mapFromSource(win.invoices.model.index(win.invoices.model.source_row(5003), 0))
    win.invoices.view.selectionModel().select(
        other, QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows)
    assert sorted(win.invoices.selected_ids()) == [5001, 5003]
    row = win.invoices.model.row_for(5003)
    win.invoices.update_row(replace(row, status="synced", explanation="Created in Xero."))
    assert sorted(win.invoices.selected_ids()) == [5001, 5003]
    assert win.invoices.current_id() == 5001


def test_a_refresh_ends_with_the_list_in_one_turn_and_the_pane_in_the_next(window, qtbot, monkeypatch):
    """The end of a month-end refresh was one long turn of the event loop: the whole list, the counts and the
    pane's reads and fill. The pane now comes a turn later (issue 22)."""
    win = window
    rows = win.rows()
    win.invoices.view.clearSelection()
    win.invoices.view.setCurrentIndex(win.invoices.proxy.index(-1, -1))
    assert win.invoices.current_id() is None
    shown = []
    real = win.detail.show_invoice
    monkeypatch.setattr(win.detail, "show_invoice", lambda i: shown.append(i) or real(i))
    win.ops.rows_loaded.emit(rows)
    assert len(win.invoices.model.rows()) == 5 and shown == []  # the list now; the pane not yet
    qtbot.waitUntil(lambda: win.invoices.current_id() is not None and shown[-1:] == [win.invoices.current_id()])
    assert win.detail.row.autotask_id == win.invoices.current_id()  # the first row, chosen for the person


def test_the_sync_result_counts_credit_notes_as_credit_notes():
    """A batch of 192 invoices and 8 credit notes said "200 of 200 invoices in Xero"."""
    from decimal import Decimal
    from types import SimpleNamespace

    from depot_gui.ui.ops.operations import in_xero_text

    def outcome(total: str, ok: bool = True):
        return SimpleNamespace(ok=ok, result=SimpleNamespace(autotask_total=Decimal(total)))

    assert in_xero_text([outcome("10.00"), outcome("20.00")]) == "2 of 2 invoices in Xero."
    assert in_xero_text([outcome("10.00")]) == "1 of 1 invoice in Xero."
    assert in_xero_text([outcome("10.00"), outcome("20.00", ok=False), outcome("-5.00")]) == (
        "2 of 3 in Xero: 1 of 2 invoices, 1 of 1 credit note.")
