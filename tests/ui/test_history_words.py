"""The history says each thing once and in words (issue 22): a refresh that finds the same again adds no
identical row, an invoice waiting for a contact choice is a question (not a red Error), a Xero document
is named by type and number (never Xero's id), and every amount carries its currency."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from depot_gui.store.db import SyncAttempt
from depot_gui.ui.models.history_table import HistoryModel
from depot_gui.ui.resources import icon

from ..contacts.test_linked_on_purpose import harbour
from .conftest import scenario_window, temp_qsettings  # noqa: F401 - the window fixtures

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


def history(win) -> list[tuple[str, str, str]]:
    m = win.detail.history_model
    return [(m.index(r, 1).data(), m.index(r, 2).data(), m.index(r, 3).data()) for r in range(m.rowCount())]


def refresh(win, qtbot) -> None:
    win.commands.act_refresh.trigger()
    qtbot.waitUntil(lambda: not win.ops.busy, timeout=30000)


def show(win, qtbot, number: str) -> None:
    assert win.invoices.select_number(number)
    qtbot.waitUntil(lambda: win.detail.row is not None and win.detail.row.invoice_number == number)


def test_refreshes_that_find_the_same_add_no_row_and_a_contact_choice_is_a_question(scenario_window, tmp_path, qtbot):
    win = scenario_window(harbour(tmp_path))
    refresh(win, qtbot)
    refresh(win, qtbot)
    show(win, qtbot, "INV-5001")
    assert history(win) == [("Checked against Autotask", "Ready", "Difference AUD 0.00 (the same 3 times in a row)")]
    assert win.detail.history_heading.text() == "History (1)"
    show(win, qtbot, "INV-5003")  # Xero has "Harbour Logistics": the invoice waits for a choice
    assert history(win) == [("Checked against Autotask", "Choose contact",
                             "Waits until you choose its company's Xero contact (the same 3 times in a row)")]
    shown = win.detail.history_model.index(0, 2).data(Qt.ItemDataRole.DecorationRole)
    assert shown.cacheKey() == icon("status-choose").cacheKey()  # the amber question mark, not the red Error
    assert shown.cacheKey() != icon("status-error").cacheKey()


def test_a_xero_document_is_named_by_type_and_number_never_by_its_id(qtmodeltester):
    model = HistoryModel()
    sent = SyncAttempt(1, 5001, "INV-5001", "k", "2026-11-20T09:01:00+00:00", "2026-11-20T09:01:01+00:00",
                       "created", "create", {}, {}, "Created in Xero as draft invoice INV-5001 (total AUD 1,633.50).",
                       "0f8e7a52-1c1d-4c52-9d1f-3b9d5c2a7e11", "sandbox")
    asked = SyncAttempt(2, 5001, "INV-5001", "k2", "2026-11-20T09:02:00+00:00", None, "intent", "create",
                        {"CreditNoteNumber": "INV-5001"}, {}, "", None, "sandbox")
    model.set_history([{"at": "2026-11-20T09:00:00+00:00", "status": "ready", "difference": "4177.8",
                        "causes": []}], [sent, asked], "AUD")
    qtmodeltester.check(model)
    texts = [model.index(r, 3).data() for r in range(model.rowCount())]
    assert texts == ["Difference AUD 4,177.80", "Created in Xero as draft invoice INV-5001 (total AUD 1,633.50).",
                     "Xero credit note INV-5001"]
