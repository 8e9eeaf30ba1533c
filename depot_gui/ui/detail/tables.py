"""The detail pane's lower sections: the cause cards, the line-by-line table and the history table.

``DetailSections`` builds them into the pane's layout below the buttons and fills them from an
invoice's last audit (causes and Xero lines) and its history (audits and sync attempts). The
tables are sized to their rows, so the pane scrolls as one page rather than boxes within boxes.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QSizePolicy, QTableView, QVBoxLayout, QWidget

from depot_gui.core.audit import MISMATCH, SYNCED, AuditResult
from depot_gui.store.db import InvoiceRow

from depot_gui.ui.detail.cause_view import CauseCard
from depot_gui.ui.detail.header import scaled
from depot_gui.ui.models.history_table import HistoryModel
from depot_gui.ui.models.line_table import LineComparisonModel, is_credit


def _heading(text: str) -> QLabel:
    return scaled(QLabel(text), 1.1, bold=True)


def _fit_table(view: QTableView) -> None:
    """Size a table to its rows so the pane scrolls as one page, not a box within a box."""
    view.resizeRowsToContents()
    header = view.horizontalHeader()
    height = header.sizeHint().height() + 2 * view.frameWidth() + view.verticalHeader().length()
    view.setFixedHeight(height + 2)


def _table(model, stretch: int) -> QTableView:
    """A read-only table whose `stretch` column takes the spare width; the others fit their text."""
    view = QTableView()
    view.setModel(model)
    view.setTabKeyNavigation(False)  # one Tab stop; arrows move within
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.setWordWrap(True)
    view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    header = view.horizontalHeader()
    header.setStretchLastSection(False)
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    header.setMinimumSectionSize(40)
    return view


class DetailSections:
    """Causes, line by line and history, added to ``layout``; the models belong to ``owner`` (the pane).

    Attributes (the pane exposes them under the same names): causes_heading, causes_box, cards,
    lines_heading, line_model, lines_view, history_heading, history_model, history_view.
    """

    def __init__(self, owner: QWidget, layout: QVBoxLayout) -> None:
        self.causes_heading = _heading("Why the totals differ")
        layout.addWidget(self.causes_heading)
        self.causes_box = QVBoxLayout()
        layout.addLayout(self.causes_box)
        self.cards: list[CauseCard] = []
        self.lines_heading = _heading("Line by line: Autotask billing items and the Xero lines we would send")
        self.lines_heading.setWordWrap(True)
        layout.addWidget(self.lines_heading)
        self.line_model = LineComparisonModel(owner)
        self.lines_view = _table(self.line_model, 0)
        self.lines_view.setAccessibleName("Line by line")
        layout.addWidget(self.lines_view)
        self.history_heading = _heading("History")
        layout.addWidget(self.history_heading)
        self.history_model = HistoryModel(owner)
        self.history_view = _table(self.history_model, 3)
        self.history_view.setAccessibleName("History")
        layout.addWidget(self.history_view)
        layout.addStretch(1)
        for view in (self.lines_view, self.history_view):
            view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def widgets(self) -> tuple[QWidget, ...]:
        """What is shown only while an invoice is (the cause cards come and go on their own)."""
        return self.causes_heading, self.lines_heading, self.lines_view, self.history_heading, self.history_view

    def drop_cards(self) -> None:
        for card in self.cards:
            card.setParent(None)
            card.deleteLater()
        self.cards = []

    def clear(self) -> None:
        """No invoice shown: empty tables."""
        self.line_model.set_result(None)
        self.history_model.set_history([], [])

    def fill_causes(self, row: InvoiceRow, result: AuditResult | None, settings_requested) -> None:
        """One card per cause of a mismatch, most likely first; a card's Settings link emits ``settings_requested``."""
        causes = result.causes if (result and row.status == MISMATCH) else ()
        for rank, cause in enumerate(causes):
            card = CauseCard(cause, rank, currency=result.currency)
            card.settings_requested.connect(settings_requested)
            self.causes_box.addWidget(card)
            self.cards.append(card)

    def fill_tables(self, row: InvoiceRow, result: AuditResult | None, audits, attempts) -> None:
        """The causes heading (when there are causes), the lines of ``result`` and the invoice's history."""
        self.causes_heading.setVisible(bool(self.cards))
        self.line_model.set_result(result)
        sent = "sent" if row.status == SYNCED else "we would send"
        currency = f"amounts in {result.currency}" if result and result.currency else ""
        if is_credit(result):
            self.lines_heading.setText(
                f"Line by line: Autotask billing items and the lines of the Xero credit note {sent} ("
                + (f"{currency}; " if currency else "") + "a credit note's lines are positive in Xero)")
        else:
            self.lines_heading.setText(f"Line by line: Autotask billing items and the Xero lines {sent}"
                                       + (f" ({currency})" if currency else ""))
        self.history_model.set_history(audits, attempts, row.currency)
        self.history_heading.setText(f"History ({self.history_model.rowCount()})")
        _fit_table(self.lines_view)
        _fit_table(self.history_view)


__all__ = ["DetailSections"]
