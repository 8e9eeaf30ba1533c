"""The left pane: search box, status filter, date range and the sortable, multi-select invoice table."""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal, InvalidOperation

from PySide6.QtCore import QByteArray, QDate, QEvent, QItemSelectionModel, QKeyCombination, Qt, Signal
from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QDateEdit, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QTableView,
    QApplication, QStyle, QVBoxLayout, QWidget,
)

from depot_gui.core.audit import STATUSES
from depot_gui.core.money import fmt_money
from depot_gui.store.db import InvoiceRow

from depot_gui.ui.models import OBJECT_ROLE
from depot_gui.ui.models.invoice_cells import later_texts
from depot_gui.ui.models.invoice_table import Col, InvoiceFilterProxy, InvoiceTableModel
from depot_gui.ui.resources import status_icon, status_text
from depot_gui.ui.window.columns import ColumnChooser



def default_date_range(today: date) -> tuple[date, date]:
    """The date range offered first: from the first of last month to today. At month-end (the first days of
    a month) it holds the month being closed; a month back from today hid its first week (issue 22)."""
    first = today.replace(day=1)
    last_month = (first.replace(year=first.year - 1, month=12) if first.month == 1
                  else first.replace(month=first.month - 1))
    return last_month, today

class InvoiceList(QWidget):
    """Filter controls over the invoice table.

    Signals:
        current_changed(object): the autotask id of the current invoice, or None.
        selection_changed(list): autotask ids of all selected invoices.
        visible_changed: the search or a filter changed which rows show.
    """

    current_changed = Signal(object)
    selection_changed = Signal(list)
    visible_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = InvoiceTableModel(self)
        self.proxy = InvoiceFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self._sized = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self._build_filters(layout)
        self.view = QTableView()
        # before the view's own handler (connected by setModel), which would make the row *above* current
        self.proxy.rowsAboutToBeRemoved.connect(self._on_proxy_rows_about_to_be_removed)
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(Col.NUMBER, Qt.SortOrder.AscendingOrder)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().hide()
        self.view.setWordWrap(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setSectionsMovable(True)  # the desk may order the columns (remembered with the window)
        header.moveSection(header.visualIndex(Col.STATUS), Col.DATE)  # the status beside the company: no scrolling
        # the currency right after the difference: at 1366 px the amounts and the difference stay on screen
        header.moveSection(header.visualIndex(Col.CURRENCY), header.visualIndex(Col.DIFFERENCE) + 1)
        self._laid_out = False  # columns fitted to real rows, or sized/moved by the person: worth remembering
        header.sectionResized.connect(self._on_header_changed_by_hand)
        header.sectionMoved.connect(self._on_header_changed_by_hand)
        self.view.setColumnHidden(Col.ORGANISATION, True)  # shown once invoices go to more than one organisation
        self.columns = ColumnChooser(self.view, self)  # which show: the header's menu, View › Columns
        self.columns.changed.connect(self._on_columns_changed)
        self.view.setTabKeyNavigation(False)  # Tab leaves the table; arrows move within it
        self.view.setAccessibleName("Invoices")
        self.view.setAccessibleDescription("Arrow keys move between invoices; Shift or Ctrl with them selects several.")
        layout.addWidget(self.view, 1)
        self._shown_id: int | None = None
        sel = self.view.selectionModel()
        sel.currentRowChanged.connect(self._on_selection_current_changed)
        sel.selectionChanged.connect(self._on_selection_changed)
        self._row_before = -1  # the current row before a filter or sort change
        self.proxy.layoutAboutToBeChanged.connect(self._on_proxy_layout_about_to_change)
        for signal in (self.proxy.rowsRemoved, self.proxy.rowsInserted, self.proxy.modelReset, self.proxy.layoutChanged):
            signal.connect(self._on_proxy_rows_changed)

    def _build_filters(self, layout: QVBoxLayout) -> None:
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search invoice number or company  (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search invoices")
        self.search.textChanged.connect(self.proxy.set_search)
        self.search.installEventFilter(self)  # the window's Ctrl+E (Export) works from the search box too
        layout.addWidget(self.search)
        row = QHBoxLayout()
        self.status_filter = QComboBox()
        self.status_filter.addItem("All statuses", "")
        for status in STATUSES:
            self.status_filter.addItem(status_icon(status), status_text(status), status)
        self.status_filter.currentIndexChanged.connect(self._on_status_filter_changed)
        self.status_filter.setAccessibleName("Status filter")
        row.addWidget(self.status_filter)
        self.organisation_filter = QComboBox()
        self.organisation_filter.addItem("All organisations", "")
        self.organisation_filter.setAccessibleName("Xero organisation filter")
        self.organisation_filter.currentIndexChanged.connect(self._on_organisation_filter_changed)
        self.organisation_filter.hide()  # shown once invoices go to more than one organisation
        row.addWidget(self.organisation_filter)
        self.date_check = QCheckBox("Date &range")
        self.date_from = QDateEdit(calendarPopup=True)
        self.date_to = QDateEdit(calendarPopup=True)
        since, until = default_date_range(date.today())
        self.date_from.setDate(QDate(since))
        self.date_to.setDate(QDate(until))
        for w in (self.date_from, self.date_to):
            w.setDisplayFormat("yyyy-MM-dd")
            w.setEnabled(False)
            w.dateChanged.connect(self._on_dates_changed)
        self.date_from.setAccessibleName("Invoice date from")
        self.date_to.setAccessibleName("Invoice date to")
        self.date_check.toggled.connect(self._on_dates_changed)
        row.addWidget(self.date_check)
        row.addWidget(self.date_from)
        row.addWidget(self.date_to)
        row.addStretch(1)
        self.shown = QLabel()  # "50 of 200 shown" while a search or filter hides some; a selection's count and sum
        self.shown.setAccessibleName("Invoices shown and selected")
        row.addWidget(self.shown)
        layout.addLayout(row)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        """Ctrl+E in the search box is the window's Export, not the line edit's "end of line" (issue 22).

        QLineEdit claims Ctrl+E (an X11 editing key) through ShortcutOverride, so the window's
        shortcut never fired while the search had focus; End still moves to the end of the line.
        """
        if (watched is self.search and event.type() == QEvent.Type.ShortcutOverride
                and event.keyCombination() == QKeyCombination(Qt.KeyboardModifier.ControlModifier, Qt.Key.Key_E)):
            event.ignore()
            return True
        if (watched is self.search and event.type() == QEvent.Type.KeyPress and self.search.text()
                and event.keyCombination() == QKeyCombination(Qt.KeyboardModifier.NoModifier, Qt.Key.Key_Escape)):
            self.search.clear()  # Escape clears a search (Qt's convention); an empty box lets it through
            return True
        return super().eventFilter(watched, event)

    # ------------------------------------------------------------------ data
    def set_rows(self, rows: list[InvoiceRow]) -> None:
        """Replace all rows, keeping the current invoice selected when it is still there."""
        keep, chosen = self.current_id(), self.selected_ids()
        self.model.set_rows(rows)
        self._show_organisations(rows)
        if not self._sized and rows:
            self.fit_columns()
        if rows:
            self.columns.fit_to_width()
        if keep is not None:
            self.select(keep)
        selection = self.view.selectionModel()
        for autotask_id in chosen:  # a multi-selection survives a refresh too
            src = self.model.source_row(autotask_id)
            index = self.proxy.mapFromSource(self.model.index(src, 0)) if src is not None else None
            if index is not None and index.isValid() and autotask_id != keep:
                selection.select(index, QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows)

    def _show_organisations(self, rows: list[InvoiceRow]) -> None:
        """The organisation column and filter: shown when the invoices go to more than one organisation."""
        names = sorted({r.organisation for r in rows if r.organisation}, key=str.casefold)
        several = len(names) > 1
        self.columns.unavailable = set() if several else {Col.ORGANISATION}
        self.view.setColumnHidden(Col.ORGANISATION, not several or Col.ORGANISATION in (self.columns.hidden or ()))
        box = self.organisation_filter
        chosen = box.currentData() or ""
        box.blockSignals(True)
        box.clear()
        box.addItem("All organisations", "")
        for name in names:
            box.addItem(name, name)
        box.setCurrentIndex(max(0, box.findData(chosen)))
        box.blockSignals(False)
        box.setVisible(several)
        if (box.currentData() or "") != chosen:
            self.proxy.set_organisation(box.currentData())

    def fit_columns(self) -> None:
        """Fit columns to the text once (skipped for huge lists and after the user's own widths)."""
        self._sized = True
        if self.model.rowCount() <= 2000:
            header, exact = self.view.horizontalHeader(), QFontMetricsF(self.view.font())
            advance = lambda text: math.ceil(exact.horizontalAdvance(text))  # noqa: E731 - as the view lays text out
            later = later_texts(max("0123456789", key=advance))
            margin = 2 * (self.view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, self.view) + 1) \
                + int(self.view.showGrid())  # as sizeHintForColumn: the text's margins and the grid line
            icon = self.view.iconSize().width()
            icon = icon if icon > 0 else self.view.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize, None,
                                                                        self.view)
            beside = {Col.STATUS: icon + margin}  # the status icon before its word
            longest = self.model.longest_texts()
            for col in list(Col)[:-1]:  # the last column stretches to fill
                width = max(header.sectionSizeHint(col), *(
                    advance(text) + margin + beside.get(col, 0)
                    for text in (*longest.get(col, ()), *later.get(col, ()))))
                header.resizeSection(col, min(width, 170) if col == Col.COMPANY else width)
        self._laid_out = True

    def header_state(self) -> QByteArray:
        """The columns' order and widths to remember, or nothing while they were never fitted to rows nor
        set by hand: a layout saved from an empty first run (the wizard cancelled) kept the columns at
        their defaults for good, "Acme Dental …" and "4,17…" (issue 22)."""
        return self.view.horizontalHeader().saveState() if self._laid_out else QByteArray()

    def _on_header_changed_by_hand(self, *_args) -> None:
        if self.view.horizontalHeader().isVisible() and QApplication.mouseButtons() != Qt.MouseButton.NoButton:
            self._laid_out = True

    def _on_columns_changed(self) -> None:
        self._laid_out = True  # the person's columns: worth remembering

    def restore_header(self, state: QByteArray) -> None:
        """The columns' order and widths as the person left them (never fitted to the text again)."""
        self.view.horizontalHeader().restoreState(state)
        self._sized = self._laid_out = True

    def update_row(self, row: InvoiceRow) -> None:
        """One invoice's row changed: update it in place; if it was current or selected, it stays so.

        A row equal to the one shown changes nothing (a batch's rows come again with its final reload)."""
        if self.model.row_for(row.autotask_id) == row:
            return
        current = self.current_id()
        src = self.model.source_row(row.autotask_id)
        before = self.proxy.mapFromSource(self.model.index(src, 0)) if src is not None else None
        # The view selects whole rows: its first cell says (isRowSelected asks the model's flags of every column)
        selected = before is not None and before.isValid() and self.view.selectionModel().isSelected(before)
        self.model.update_row(row)
        if row.organisation and self.organisation_filter.findData(row.organisation) < 0:
            self._show_organisations(self.model.rows())
        if current != row.autotask_id and not selected:
            return
        src = self.model.source_row(row.autotask_id)
        index = self.proxy.mapFromSource(self.model.index(src, 0)) if src is not None else None
        if index is None or not index.isValid():
            return
        rows_flag = QItemSelectionModel.SelectionFlag.Rows
        keep = QItemSelectionModel.SelectionFlag.Select if selected else QItemSelectionModel.SelectionFlag.NoUpdate
        if current == row.autotask_id:
            self.view.selectionModel().setCurrentIndex(index, keep | rows_flag)
        else:
            self.view.selectionModel().select(index, keep | rows_flag)

    def visible_rows(self) -> list[InvoiceRow]:
        """The rows the search and filters let show, in the table's order."""
        return self.model.shown_rows()

    def is_filtering(self) -> bool:
        return self.proxy.is_filtering()

    def current_id(self) -> int | None:
        index = self.view.currentIndex()
        return index.data(OBJECT_ROLE) if index.isValid() else None

    def current_organisation(self) -> str:
        """The Xero organisation of the invoice with the focus ('' when none)."""
        row = self.model.row_for(self.current_id()) if self.current_id() is not None else None
        return row.organisation if row is not None else ""

    def selected_ids(self) -> list[int]:
        rows = self.view.selectionModel().selectedRows()
        return [i.data(OBJECT_ROLE) for i in sorted(rows, key=lambda i: i.row())]

    def selected_rows(self) -> list[InvoiceRow]:
        """The selected invoices, in the list's order."""
        rows = [self.model.row_for(i) for i in self.selected_ids()]
        return [r for r in rows if r is not None]

    def select(self, autotask_id: int) -> bool:
        src = self.model.source_row(autotask_id)
        if src is None:
            return False
        index = self.proxy.mapFromSource(self.model.index(src, 0))
        if not index.isValid():
            return False
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        self.view.selectionModel().setCurrentIndex(index, flags)
        self.view.scrollTo(index)
        return True

    def select_number(self, number: str) -> bool:
        for row in self.model.rows():
            if row.invoice_number == number:
                return self.select(row.autotask_id)
        return False

    # ------------------------------------------------------------------ slots
    def _on_status_filter_changed(self, _index: int) -> None:
        self.proxy.set_status(self.status_filter.currentData())

    def _on_organisation_filter_changed(self, _index: int) -> None:
        self.proxy.set_organisation(self.organisation_filter.currentData())

    def _on_dates_changed(self, *_args) -> None:
        on = self.date_check.isChecked()
        self.date_from.setEnabled(on)
        self.date_to.setEnabled(on)
        if on:
            start: date = self.date_from.date().toPython()
            end: date = self.date_to.date().toPython()
            self.proxy.set_date_range(start, end)
        else:
            self.proxy.set_date_range(None, None)

    def _on_selection_current_changed(self, current, _previous) -> None:
        self._emit_current(current.data(OBJECT_ROLE) if current.isValid() else None)

    def _emit_current(self, autotask_id: int | None) -> None:
        self._shown_id = autotask_id
        self.current_changed.emit(autotask_id)

    def _on_proxy_rows_changed(self, *_args) -> None:
        """After a filter change the current row and the selection agree again (one invoice, both places).

        A filter that hides the selected invoice makes Qt move the current index to a neighbour
        without selecting it: select that one, or show nothing when no row is left.
        """
        current = self.view.currentIndex()
        selection = self.view.selectionModel()
        row_before, self._row_before = self._row_before, -1
        if not current.isValid() and row_before >= 0 and self.proxy.rowCount():
            # The filter hid the current invoice: its neighbour becomes current (as Qt does for removed rows).
            current = self.proxy.index(min(row_before, self.proxy.rowCount() - 1), 0)
            selection.setCurrentIndex(current, QItemSelectionModel.SelectionFlag.ClearAndSelect
                                      | QItemSelectionModel.SelectionFlag.Rows)
        if current.isValid() and not selection.isRowSelected(current.row(), current.parent()):
            if not selection.hasSelection():
                flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
                selection.select(current, flags)
        autotask_id = current.data(OBJECT_ROLE) if current.isValid() else None
        if autotask_id != self._shown_id:
            self._emit_current(autotask_id)
        self._update_shown()
        self.visible_changed.emit()

    def _on_proxy_rows_about_to_be_removed(self, _parent, first: int, last: int) -> None:
        """The current invoice leaves the view (synced under the Ready filter, say): the invoice that takes
        its place becomes current and selected (the one above when it was the last), never an unrelated one."""
        current = self.view.currentIndex()
        if not current.isValid() or not first <= current.row() <= last:
            return
        row = last + 1 if last + 1 < self.proxy.rowCount() else first - 1
        if row < 0:
            return
        self.view.selectionModel().setCurrentIndex(
            self.proxy.index(row, 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)

    def _on_proxy_layout_about_to_change(self, *_args) -> None:
        self._row_before = self.view.currentIndex().row()

    def _on_selection_changed(self, *_args) -> None:
        ids = self.selected_ids()
        self._update_shown(ids)
        self.selection_changed.emit(ids)

    def _update_shown(self, selected: list[int] | None = None) -> None:
        self.shown.setText(self.shown_text(self.selected_ids() if selected is None else selected))

    def shown_text(self, selected: list[int]) -> str:
        """'50 of 200 shown' while filtering; '3 selected, AUD 4,603.50' for several (one sum per currency)."""
        parts = []
        if self.proxy.is_filtering():
            parts.append(f"{self.proxy.rowCount()} of {self.model.total()} shown")
        if len(selected) > 1:
            sums: dict[str, Decimal] = {}
            for row in (self.model.row_for(i) for i in selected):
                if row is not None:
                    try:
                        amount = Decimal(row.autotask_total)
                    except (InvalidOperation, TypeError):
                        continue
                    sums[row.currency] = sums.get(row.currency, Decimal(0)) + amount
            money = " + ".join(f"{currency} {fmt_money(total)}".strip() for currency, total in sorted(sums.items()))
            parts.append(f"{len(selected)} selected, {money}")
        return " · ".join(parts)
