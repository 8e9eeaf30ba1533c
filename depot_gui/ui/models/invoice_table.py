"""The invoice table: one row per Autotask invoice, sorted and filtered inside the model.

At 100,000 rows (issue 22) nothing is done per row ahead of need: texts are formatted when a
row is painted (and cached), sort keys are plain values computed by the sort, the filter is one
list comprehension, and each change reaches the view as one signal (a reset, a layout change,
or one row's dataChanged / insert / remove / move).
"""

from __future__ import annotations

from operator import attrgetter
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QPalette

from depot_gui.store.db import InvoiceRow

from depot_gui.ui.colors import color_for
from depot_gui.ui.contacts.text import row_status_text, window_wording
from depot_gui.ui.resources import status_icon
from depot_gui.ui.models import OBJECT_ROLE, RowsTableModel, SORT_ROLE
from depot_gui.ui.models.invoice_cells import HEADER_TIPS, HEADERS, MONEY_COLS, Col, display_texts, sort_key, sorted_rows
from depot_gui.ui.models.invoice_filter import InvoiceFilter, InvoiceFilterProxy

_Index = QModelIndex | QPersistentModelIndex
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_DECORATION = int(Qt.ItemDataRole.DecorationRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_ALIGN = int(Qt.ItemDataRole.TextAlignmentRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_ACCESSIBLE = int(Qt.ItemDataRole.AccessibleTextRole)
_SORT, _OBJECT = int(SORT_ROLE), int(OBJECT_ROLE)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_MONEY = frozenset(int(c) for c in MONEY_COLS)
_ID = attrgetter("autotask_id")
_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_NO_FLAGS = Qt.ItemFlag.NoItemFlags
_TEXT_CACHE = 4096  # rows whose texts are kept (a screenful is ~40; scrolling back finds them)

__all__ = ["Col", "HEADERS", "HEADER_TIPS", "InvoiceFilterProxy", "InvoiceTableModel"]


class InvoiceTableModel(RowsTableModel):
    """Rows of `InvoiceRow` the filter lets show, in the sort's order.

    DisplayRole gives formatted text, SORT_ROLE the raw sort value, OBJECT_ROLE the autotask id.
    ``rows()``/``row_for()`` see every invoice, shown or not; ``rowCount()`` counts those shown.
    """

    headers = tuple(HEADERS[c] for c in Col)
    right_aligned = frozenset(MONEY_COLS)
    header_tips = {int(c): tip for c, tip in HEADER_TIPS.items()}

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._all: dict[int, InvoiceRow] = {}  # every invoice, by autotask id, in arrival order
        self._rows: list[InvoiceRow] = []  # the rows shown, in order
        self._pos: dict[int, int] | None = {}  # shown position by id; None = rebuild when asked
        self._unfiltered: list[InvoiceRow] | None = None  # every row in sort order while a filter hides some
        self._texts: dict[int, tuple[str, ...]] = {}
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self.filter = InvoiceFilter()

    # ------------------------------------------------------------------ data in
    def set_rows(self, rows: list[InvoiceRow]) -> None:
        self.beginResetModel()
        self._all = {r.autotask_id: r for r in rows}
        self._texts.clear()
        self._unfiltered = None
        self._rows = self._arranged(list(self._all.values()), self.filter)
        self._pos = None
        self.endResetModel()

    def _arranged(self, rows: list[InvoiceRow], shown: InvoiceFilter) -> list[InvoiceRow]:
        """``rows`` filtered by ``shown`` and put in the sort's order (a new list or ``rows`` itself)."""
        if shown.active:
            rows = shown.select(rows)
        if self._sort is not None:
            col, order = self._sort
            rows = sorted_rows(rows, col, order == Qt.SortOrder.DescendingOrder)
        return rows

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Order rows by their sort key in Python: one key per row, one layout change, selection kept.

        Stable: rows with equal keys keep their previous order.
        """
        if not 0 <= column < len(Col):
            self._sort = None
            return
        if self._sort == (column, order):
            return  # already in this order: loads, filters and updates keep it
        self._sort = (column, order)
        self._unfiltered = None
        self._relayout(sorted_rows(self._rows, column, order == Qt.SortOrder.DescendingOrder))

    def set_filter(self, shown: InvoiceFilter) -> None:
        """Show the rows ``shown`` accepts: one layout change; typing more of a search scans only the rows shown."""
        before, self.filter = self.filter, shown
        if shown == before:
            return
        if not before.active:
            self._unfiltered = self._rows  # cleared again later: no sort needed
        if not shown.active and self._unfiltered is not None:
            rows = self._unfiltered
        elif shown.narrows(before):
            rows = shown.select(self._rows)
        else:
            rows = self._arranged(list(self._unfiltered or self._all.values()), shown)
        self._relayout(rows)
        if not shown.active:
            self._unfiltered = None

    def _relayout(self, rows: list[InvoiceRow]) -> None:
        """Show ``rows`` instead, moving the persistent indexes (selection, current row) with their invoices."""
        self.layoutAboutToBeChanged.emit()
        old_rows, old = self._rows, self.persistentIndexList()
        self._rows, self._pos = rows, None
        if old:
            wanted = {old_rows[i.row()].autotask_id for i in old if 0 <= i.row() < len(old_rows)}
            if len(wanted) > 32:
                where = self._positions()
            else:  # a few (current row, selection): C-speed look-ups instead of indexing every row
                ids = list(map(_ID, rows))
                where = {aid: ids.index(aid) for aid in wanted if aid in self._all and self._shows(aid)}
            new = []
            for index in old:
                r = index.row()
                pos = where.get(old_rows[r].autotask_id) if 0 <= r < len(old_rows) else None
                new.append(self.index(pos, index.column()) if pos is not None else QModelIndex())
            self.changePersistentIndexList(old, new)
        self.layoutChanged.emit()

    def _shows(self, autotask_id: int) -> bool:
        return self.filter.accepts(self._all[autotask_id])

    def update_row(self, row: InvoiceRow) -> None:
        """Replace one invoice's row (or add it): its row alone changes, moves, appears or disappears."""
        aid = row.autotask_id
        before = self._all.get(aid)
        self._all[aid] = row
        self._texts.pop(aid, None)
        if self._unfiltered is not None:
            self._unfiltered = None  # rebuilt (sorted) when the filter is cleared
        i = self.source_row(aid)
        shows = self.filter.accepts(row)
        if i is None:
            if shows:
                j = self._place(row, len(self._rows))
                self.beginInsertRows(QModelIndex(), j, j)
                self._rows.insert(j, row)
                self._shifted(j, len(self._rows))
                self.endInsertRows()
            return
        if not shows:
            self.beginRemoveRows(QModelIndex(), i, i)
            del self._rows[i]
            self._pos.pop(aid, None)
            self._shifted(i, len(self._rows))
            self.endRemoveRows()
            return
        self._rows[i] = row
        self.dataChanged.emit(self.index(i, 0), self.index(i, len(Col) - 1))
        j = i if self._same_key(before, row) else self._place(row, i)
        if j != i:
            # One move (the view keeps the selection on it); no proxy filters again since the model filters.
            self.beginMoveRows(QModelIndex(), i, i, QModelIndex(), j if j < i else j + 1)
            self._rows.insert(j, self._rows.pop(i))
            self._shifted(min(i, j), max(i, j) + 1)
            self.endMoveRows()

    def _same_key(self, before: InvoiceRow | None, row: InvoiceRow) -> bool:
        """True when the sort key did not change (the row keeps its place, even among equal keys)."""
        if before is None or self._sort is None:
            return before is not None
        col = self._sort[0]
        return sort_key(col, before) == sort_key(col, row)

    def _place(self, row: InvoiceRow, skip: int) -> int:
        """Where the sort puts ``row`` among the shown rows other than position ``skip`` (binary search)."""
        rows, n = self._rows, len(self._rows)
        if self._sort is None:
            return skip if skip < n else n
        col, order = self._sort
        key = sort_key(col, row)
        descending = order == Qt.SortOrder.DescendingOrder
        lo, hi = 0, n - 1 if skip < n else n  # positions in the list without ``skip``
        while lo < hi:
            mid = (lo + hi) // 2
            other = sort_key(col, rows[mid if mid < skip else mid + 1])
            if (other >= key) if descending else (other <= key):  # ties: the moved row goes after
                lo = mid + 1
            else:
                hi = mid
        return lo

    def _shifted(self, lo: int, hi: int) -> None:
        """Positions ``lo``..``hi`` changed: re-index only those (when the index exists)."""
        if self._pos is not None:
            self._pos.update((self._rows[k].autotask_id, k) for k in range(lo, hi))

    def row_for(self, autotask_id: int) -> InvoiceRow | None:
        return self._all.get(autotask_id)

    def rows(self) -> list[InvoiceRow]:
        """Every invoice: those shown in the table's order, then any the filter hides."""
        if not self.filter.active:
            return list(self._rows)
        shown = self._positions()
        return self._rows + [r for aid, r in self._all.items() if aid not in shown]

    def shown_rows(self) -> list[InvoiceRow]:
        """The rows the filter lets show, in the table's order."""
        return list(self._rows)

    def total(self) -> int:
        """How many invoices the model holds, shown or hidden."""
        return len(self._all)

    def source_row(self, autotask_id: int) -> int | None:
        """The row an invoice shows at, or None when it is hidden or unknown."""
        return self._positions().get(autotask_id)

    def _positions(self) -> dict[int, int]:
        if self._pos is None:  # built on first need after a load, sort or filter (not for every change)
            self._pos = {r.autotask_id: k for k, r in enumerate(self._rows)}
        return self._pos

    # ------------------------------------------------------------------ Qt API
    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        r = index.row()
        if r < 0 or r >= len(self._rows):
            return None
        row, c = self._rows[r], index.column()
        if role == _DISPLAY:
            texts = self._texts.get(row.autotask_id)
            if texts is None:
                if len(self._texts) >= _TEXT_CACHE:
                    self._texts.clear()
                texts = self._texts[row.autotask_id] = display_texts(row)
            return texts[c]
        if role == _ALIGN:
            return _RIGHT if c in _MONEY else None
        if role == _DECORATION:
            return status_icon(row.status) if c == Col.STATUS else None
        if role == _FOREGROUND:
            if c == Col.DIFFERENCE and row.status == "mismatch":
                return color_for("warning", role=QPalette.ColorRole.Base)  # >= 4.5:1 on light and dark rows
            if c == Col.PAYMENT and row.payment_state == "overdue":
                return color_for("error", role=QPalette.ColorRole.Base)
            return None
        if role == _SORT:
            return sort_key(c, row)
        if role == _OBJECT:
            return row.autotask_id
        if role == _TOOLTIP:
            tip = "\n".join([window_wording(row.explanation.split("\n", 1)[0])]
                            + [f"⚠ {w}" for w in row.warnings]).strip()
            return tip or None
        if role == _ACCESSIBLE and c == Col.STATUS:
            return f"Status: {row_status_text(row)}"
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        return _FLAGS if index.isValid() else _NO_FLAGS
