"""The invoice table: one row per Autotask invoice, sorted and filtered inside the model.

At 100,000 rows (issue 22) nothing is done per row ahead of need: texts are formatted when a
row is painted (and cached); the order and the filter are lists of slots of an ``InvoiceIndex``
whose plain sort keys and search text are made once per row; each change reaches the view as one
signal (a reset, a layout change, or one row's dataChanged / insert / remove / move).
"""

from __future__ import annotations

import heapq
from typing import Any

from PySide6.QtCore import QCoreApplication, QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtGui import QPalette

from depot_gui.store.db import InvoiceRow

from depot_gui.ui.colors import color_for
from depot_gui.ui.contacts.text import row_status_text, window_wording
from depot_gui.ui.resources import status_icon
from depot_gui.ui.models import OBJECT_ROLE, RowsTableModel, SORT_ROLE
from depot_gui.ui.models.invoice_cells import HEADER_TIPS, HEADERS, MONEY_COLS, Col, display_texts, sort_key
from depot_gui.ui.models.invoice_filter import InvoiceFilter, InvoiceFilterProxy
from depot_gui.ui.models.invoice_index import InvoiceIndex

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
_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_NO_FLAGS = Qt.ItemFlag.NoItemFlags
_STATUS_COL, _DIFFERENCE_COL, _PAYMENT_COL = int(Col.STATUS), int(Col.DIFFERENCE), int(Col.PAYMENT)  # data() is hot
_BASE = QPalette.ColorRole.Base
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
        self._index = InvoiceIndex()  # every invoice by slot, with its sort keys and search text
        self._order: list[int] = []  # the slots shown, in order
        self._pos: dict[int, int] | None = {}  # shown position by slot; None = rebuild when asked
        self._unfiltered: list[int] | None = None  # every slot in sort order while a filter hides some
        self._texts: dict[int, tuple[str, ...]] = {}  # by slot
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self.filter = InvoiceFilter()
        self._warming = QTimer(self)  # makes the search text and sort keys while the window is idle
        self._warming.setInterval(0)
        self._warming.timeout.connect(self._warm_step)

    # ------------------------------------------------------------------ data in
    def set_rows(self, rows: list[InvoiceRow]) -> None:
        self.beginResetModel()
        self._index = InvoiceIndex(rows)
        self._texts.clear()
        self._unfiltered = None
        self._order = self._arranged(list(range(len(self._index))), self.filter)
        self._pos = None
        self.endResetModel()
        if QCoreApplication.instance() is not None:  # (a model without an event loop makes them when needed)
            self._warming.start()

    def _warm_step(self) -> None:
        if not self._index.warm():
            self._warming.stop()

    def _arranged(self, slots: list[int], shown: InvoiceFilter) -> list[int]:
        """``slots`` filtered by ``shown`` and put in the sort's order (a new list or ``slots`` itself)."""
        if shown.active:
            slots = self._index.select(slots, shown)
        if self._sort is not None:
            col, order = self._sort
            slots = self._index.ordered(slots, col, order == Qt.SortOrder.DescendingOrder)
        return slots

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Order rows by their plain sort keys: one layout change, selection kept.

        Stable: rows with equal keys keep their previous order.
        """
        if not 0 <= column < len(Col):
            self._sort = None
            return
        if self._sort == (column, order):
            return  # already in this order: loads, filters and updates keep it
        self._sort = (column, order)
        self._unfiltered = None
        self._relayout(self._index.ordered(self._order, column, order == Qt.SortOrder.DescendingOrder))

    def set_filter(self, shown: InvoiceFilter) -> None:
        """Show the rows ``shown`` accepts: one layout change; typing more of a search scans only the rows shown."""
        before, self.filter = self.filter, shown
        if shown == before:
            return
        if not before.active:
            self._unfiltered = self._order  # cleared again later: no sort needed
        if not shown.active and self._unfiltered is not None:
            slots = self._unfiltered
        elif shown.narrows(before):
            slots = self._index.select(self._order, shown)
        else:
            slots = self._arranged(list(self._unfiltered or range(len(self._index))), shown)
        self._relayout(slots)
        if not shown.active:
            self._unfiltered = None

    def _relayout(self, order: list[int]) -> None:
        """Show ``order`` instead, moving the persistent indexes (selection, current row) with their invoices."""
        self.layoutAboutToBeChanged.emit()
        old_order, old = self._order, self.persistentIndexList()
        self._order, self._pos = order, None
        if old:
            wanted = {old_order[i.row()] for i in old if 0 <= i.row() < len(old_order)}
            if len(wanted) > 32:
                where = self._positions()
            else:  # a few (current row, selection): C-speed look-ups instead of indexing every row
                where = {}
                for slot in wanted:
                    try:
                        where[slot] = order.index(slot)
                    except ValueError:
                        pass  # filtered out
            new = []
            for index in old:
                r = index.row()
                pos = where.get(old_order[r]) if 0 <= r < len(old_order) else None
                new.append(self.index(pos, index.column()) if pos is not None else QModelIndex())
            self.changePersistentIndexList(old, new)
        self.layoutChanged.emit()

    def update_row(self, row: InvoiceRow) -> None:
        """Replace one invoice's row (or add it): its row alone changes, moves, appears or disappears."""
        index, col = self._index, self._sort[0] if self._sort is not None else None
        slot = index.slot(row.autotask_id)
        before = None if slot is None or col is None else index.keys(col)[slot]
        i = None if slot is None else self._positions().get(slot)
        slot = index.put(row)
        self._texts.pop(slot, None)
        if self._unfiltered is not None:
            self._unfiltered = None  # rebuilt (sorted) when the filter is cleared
        shows = self.filter.accepts(row)
        if i is None:
            if shows:
                j = self._place(slot, len(self._order))
                self.beginInsertRows(QModelIndex(), j, j)
                self._order.insert(j, slot)
                self._shifted(j, len(self._order))
                self.endInsertRows()
            return
        if not shows:
            self.beginRemoveRows(QModelIndex(), i, i)
            del self._order[i]
            self._pos.pop(slot, None)
            self._shifted(i, len(self._order))
            self.endRemoveRows()
            return
        self.dataChanged.emit(self.index(i, 0), self.index(i, len(Col) - 1))
        j = i if col is None or index.keys(col)[slot] == before else self._place(slot, i)
        if j != i:  # ties keep their place: a row whose key did not change does not move past its equals
            # One move (the view keeps the selection on it); no proxy filters again since the model filters.
            self.beginMoveRows(QModelIndex(), i, i, QModelIndex(), j if j < i else j + 1)
            self._order.insert(j, self._order.pop(i))
            self._shifted(min(i, j), max(i, j) + 1)
            self.endMoveRows()

    def _place(self, slot: int, skip: int) -> int:
        """Where the sort puts ``slot`` among the shown rows other than position ``skip`` (binary search)."""
        order, n = self._order, len(self._order)
        if self._sort is None:
            return skip if skip < n else n
        col, sort_order = self._sort
        keys = self._index.keys(col)
        key = keys[slot]
        descending = sort_order == Qt.SortOrder.DescendingOrder
        lo, hi = 0, n - 1 if skip < n else n  # positions in the list without ``skip``
        while lo < hi:
            mid = (lo + hi) // 2
            other = keys[order[mid if mid < skip else mid + 1]]
            if (other >= key) if descending else (other <= key):  # ties: the moved row goes after
                lo = mid + 1
            else:
                hi = mid
        return lo

    def _shifted(self, lo: int, hi: int) -> None:
        """Positions ``lo``..``hi`` changed: re-index only those (when the index exists)."""
        if self._pos is not None:
            self._pos.update(zip(self._order[lo:hi], range(lo, hi)))

    def row_for(self, autotask_id: int) -> InvoiceRow | None:
        return self._index.row_for(autotask_id)

    def rows(self) -> list[InvoiceRow]:
        """Every invoice: those shown in the table's order, then any the filter hides."""
        rows = self._index.rows
        shown = list(map(rows.__getitem__, self._order))
        if not self.filter.active:
            return shown
        positions = self._positions()
        return shown + [r for slot, r in enumerate(rows) if slot not in positions]

    def shown_rows(self) -> list[InvoiceRow]:
        """The rows the filter lets show, in the table's order."""
        return list(map(self._index.rows.__getitem__, self._order))

    def total(self) -> int:
        """How many invoices the model holds, shown or hidden."""
        return len(self._index)

    def source_row(self, autotask_id: int) -> int | None:
        """The row an invoice shows at, or None when it is hidden or unknown."""
        slot = self._index.slot(autotask_id)
        return None if slot is None else self._positions().get(slot)

    def longest_texts(self, per_column: int = 25) -> dict[int, list[str]]:
        """Each column's longest texts (by characters) among the rows shown: fitting the columns measures these
        few instead of asking Qt for every cell's size (sizeHintForColumn called data() 17,600 times for 200
        rows: a 100-190 ms stall when the first refresh ended, issue 22)."""
        columns: list[list[str]] = [[] for _ in range(len(Col))]
        rows = self._index.rows
        for slot in self._order:
            texts = self._texts.get(slot) or display_texts(rows[slot])
            for col, text in zip(columns, texts):
                col.append(text)
        return {c: heapq.nlargest(per_column, texts, key=len) for c, texts in enumerate(columns)}

    def _positions(self) -> dict[int, int]:
        if self._pos is None:  # built on first need after a load, sort or filter (not for every change)
            self._pos = dict(zip(self._order, range(len(self._order))))
        return self._pos

    # ------------------------------------------------------------------ Qt API
    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        r = index.row()
        if r < 0 or r >= len(self._order):
            return None
        slot, c = self._order[r], index.column()
        row = self._index.rows[slot]
        if role == _DISPLAY:
            texts = self._texts.get(slot)
            if texts is None:
                if len(self._texts) >= _TEXT_CACHE:
                    self._texts.clear()
                texts = self._texts[slot] = display_texts(row)
            return texts[c]
        if role == _ALIGN:
            return _RIGHT if c in _MONEY else None
        if role == _DECORATION:
            return status_icon(row.status) if c == _STATUS_COL else None
        if role == _FOREGROUND:
            if c == _DIFFERENCE_COL and row.status == "mismatch":
                return color_for("warning", role=_BASE)  # >= 4.5:1 on light and dark rows
            if c == _PAYMENT_COL and row.payment_state == "overdue":
                return color_for("error", role=_BASE)
            return None
        if role == _SORT:
            return sort_key(c, row)
        if role == _OBJECT:
            return row.autotask_id
        if role == _TOOLTIP:
            tip = "\n".join([window_wording(row.explanation.split("\n", 1)[0])]
                            + [f"⚠ {w}" for w in row.warnings]).strip()
            return tip or None
        if role == _ACCESSIBLE and c == _STATUS_COL:
            return f"Status: {row_status_text(row)}"
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        return _FLAGS if index.isValid() else _NO_FLAGS

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._order)
