"""Models: qtmodeltester on each, plain data checks, and 10,000 invoices staying fast."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt

from depot_gui.core.audit import AuditResult, LineComparison
from depot_gui.core.diagnosis import Cause
from depot_gui.store.db import InvoiceRow, SyncAttempt
from depot_gui.ui.models import OBJECT_ROLE, SORT_ROLE
from depot_gui.ui.models.history_table import HistoryModel
from depot_gui.ui.models.invoice_table import Col, InvoiceFilterProxy, InvoiceTableModel
from depot_gui.ui.models.line_table import LineComparisonModel
from depot_gui.ui.models.review_table import ReviewModel, review_rows

D = Decimal
pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


def row(i: int, status: str = "ready", company: str = "Acme Dental Group", day: str = "2026-11-01",
        total: str = "100.00", diff: str = "0.00") -> InvoiceRow:
    return InvoiceRow(i, f"INV-{i:05d}", company, day, total, total, diff, "0.00", status, [], "Ready to sync.",
                      None, None, None, False, "2026-11-20T09:00:00+00:00")


def line(item_id, label, qty, rate, amount, tax, xq=None, xu=None, xa=None, xt=None, note=""):
    return LineComparison(item_id, label, qty, rate, amount, tax, xq, xu, xa, xt, note)


def mismatch_result() -> AuditResult:
    lines = (
        line(1, "Managed Workstations x 12", D(12), D(45), D(540), D(54), D(12), D(45), D(540), D(54)),
        line(2, "Project labour", D("6.5"), D(165), D("1072.50"), D("107.25"), D("6.5"), D(165), D("1072.50"), D("107.25")),
    )
    cause = Cause("lob_access", D("4177.80"), ("hidden Sydney / Hardware",), ("Remove every line of business",))
    return AuditResult(5002, "INV-5002", "Bluegum Legal", "mismatch", D("5951.55"), D("1773.75"), D("4177.80"),
                       D(0), D("3.00"), (cause,), "Not synced.", None, lines)


def test_invoice_model_passes_modeltester(qtmodeltester):
    model = InvoiceTableModel()
    model.set_rows([row(1), row(2, "mismatch", diff="4177.80"), row(3, "synced"), row(4, "error")])
    qtmodeltester.check(model)
    proxy = InvoiceFilterProxy()
    proxy.setSourceModel(model)
    qtmodeltester.check(proxy)


def test_invoice_model_roles_and_single_row_update(qtbot):
    model = InvoiceTableModel()
    model.set_rows([row(1, total="1633.50"), row(2, "mismatch", total="5951.55", diff="4177.80")])
    idx = model.index(1, Col.AUTOTASK_TOTAL)
    assert idx.data() == "5,951.55"
    assert idx.data(SORT_ROLE) == 5951.55
    assert model.index(1, Col.STATUS).data() == "Mismatch"  # readable without colour
    assert model.index(1, Col.STATUS).data(Qt.ItemDataRole.DecorationRole) is not None
    assert model.index(1, Col.NUMBER).data(OBJECT_ROLE) == 2
    with qtbot.waitSignal(model.dataChanged) as blocker:
        model.update_row(row(2, "synced", total="5951.55"))
    top, bottom = blocker.args[0], blocker.args[1]
    assert (top.row(), bottom.row()) == (1, 1)
    assert model.index(1, Col.STATUS).data() == "Synced"


def test_proxy_filters_and_sorts_on_raw_values():
    model = InvoiceTableModel()
    proxy = InvoiceFilterProxy()
    proxy.setSourceModel(model)
    model.set_rows([
        row(1, total="900.00", company="Bluegum Legal", day="2026-10-01"),
        row(2, "mismatch", total="10000.00", day="2026-11-02"),
        row(3, total="95.00", company="Harbour Logistics", day="2026-11-05"),
    ])
    proxy.sort(Col.AUTOTASK_TOTAL, Qt.SortOrder.AscendingOrder)
    # Numeric order, not text order ("10,000.00" < "900.00" as text).
    assert [proxy.index(r, Col.NUMBER).data() for r in range(3)] == ["INV-00003", "INV-00001", "INV-00002"]
    proxy.set_search("harbour")
    assert proxy.rowCount() == 1
    proxy.set_search("")
    proxy.set_status("mismatch")
    assert [proxy.index(r, 0).data() for r in range(proxy.rowCount())] == ["INV-00002"]
    proxy.set_status(None)
    from datetime import date

    proxy.set_date_range(date(2026, 11, 1), date(2026, 11, 30))
    assert proxy.rowCount() == 2


def test_ten_thousand_invoices_sort_filter_and_update(qtbot):
    """Behaviour at 10,000 rows (speed lives in bench/bench_table.py, not in a timed test)."""
    from depot_gui.ui.window.invoice_list import InvoiceList

    statuses = ("ready", "synced", "mismatch", "error")
    rows = [row(i, statuses[i % 4], company=f"Company {i % 97}", day=f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}",
                total=f"{(i * 37) % 99999}.{i % 100:02d}") for i in range(10_000)]
    pane = InvoiceList()
    qtbot.addWidget(pane)
    pane.resize(900, 600)
    pane.show()
    pane.set_rows(rows)
    assert pane.proxy.rowCount() == 10_000
    pane.view.sortByColumn(Col.AUTOTASK_TOTAL, Qt.SortOrder.DescendingOrder)
    totals = [pane.proxy.index(r, Col.AUTOTASK_TOTAL).data(SORT_ROLE) for r in range(pane.proxy.rowCount())]
    assert totals == sorted(totals, reverse=True)  # raw Decimal order, not text order
    pane.search.setText("company 5")
    shown = {pane.proxy.index(r, Col.COMPANY).data() for r in range(pane.proxy.rowCount())}
    assert shown and all(c.lower().startswith("company 5") for c in shown)
    pane.search.setText("")
    changed = []
    pane.model.dataChanged.connect(lambda a, b, roles=(): changed.append((a.row(), b.row())))
    pane.update_row(row(5000, "synced"))
    assert changed and all(a == b for a, b in changed)  # one row, not a reset


def test_line_model(qtmodeltester):
    model = LineComparisonModel()
    model.set_result(mismatch_result())
    qtmodeltester.check(model)
    texts = [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(model.rowCount())]
    missing = next(t for t in texts if t[-1] == "missing")
    assert missing[2] == "4,177.80"
    assert texts[-1][-1] == "differs"
    assert model.index(len(texts) - 1, 0).data(Qt.ItemDataRole.BackgroundRole) is not None
    assert model.index(0, 0).data(Qt.ItemDataRole.BackgroundRole) is None


def test_history_model(qtmodeltester):
    model = HistoryModel()
    attempt = SyncAttempt(1, 5001, "INV-5001", "k", "2026-11-20T09:01:00+00:00", "2026-11-20T09:01:01+00:00",
                          "created", "create", {}, {}, "Created in Xero.", "abc-123", "sandbox")
    model.set_history([{"at": "2026-11-20T09:00:00+00:00", "status": "ready", "difference": "0.00", "causes": []}], [attempt])
    qtmodeltester.check(model)
    assert model.rowCount() == 2
    assert model.index(1, 2).data() == "Created in Xero"
    assert model.index(1, 3).data() == "Created in Xero."  # Xero's own id is not shown (issue 22)


def test_review_model(qtmodeltester):
    before = mismatch_result()
    after_lines = (before.lines[0], line(2, "Project labour", D("6.5"), D(165), D("1072.50"), D("107.25"), D(1), D("1072.50"), D("1072.50"), D("107.25")))
    after = AuditResult(5002, "INV-5002", "Bluegum Legal", "ready", D("5951.55"), D("5951.55"), D(0), D(0), D("3.00"),
                        (), "Ready.", None, after_lines)
    rows = review_rows({5002: before}, [after])
    assert len(rows) == 1 and rows[0].after_status == "ready"
    model = ReviewModel()
    model.set_rows(rows)
    qtmodeltester.check(model)
    assert "6.5 × 165.00 = 1,072.50 → 1 × 1,072.50 = 1,072.50" in model.index(0, 4).data()


def test_pyside_does_not_leak_references():
    """PySide6 6.12.0 loses a reference to None on every void call and crashes; keep it out."""
    from depot_gui.ui.qt_compat import void_call_leaks

    assert not void_call_leaks()


def test_money_columns_explain_themselves():
    model = InvoiceTableModel()
    tip = model.headerData(Col.XERO_TOTAL, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    assert "plus the rounding line when one is added (marked *" in tip
    assert model.headerData(Col.NUMBER, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole) is None


def test_a_changed_row_moves_to_its_sorted_place(qtmodeltester):
    model = InvoiceTableModel()
    model.set_rows([row(i, "ready", total=f"{i}00.00") for i in range(1, 6)])
    model.sort(Col.AUTOTASK_TOTAL, Qt.SortOrder.DescendingOrder)
    assert [r.autotask_id for r in model.rows()] == [5, 4, 3, 2, 1]
    model.update_row(row(2, "synced", total="999.00"))
    assert [r.autotask_id for r in model.rows()] == [2, 5, 4, 3, 1]
    model.update_row(row(2, "synced", total="1.00"))
    assert [r.autotask_id for r in model.rows()] == [5, 4, 3, 1, 2]
    model.update_row(row(9, "ready", total="350.00"))
    assert [r.autotask_id for r in model.rows()] == [5, 4, 9, 3, 1, 2]
    qtmodeltester.check(model)


def test_multi_selection_survives_a_refresh(qtbot):
    from depot_gui.ui.window.invoice_list import InvoiceList

    pane = InvoiceList()
    qtbot.addWidget(pane)
    rows = [row(i) for i in range(1, 6)]
    pane.set_rows(rows)
    pane.select(2)
    from PySide6.QtCore import QItemSelectionModel

    sel = pane.view.selectionModel()
    sel.select(pane.proxy.index(3, 0), QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows)
    before = sorted(pane.selected_ids())
    assert len(before) == 2
    pane.set_rows(rows)
    assert sorted(pane.selected_ids()) == before and pane.current_id() == 2


def test_a_moved_row_keeps_its_selection_and_ties_keep_their_order(qtbot):
    from PySide6.QtCore import QItemSelectionModel

    from depot_gui.ui.window.invoice_list import InvoiceList

    pane = InvoiceList()
    qtbot.addWidget(pane)
    pane.set_rows([row(i, "ready", total=t) for i, t in ((1, "100.00"), (2, "200.00"), (3, "200.00"), (4, "300.00"))])
    pane.view.sortByColumn(Col.AUTOTASK_TOTAL, Qt.SortOrder.AscendingOrder)
    pane.select(1)
    pane.view.selectionModel().select(pane.proxy.index(3, 0), QItemSelectionModel.SelectionFlag.Select
                                      | QItemSelectionModel.SelectionFlag.Rows)  # invoice 4 too
    pane.update_row(row(1, "synced", total="200.00"))  # moves after the other 200.00 rows
    assert [r.autotask_id for r in pane.model.rows()] == [2, 3, 1, 4]
    assert pane.current_id() == 1 and sorted(pane.selected_ids()) == [1, 4]
    pane.update_row(row(4, "synced", total="50.00"))  # a selected, not current, row moves to the top
    assert [r.autotask_id for r in pane.model.rows()] == [4, 2, 3, 1]
    assert pane.current_id() == 1 and sorted(pane.selected_ids()) == [1, 4]
