"""The invoice table: one row per Autotask invoice, plus a search/status/date filter proxy."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QPalette

from depot_gui.core.money import fmt_money
from depot_gui.core.payments import label as payment_label
from depot_gui.store.db import InvoiceRow

from depot_gui.ui.colors import color_for
from depot_gui.ui.contacts.text import row_status_text, window_wording
from depot_gui.ui.resources import local_time, status_icon
from depot_gui.ui.models import OBJECT_ROLE, RowsTableModel, SORT_ROLE, refilter

_Index = QModelIndex | QPersistentModelIndex


class Col(IntEnum):
    NUMBER = 0
    COMPANY = 1
    DATE = 2
    AUTOTASK_TOTAL = 3
    XERO_TOTAL = 4
    DIFFERENCE = 5
    STATUS = 6
    SYNCED_AT = 7
    PAYMENT = 8


HEADERS = {
    Col.NUMBER: "Invoice",
    Col.COMPANY: "Company",
    Col.DATE: "Date",
    Col.AUTOTASK_TOTAL: "Autotask\ntotal",
    Col.XERO_TOTAL: "Xero\ntotal",
    Col.DIFFERENCE: "Difference",
    Col.STATUS: "Status",
    Col.SYNCED_AT: "Synced",
    Col.PAYMENT: "Payment",
}
_MONEY_COLS = (Col.AUTOTASK_TOTAL, Col.XERO_TOTAL, Col.DIFFERENCE)
HEADER_TIPS = {
    Col.AUTOTASK_TOTAL: "The invoice total in Autotask, tax included.",
    Col.XERO_TOTAL: "The total Xero will hold: the lines with Xero's rounding, plus the rounding line when one "
                    "is added (marked *; the detail pane shows it).",
    Col.DIFFERENCE: "Autotask total minus what Xero's rounding alone gives. Above the maximum rounding difference "
                    "the invoice is not synced; within it, a rounding line makes Xero equal Autotask to the cent.",
    Col.SYNCED_AT: "When Depot GUI put the invoice into Xero.",
    Col.PAYMENT: "Payment state in Xero at the last payments check (File › Check payments): paid, part paid, "
                 "overdue (due date past, money still due) or unpaid.",
}
# Payment column order: the ones needing attention first when sorted ascending.
_PAYMENT_RANK = {"overdue": 0, "part_paid": 1, "unpaid": 2, "paid": 3}


def _dec(text: str) -> Decimal:
    try:
        return Decimal(text)
    except (InvalidOperation, TypeError):
        return Decimal(0)


def _cells(row: InvoiceRow) -> tuple[tuple[str, ...], tuple[Any, ...]]:
    """Display texts and raw sort keys for one row, computed once per row (keeps 10k rows fast)."""
    rounding = _dec(row.rounding_line)
    totals = [_dec(row.autotask_total), _dec(row.xero_total) + rounding, _dec(row.difference)]
    synced = local_time(row.synced_at) or "—"
    money = [fmt_money(v) for v in totals]
    if rounding:
        money[1] += " *"  # includes a rounding line (header tip, detail pane)
    display = (
        row.invoice_number,
        row.company,
        row.invoice_date or "",
        *money,
        row_status_text(row),  # "Choose contact" for an invoice waiting for its contact
        synced,
        payment_label(row.payment_state),
    )
    # Sort keys: raw values (Decimal as float is exact enough for ordering cents; strings for ISO dates).
    sort = (
        row.invoice_number,
        row.company.casefold(),
        row.invoice_date or "",
        *(float(v) for v in totals),
        row.status,
        row.synced_at or "",
        _PAYMENT_RANK.get(row.payment_state or "", 4),
    )
    return display, sort


class InvoiceTableModel(RowsTableModel):
    """Rows of `InvoiceRow`; DisplayRole text, SORT_ROLE raw values, OBJECT_ROLE the autotask id."""

    headers = tuple(HEADERS[c] for c in Col)
    right_aligned = frozenset(_MONEY_COLS)
    header_tips = {int(c): tip for c, tip in HEADER_TIPS.items()}

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[InvoiceRow] = []
        self._cells: list[tuple[tuple[str, ...], tuple[Any, ...]]] = []
        self._by_id: dict[int, int] = {}
        self._ids: list[int] = []
        self._sort: tuple[int, Qt.SortOrder] | None = None

    # ------------------------------------------------------------------ data in
    def set_rows(self, rows: list[InvoiceRow]) -> None:
        self.beginResetModel()
        pairs = [(r, _cells(r)) for r in rows]
        if self._sort is not None:
            col, order = self._sort
            pairs.sort(key=lambda p: p[1][1][col], reverse=order == Qt.SortOrder.DescendingOrder)
        self._rows = [r for r, _ in pairs]
        self._cells = [c for _, c in pairs]
        self._reindex()
        self.endResetModel()

    def _reindex(self) -> None:
        self._ids = [r.autotask_id for r in self._rows]  # kept in step with _rows (a cheap re-index on a move)
        self._by_id = {aid: i for i, aid in enumerate(self._ids)}

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Order rows by the SORT_ROLE key in Python (one key per row, so 10k rows sort in ms).

        A C++ proxy sort would call data() through Python for every comparison (~0.7 s for
        10k rows); sorting here keeps header clicks instant. Selection survives (persistent
        indexes are remapped).
        """
        if not 0 <= column < len(Col):
            self._sort = None
            return
        self._sort = (column, order)
        self.layoutAboutToBeChanged.emit()
        order_idx = sorted(
            range(len(self._rows)), key=lambda i: self._cells[i][1][column], reverse=order == Qt.SortOrder.DescendingOrder
        )
        new_pos = {old: new for new, old in enumerate(order_idx)}
        self._rows = [self._rows[i] for i in order_idx]
        self._cells = [self._cells[i] for i in order_idx]
        self._reindex()
        old = self.persistentIndexList()
        self.changePersistentIndexList(old, [self.index(new_pos[i.row()], i.column()) for i in old])
        self.layoutChanged.emit()

    def update_row(self, row: InvoiceRow) -> None:
        """Replace one invoice's row (or append it), signal only that row, keep the sort order."""
        i = self._by_id.get(row.autotask_id)
        if i is None:
            n = len(self._rows)
            self.beginInsertRows(QModelIndex(), n, n)
            self._rows.append(row)
            self._ids.append(row.autotask_id)
            self._cells.append(_cells(row))
            self._by_id[row.autotask_id] = n
            self.endInsertRows()
            self._keep_sorted(n)
            return
        self._rows[i] = row
        self._cells[i] = _cells(row)
        self.dataChanged.emit(self.index(i, 0), self.index(i, len(Col) - 1))
        self._keep_sorted(i)

    def _keep_sorted(self, i: int) -> None:
        """Move row ``i`` to where the active sort puts it (one row move, selection kept).

        The place is found by binary search over the other rows' keys (they are in order), and
        only the rows between the old and the new place are re-indexed: a one-row update costs
        O(log n) comparisons plus the rows it passes, not the whole table.
        """
        if self._sort is None:
            return
        col, order = self._sort
        descending = order == Qt.SortOrder.DescendingOrder
        cells = self._cells
        key = cells[i][1][col]
        n = len(cells)

        def before(k: int) -> bool:  # does the row at k (k != i) stay before the moved row?
            other = cells[k][1][col]
            return other >= key if descending else other <= key

        # Binary search over positions 0..n-2 of the list without row i.
        lo, hi = 0, n - 1
        while lo < hi:
            mid = (lo + hi) // 2
            if before(mid if mid < i else mid + 1):
                lo = mid + 1
            else:
                hi = mid
        j = lo
        if j == i:
            return
        # A remove and an insert, not beginMoveRows: Qt's filter proxy answers a move by filtering
        # every row again (100k Python calls), but a remove/insert only for the row itself.
        # The view (InvoiceList.update_row) puts the selection back on the moved row.
        self.beginRemoveRows(QModelIndex(), i, i)
        row, cell, aid = self._rows.pop(i), cells.pop(i), self._ids.pop(i)
        self.endRemoveRows()
        self.beginInsertRows(QModelIndex(), j, j)
        self._rows.insert(j, row)
        self._ids.insert(j, aid)
        cells.insert(j, cell)
        lo, hi = min(i, j), max(i, j) + 1  # only the rows between moved by one place
        self._by_id.update(zip(self._ids[lo:hi], range(lo, hi)))
        self.endInsertRows()

    def row_for(self, autotask_id: int) -> InvoiceRow | None:
        i = self._by_id.get(autotask_id)
        return self._rows[i] if i is not None else None

    def rows(self) -> list[InvoiceRow]:
        return list(self._rows)

    def source_row(self, autotask_id: int) -> int | None:
        return self._by_id.get(autotask_id)

    # ------------------------------------------------------------------ Qt API
    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        r, c = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cells[r][0][c]
        if role == SORT_ROLE:
            return self._cells[r][1][c]
        if role == OBJECT_ROLE:
            return self._rows[r].autotask_id
        row = self._rows[r]
        if role == Qt.ItemDataRole.DecorationRole and c == Col.STATUS:
            return status_icon(row.status)
        if role == Qt.ItemDataRole.ForegroundRole and c == Col.DIFFERENCE and row.status == "mismatch":
            return color_for("warning", role=QPalette.ColorRole.Base)  # >= 4.5:1 on light and dark rows
        if role == Qt.ItemDataRole.ForegroundRole and c == Col.PAYMENT and row.payment_state == "overdue":
            return color_for("error", role=QPalette.ColorRole.Base)
        if role == Qt.ItemDataRole.TextAlignmentRole and c in _MONEY_COLS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return window_wording(row.explanation.split("\n", 1)[0]) or None
        if role == Qt.ItemDataRole.AccessibleTextRole and c == Col.STATUS:
            return f"Status: {row_status_text(row)}"
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class InvoiceFilterProxy(QSortFilterProxyModel):
    """Sorts on SORT_ROLE (delegated to the source model); filters by search, status, date range."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self._sort_column = -1
        self._sort_order = Qt.SortOrder.AscendingOrder
        self._text = ""
        self._status: str | None = None
        self._from: str = ""
        self._to: str = ""

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        # The proxy keeps source order; the source sorts by SORT_ROLE keys (see InvoiceTableModel.sort).
        self._sort_column, self._sort_order = column, order
        model = self.sourceModel()
        if isinstance(model, InvoiceTableModel):
            model.sort(column, order)
        else:
            super().sort(column, order)

    def set_search(self, text: str) -> None:
        self._text = text.strip().casefold()
        self._refilter()

    def set_status(self, status: str | None) -> None:
        self._status = status or None
        self._refilter()

    def set_date_range(self, start: date | None, end: date | None) -> None:
        self._from = start.isoformat() if start else ""
        self._to = end.isoformat() if end else ""
        self._refilter()

    def _refilter(self) -> None:
        refilter(self)

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:
        model = self.sourceModel()
        if not isinstance(model, InvoiceTableModel):
            return True
        return self.accepts(model._rows[source_row])

    def is_filtering(self) -> bool:
        return bool(self._text or self._status or self._from or self._to)

    def accepts(self, row: InvoiceRow) -> bool:
        """Whether the search, status and date filters let ``row`` show (plain Python, no Qt calls)."""
        if self._status and row.status != self._status:
            return False
        if self._from or self._to:
            day = row.invoice_date or ""
            if not day or (self._from and day < self._from) or (self._to and day > self._to):
                return False
        if self._text and self._text not in row.invoice_number.casefold() and self._text not in row.company.casefold():
            return False
        return True
