"""Say what will happen before it does (issue 22 item 2): a button that sends says so, a sync of
several invoices asks first with their total, and credit notes are named as credit notes."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QItemSelectionModel

from depot_gui.store.db import InvoiceRow
from depot_gui.ui.dialogs.batch_confirm import batch_question

from .conftest import demo_session, temp_qsettings, window  # noqa: F401 - the window fixtures

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


def row(i: int, total: str, status: str = "ready") -> InvoiceRow:
    return InvoiceRow(i, f"INV-{i}", "Acme", "2026-11-01", total, total, "0.00", "0.00", status, [], "", None, None,
                      None, False, "")


def select(win, *numbers: str) -> None:
    assert win.invoices.select_number(numbers[0])
    sel = win.invoices.view.selectionModel()
    for number in numbers[1:]:
        aid = next(r.autotask_id for r in win.rows() if r.invoice_number == number)
        index = win.invoices.proxy.index(win.invoices.model.source_row(aid), 0)
        sel.select(index, QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows)


def test_the_button_that_sends_a_ready_invoice_says_it_sends(window, qtbot):
    win = window
    assert win.invoices.select_number("INV-5001")  # ready
    qtbot.waitUntil(lambda: win.detail.row is not None and win.detail.row.invoice_number == "INV-5001")
    assert win.detail.resync_button.text() == "Check again and sen&d"
    assert win.invoices.select_number("INV-5002")  # mismatch: checking again sends only if it now agrees
    qtbot.waitUntil(lambda: win.detail.row.invoice_number == "INV-5002")
    assert win.detail.resync_button.text() == "&Re-sync"


def test_resync_of_a_ready_invoice_asks_and_no_sends_nothing(window, qtbot):
    win = window
    select(win, "INV-5001")
    asked = []
    win.ask = lambda box: asked.append((box.windowTitle(), box.text(), box.informativeText())) and False
    win.commands.act_resync.trigger()
    assert asked == [("Re-sync", "Check again and send 1 invoice to Xero?",
                      "Each is downloaded from Autotask and checked again; those whose totals agree are sent, "
                      "the others are not.\n\nNew ones go to Xero as drafts.\n\nINV-5001  Acme Dental Group  AUD 1,633.50\nTotal AUD 1,633.50")]
    assert not win.ops.busy and win.status.currentMessage() == "Re-sync cancelled: nothing was sent."


def test_sync_selected_of_several_asks_with_their_total(window, qtbot):
    win = window
    select(win, "INV-5001", "INV-5003")
    asked = []
    win.ask = lambda box: asked.append((box.windowTitle(), box.text(), box.informativeText())) or True
    win.commands.act_sync.trigger()
    assert asked == [("Sync selected", "Send 2 invoices to Xero?",
                      "New ones go to Xero as drafts.\n\nINV-5001  Acme Dental Group  AUD 1,633.50\nINV-5003  Harbour Logistics Pty Ltd  AUD 2,970.00\n"
                      "Total AUD 4,603.50")]
    qtbot.waitUntil(lambda: not win.ops.busy, timeout=30000)
    assert {r.invoice_number for r in win.rows() if r.status == "synced"} == {"INV-5001", "INV-5003"}


def test_credit_notes_are_named_and_totalled_apart():
    question, details = batch_question([row(1, "1633.50"), row(7, "-621.16"), row(3, "1633.50")], [])
    assert question == "Send 2 invoices and 1 credit note to Xero?"
    assert details.split("\n") == [
        "INV-1  Acme  1,633.50",
        "INV-7  Acme  credit note 621.16",
        "INV-3  Acme  1,633.50",
        "Total 2,645.84: invoices 3,267.00 less credit notes 621.16",
    ]
    question, details = batch_question([row(7, "-621.16")], [])
    assert (question, details) == ("Send 1 credit note to Xero?",
                                   "INV-7  Acme  credit note 621.16\nTotal of the credit notes 621.16")


def test_the_sync_question_says_new_invoices_go_in_approved_when_set(window, qtbot):
    win = window
    win.session.set_settings({"xero_status": "approved"})
    select(win, "INV-5001", "INV-5003")
    asked = []
    win.ask = lambda box: asked.append(box.informativeText()) and False
    win.commands.act_sync.trigger()
    assert asked[0].split("\n")[0] == ("New ones go to Xero as approved invoices: Re-sync will not change an approved "
                                       "invoice (to correct one, void it in Xero or add a credit note).")
    assert not win.ops.busy
