"""The invoice table's order and filter over slots with keys made once per row (issue 22).

Behaviour only: what order, which rows, which selection. Speed is bench/bench_table.py's.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt

from depot_gui.store.db import InvoiceRow
from depot_gui.ui.models.invoice_filter import InvoiceFilter
from depot_gui.ui.models.invoice_index import InvoiceIndex
from depot_gui.ui.models.invoice_table import Col, InvoiceTableModel
from depot_gui.ui.window.invoice_list import InvoiceList

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")
ASC, DESC = Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder


def row(i: int, total: str, currency: str = "AUD", status: str = "ready", company: str = "Harbour Dental",
        day: str = "2026-11-01") -> InvoiceRow:
    return InvoiceRow(i, f"INV-{i:05d}", company, day, total, total, "0.00", "0.00", status, [], "Ready to sync.",
                      None, None, None, False, "2026-11-20T09:00:00+00:00", currency=currency)


AMOUNTS = [row(1, "-50.00"), row(2, "1200.00", "NZD"), row(3, "99.99"), row(4, "-1200.50", "GBP"),
           row(5, "1200.00"), row(6, "0.00", "NZD"), row(7, "-0.01", "GBP"), row(8, "10000.00", "USD")]


def ids(model: InvoiceTableModel) -> list[int]:
    return [r.autotask_id for r in model.shown_rows()]


def test_amounts_sort_by_value_negatives_first_whatever_their_currency():
    model = InvoiceTableModel()
    model.set_rows(AMOUNTS)
    model.sort(Col.AUTOTASK_TOTAL, ASC)
    assert ids(model) == [4, 1, 7, 6, 3, 2, 5, 8]  # -1200.50 GBP, -50, -0.01, 0, 99.99, 1200 NZD, 1200 AUD, 10000
    model.sort(Col.AUTOTASK_TOTAL, DESC)
    assert ids(model) == [8, 2, 5, 3, 6, 7, 1, 4]  # the two 1200.00 keep their order (stable)


def test_a_second_sort_keeps_the_first_order_among_its_ties():
    model = InvoiceTableModel()
    model.set_rows(AMOUNTS)
    model.sort(Col.AUTOTASK_TOTAL, DESC)
    model.sort(Col.CURRENCY, ASC)
    assert ids(model) == [5, 3, 1, 7, 4, 2, 6, 8]  # AUD, GBP, NZD, USD; within each, the totals' order
    assert [r.currency for r in model.shown_rows()] == ["AUD", "AUD", "AUD", "GBP", "GBP", "NZD", "NZD", "USD"]


def test_a_status_filter_and_a_search_together_and_the_count_shown(qtbot):
    pane = InvoiceList()
    qtbot.addWidget(pane)
    pane.set_rows([row(1, "10.00", company="Harbour Dental"), row(2, "20.00", status="mismatch", company="Harbour Dental"),
                   row(3, "30.00", company="Bluegum Legal"), row(4, "40.00", status="synced", company="harbour freight"),
                   row(5, "50.00", company="HARBOUR FREIGHT"), row(6, "60.00", status="mismatch", company="Bluegum Legal")])
    pane.status_filter.setCurrentIndex(pane.status_filter.findData("ready"))
    assert [r.autotask_id for r in pane.visible_rows()] == [1, 3, 5]
    pane.search.setText("  HARBOUR ")
    assert [r.autotask_id for r in pane.visible_rows()] == [1, 5]
    assert pane.shown.text() == "2 of 6 shown"
    pane.search.setText("inv-00003")  # the invoice number, any case
    assert [r.autotask_id for r in pane.visible_rows()] == [3]
    pane.status_filter.setCurrentIndex(pane.status_filter.findData(""))
    assert [r.autotask_id for r in pane.visible_rows()] == [3]
    pane.search.setText("")
    assert [r.autotask_id for r in pane.visible_rows()] == [1, 2, 3, 4, 5, 6]
    assert pane.shown.text() == ""


def test_the_selection_stays_on_its_invoices_through_a_sort_a_filter_and_its_clearing(qtbot):
    pane = InvoiceList()
    qtbot.addWidget(pane)
    pane.set_rows(AMOUNTS)
    assert pane.select(3)  # 99.99 AUD, current
    sel = pane.view.selectionModel()
    sel.select(pane.proxy.index(pane.model.source_row(8), 0),
               QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows)
    pane.view.sortByColumn(Col.AUTOTASK_TOTAL, DESC)
    assert [r.autotask_id for r in pane.visible_rows()] == [8, 2, 5, 3, 6, 7, 1, 4]
    assert pane.current_id() == 3 and sorted(pane.selected_ids()) == [3, 8]
    pane.search.setText("inv-0000")  # every invoice still shows
    pane.status_filter.setCurrentIndex(pane.status_filter.findData("ready"))
    assert pane.current_id() == 3 and sorted(pane.selected_ids()) == [3, 8]
    pane.search.setText("")
    assert pane.view.currentIndex().row() == 3
    assert pane.current_id() == 3 and sorted(pane.selected_ids()) == [3, 8]


def test_an_update_lands_in_its_sorted_place_and_a_hidden_one_returns_there():
    model = InvoiceTableModel()
    model.set_rows(AMOUNTS)
    model.sort(Col.AUTOTASK_TOTAL, ASC)
    model.set_filter(InvoiceFilter(text="inv-0000", status="ready"))
    model.update_row(replace(AMOUNTS[7], autotask_total="-5000.00", status="synced"))  # hidden now, key changed
    assert ids(model) == [4, 1, 7, 6, 3, 2, 5]
    model.update_row(row(9, "150.00", "AUD"))  # a new invoice, shown: between 99.99 and 1200
    assert ids(model) == [4, 1, 7, 6, 3, 9, 2, 5]
    model.set_filter(InvoiceFilter())
    assert ids(model) == [8, 4, 1, 7, 6, 3, 9, 2, 5]
    assert model.total() == 9


def test_the_index_tests_values_and_keeps_keys_current_on_put():
    index = InvoiceIndex(AMOUNTS)
    assert index.ordered(list(range(8)), Col.AUTOTASK_TOTAL, False) == [3, 0, 6, 5, 2, 1, 4, 7]  # slots
    assert index.select([7, 6, 5, 4, 3, 2, 1, 0], InvoiceFilter(text="00004")) == [3]
    index.put(replace(AMOUNTS[0], autotask_total="20000.00", company="Zeta Ltd"))
    assert index.ordered(list(range(8)), Col.AUTOTASK_TOTAL, True) == [0, 7, 1, 4, 2, 5, 6, 3]
    assert index.select(list(range(8)), InvoiceFilter(text="zeta")) == [0]
    assert index.select(list(range(8)), InvoiceFilter(text="harbour")) == [1, 2, 3, 4, 5, 6, 7]
    assert index.select([0], InvoiceFilter(text="zeta")) == [0]  # a few slots: each tested on its own
    assert index.select([6], InvoiceFilter(text="inv-00007")) == [6]
    assert index.put(row(42, "1.00")) == 8 and index.row_for(42).autotask_total == "1.00"
