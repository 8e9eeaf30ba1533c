"""The invoice table at scale (issue 22): texts on demand, plain sort keys, filtering in the model with one signal.

Speed itself is measured by bench/bench_table.py; these tests pin the behaviour that makes it fast.
"""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt

from depot_gui.store.db import InvoiceRow
from depot_gui.ui.models import OBJECT_ROLE, SORT_ROLE
from depot_gui.ui.models import invoice_table
from depot_gui.ui.models.invoice_table import Col, InvoiceFilterProxy, InvoiceTableModel
from depot_gui.ui.window.invoice_list import InvoiceList

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")
STATUSES = ("ready", "synced", "mismatch", "error")


def row(i: int, status: str = "ready", company: str = "Acme Dental Group", total: str = "100.00",
        day: str = "2026-11-01", rounding: str = "0.00", payment: str | None = None) -> InvoiceRow:
    return InvoiceRow(i, f"INV-{i:05d}", company, day, total, total, "0.00", rounding, status, [], "Ready to sync.",
                      None, None, None, False, "2026-11-20T09:00:00+00:00", payment_state=payment)


def many(n: int) -> list[InvoiceRow]:
    return [row(i, STATUSES[i % 4], company=f"Company {i % 97}", total=f"{(i * 37) % 999}.{i % 100:02d}")
            for i in range(n)]


class Signals:
    """Counts what the view hears from the proxy."""

    def __init__(self, proxy) -> None:
        self.counts = {"inserted": 0, "removed": 0, "moved": 0, "layout": 0, "reset": 0, "changed": 0}
        for name, signal in (("inserted", proxy.rowsInserted), ("removed", proxy.rowsRemoved),
                             ("moved", proxy.rowsMoved), ("layout", proxy.layoutChanged),
                             ("reset", proxy.modelReset), ("changed", proxy.dataChanged)):
            signal.connect(lambda *_a, name=name: self.counts.__setitem__(name, self.counts[name] + 1))

    def take(self) -> dict[str, int]:
        seen = {k: v for k, v in self.counts.items() if v}
        self.counts = dict.fromkeys(self.counts, 0)
        return seen


def test_a_search_and_its_clearing_are_one_layout_change_each(qtbot):
    pane = InvoiceList()
    qtbot.addWidget(pane)
    pane.set_rows(many(2000))
    heard = Signals(pane.proxy)
    pane.search.setText("company 5")  # Company 5 and Company 50-59: 11 companies x 21 invoices
    assert pane.proxy.rowCount() == 231
    assert heard.take() == {"layout": 1}
    pane.search.setText("company 55")  # typing on narrows what is shown
    assert pane.proxy.rowCount() == 21
    assert heard.take() == {"layout": 1}
    pane.search.setText("")
    assert pane.proxy.rowCount() == 2000
    assert heard.take() == {"layout": 1}  # was 2,063 rowsInserted at 100k rows (issue 22)


def test_texts_are_made_for_the_rows_asked_for_and_kept(monkeypatch):
    made = []
    real = invoice_table.display_texts
    monkeypatch.setattr(invoice_table, "display_texts", lambda r: made.append(r.autotask_id) or real(r))
    model = InvoiceTableModel()
    model.set_rows(many(10_000))
    assert made == []  # nothing formatted up front
    assert model.index(5, Col.AUTOTASK_TOTAL).data() == "185.05"
    assert model.index(5, Col.COMPANY).data() == "Company 5"
    assert made == [5]  # one row formatted once
    model.update_row(row(5, total="1234.50"))
    assert model.index(5, Col.AUTOTASK_TOTAL).data() == "1,234.50"
    assert made == [5, 5]  # a changed row is formatted again


def test_sort_keys_are_plain_values_not_decimal():
    model = InvoiceTableModel()
    model.set_rows([row(1, company="Bluegum Legal", total="5951.55", rounding="0.02", payment="overdue")])
    keys = [model.index(0, c).data(SORT_ROLE) for c in Col]
    assert keys == ["INV-00001", "bluegum legal", "2026-11-01", 5951.55, 5951.57, 0.0, "ready", "", 0, "", "", 2]
    assert [type(k) for k in keys[3:6]] == [float, float, float]


def test_the_selection_follows_its_invoice_through_search_sort_and_clear(qtbot):
    pane = InvoiceList()
    qtbot.addWidget(pane)
    pane.set_rows(many(300))
    assert pane.select(7)
    sel = pane.view.selectionModel()
    sel.select(pane.proxy.index(pane.model.source_row(104), 0),
               QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows)
    pane.search.setText("company 7")  # invoices 7, 70-79, 104 (= 7 + 97), ... still shown
    pane.view.sortByColumn(Col.AUTOTASK_TOTAL, Qt.SortOrder.DescendingOrder)
    assert pane.current_id() == 7 and sorted(pane.selected_ids()) == [7, 104]
    pane.search.setText("")
    assert pane.current_id() == 7 and sorted(pane.selected_ids()) == [7, 104]
    totals = [pane.proxy.index(r, Col.AUTOTASK_TOTAL).data(SORT_ROLE) for r in range(pane.proxy.rowCount())]
    assert len(totals) == 300 and totals == sorted(totals, reverse=True)


def test_rows_leave_and_join_a_status_filter_one_signal_each(qtbot, qtmodeltester):
    model = InvoiceTableModel()
    proxy = InvoiceFilterProxy()
    proxy.setSourceModel(model)
    model.set_rows([row(i, "ready", total=f"{i}00.00") for i in range(1, 6)])
    proxy.sort(Col.AUTOTASK_TOTAL, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(proxy)  # keeps checking every change below
    proxy.set_status("ready")
    heard = Signals(proxy)
    model.update_row(row(3, "synced", total="300.00"))
    assert heard.take() == {"removed": 1}
    assert [proxy.index(r, 0).data(OBJECT_ROLE) for r in range(proxy.rowCount())] == [5, 4, 2, 1]
    model.update_row(row(3, "ready", total="450.00"))
    assert heard.take() == {"inserted": 1}
    assert [proxy.index(r, 0).data(OBJECT_ROLE) for r in range(proxy.rowCount())] == [5, 3, 4, 2, 1]
    model.update_row(row(1, "ready", total="999.00"))  # a shown row changes its key: it moves
    assert heard.take() == {"changed": 1, "moved": 1}
    assert [proxy.index(r, 0).data(OBJECT_ROLE) for r in range(proxy.rowCount())] == [1, 5, 3, 4, 2]
    model.update_row(row(4, "ready", total="400.00", payment="paid"))  # same key: stays, one row repainted
    assert heard.take() == {"changed": 1}
    assert model.total() == 5 and [r.autotask_id for r in model.rows()] == [1, 5, 3, 4, 2]
    proxy.set_date_range(date(2026, 12, 1), None)
    assert proxy.rowCount() == 0 and len(model.rows()) == 5
    proxy.set_date_range(None, None)
    proxy.set_status(None)
    assert [proxy.index(r, 0).data(OBJECT_ROLE) for r in range(proxy.rowCount())] == [1, 5, 3, 4, 2]


def test_a_row_changed_while_filtered_is_in_its_place_when_the_filter_is_cleared(qtbot):
    pane = InvoiceList()
    qtbot.addWidget(pane)
    pane.set_rows([row(i, total=f"{i}00.00", company="Bluegum" if i % 2 else "Harbour") for i in range(1, 7)])
    pane.view.sortByColumn(Col.AUTOTASK_TOTAL, Qt.SortOrder.AscendingOrder)
    pane.search.setText("harbour")
    assert [r.autotask_id for r in pane.visible_rows()] == [2, 4, 6]
    pane.update_row(row(1, total="550.00", company="Bluegum"))  # hidden, and its total changes
    pane.search.setText("")
    assert [r.autotask_id for r in pane.visible_rows()] == [2, 3, 4, 5, 1, 6]


def test_an_update_keeping_its_sort_key_keeps_its_place_among_equal_keys(qtbot):
    model = InvoiceTableModel()
    proxy = InvoiceFilterProxy()
    proxy.setSourceModel(model)
    model.set_rows([row(i, "ready") for i in range(1, 6)])
    proxy.sort(Col.STATUS, Qt.SortOrder.AscendingOrder)
    heard = Signals(proxy)
    model.update_row(row(1, "ready", total="555.00"))  # still "ready": no move past the other four
    assert heard.take() == {"changed": 1}
    assert [r.autotask_id for r in model.rows()] == [1, 2, 3, 4, 5]


def test_fitting_the_columns_to_2000_rows_measures_a_few_texts_not_every_cell(qtbot, monkeypatch):
    """The first load fits the columns once: Qt's sizeHintForColumn asked data() for every role of every cell
    (17,600 calls for 200 rows: a 100-190 ms stall when the first refresh ended); the widths now come from
    each column's longest texts, as wide as Qt's own fit."""
    pane = InvoiceList()
    qtbot.addWidget(pane)
    pane.resize(2400, 800)
    pane.show()
    rows = many(2000)
    rows[1234] = row(1234, "ready", company="Harbour Logistics Pty Ltd of the Longest Name")
    calls = []
    real = pane.model.data
    monkeypatch.setattr(pane.model, "data", lambda *a: calls.append(1) or real(*a))
    pane.set_rows(rows)
    assert calls == []  # the texts come from the model's own cache and rows, not through data()
    qt_fit = pane.view.sizeHintForColumn(Col.COMPANY)  # Qt's own measure of every row, for comparison
    assert pane.view.horizontalHeader().sectionSize(Col.NUMBER) >= pane.view.sizeHintForColumn(Col.NUMBER)
    # every row is measured: the long name (row 1,234) takes the company column to its cap of 170 px, where
    # Qt's own measure looks at the first 1,000 rows only
    assert pane.view.horizontalHeader().sectionSize(Col.COMPANY) == 170
    assert qt_fit < 170
    assert pane.model.longest_texts()[Col.COMPANY][0] == "Harbour Logistics Pty Ltd of the Longest Name"
