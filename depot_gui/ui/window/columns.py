"""Which of the invoice table's columns show: a menu on the header (and View › Columns) to show or hide each.

Until the person chooses, the columns a desk can do without (Synced, Sent, Payment, in that order) start
hidden when the list is too narrow to show them beside the others; then the company names are shortened
(to no less than COMPANY_MIN) and, if that is not enough, the Date goes too. At 1366x768 the list is
670 to 730 px wide and the columns from the currency on were off-screen to the right, behind a scroll
bar (issue 22). The person's choice is
remembered with the window (state.py) and wins from then on; "Fit columns to the list" forgets it.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QTableView

from depot_gui.ui.models.invoice_cells import HEADERS, Col

OPTIONAL = (Col.SYNCED_AT, Col.SENT, Col.PAYMENT)  # hidden first when the list is narrow, in this order
LAST = Col.DATE  # hidden only when shortening the company names to COMPANY_MIN is not enough
COMPANY_MIN = 120  # px: "Harbour Logistics…"
KEPT = frozenset({Col.NUMBER})  # never hidden: it names the invoice


class ColumnChooser(QObject):
    """Shows and hides the invoice table's columns.

    Args:
        view: the invoice table.

    Signals:
        changed: the person showed or hid a column (or asked for the fitted ones again).
    """

    changed = Signal()

    def __init__(self, view: QTableView, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.view = view
        self.hidden: set[Col] | None = None  # the person's choice; None: never chosen (fitted to the width)
        self.unavailable: set[Col] = {Col.ORGANISATION}  # shown only with invoices in several organisations
        self._fitted = False  # the width's choice made once, on the first rows shown
        self.menu = QMenu("&Columns", view)
        self.menu.aboutToShow.connect(self.fill)
        header = view.horizontalHeader()
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._on_header_menu_requested)
        self._company_fitted = 0  # the company column's width before the width shortened it (0: not shortened)
        self._refit = QTimer(self)  # the list's width changed: fit the columns never chosen again, once settled
        self._refit.setSingleShot(True)
        self._refit.setInterval(50)
        self._refit.timeout.connect(self.refit)
        view.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        """A wider (or narrower) list, as when the window is maximised after it opened at its first size: the
        columns never chosen follow it (issue 22: at 1920x1080 Synced, Payment and Sent stayed hidden and the
        Currency column stretched to ~330 px)."""
        if (event.type() == QEvent.Type.Resize and self._fitted and self.hidden is None
                and event.size().width() != event.oldSize().width()):
            self._refit.start()
        return False

    # ------------------------------------------------------------------ the menu
    def fill(self) -> None:
        """The menu's entries: one check box per column (in the table's order), then the fitted choice."""
        self.menu.clear()
        header = self.view.horizontalHeader()
        for col in sorted(Col, key=header.visualIndex):
            if col in self.unavailable:
                continue
            action = QAction(HEADERS[col].replace("\n", " "), self.menu)
            action.setCheckable(True)
            action.setChecked(not self.view.isColumnHidden(col))
            action.setEnabled(col not in KEPT)
            action.setData(int(col))
            action.toggled.connect(lambda on, c=col: self.show_column(c, on))
            self.menu.addAction(action)
        self.menu.addSeparator()
        fit = self.menu.addAction("&Fit columns to the list")
        fit.setStatusTip("Show the columns the list has room for, as on the first start")
        fit.triggered.connect(self._on_fit_triggered)

    def _on_header_menu_requested(self, pos: QPoint) -> None:
        self.menu.popup(self.view.horizontalHeader().mapToGlobal(pos))

    def _on_fit_triggered(self) -> None:
        self.hidden, self._fitted = None, False
        for col in (*OPTIONAL, LAST):
            self.view.setColumnHidden(col, False)
        self.fit_to_width()
        self.changed.emit()

    def refit(self) -> None:
        """The columns never chosen fitted again to the list's width now (the person's choice stays)."""
        if self.hidden is not None or not self._fitted:
            return
        for col in (*OPTIONAL, LAST):
            self.view.setColumnHidden(col, False)
        if self._company_fitted:
            self.view.horizontalHeader().resizeSection(Col.COMPANY, self._company_fitted)
            self._company_fitted = 0
        self._fitted = False
        self.fit_to_width()

    # ------------------------------------------------------------------ choices
    def show_column(self, col: Col, on: bool) -> None:
        """The person shows (or hides) ``col``; from now on the columns are theirs."""
        if col in KEPT:
            return
        self.view.setColumnHidden(col, not on)
        self.hidden = {c for c in Col if self.view.isColumnHidden(c) and c not in self.unavailable}
        self.changed.emit()

    def fit_to_width(self) -> None:
        """Never chosen: hide the optional columns the list has no room for (least needed first), once."""
        if self.hidden is not None or self._fitted or not self.view.isVisible():
            return
        self._fitted = True
        header, room = self.view.horizontalHeader(), self.view.viewport().width()

        def needed() -> int:
            return sum(max(header.sectionSize(c), header.sectionSizeHint(c)) if c == Col.SENT else header.sectionSize(c)
                       for c in Col if not self.view.isColumnHidden(c))

        for col in OPTIONAL:
            if needed() <= room:
                return
            self.view.setColumnHidden(col, True)
        company = header.sectionSize(Col.COMPANY)
        if company - (needed() - room) < COMPANY_MIN:
            self.view.setColumnHidden(LAST, True)
        if needed() > room:
            self._company_fitted = company
            header.resizeSection(Col.COMPANY, max(COMPANY_MIN, company - (needed() - room)))

    def state(self) -> str | None:
        """The choice to remember: the hidden columns' names, comma-separated; None when never chosen."""
        return None if self.hidden is None else ",".join(c.name for c in sorted(self.hidden))

    def restore(self, saved: object) -> None:
        """Apply a remembered choice (from ``state``); anything else leaves the columns to the width, at each
        start (those the last start's width hid, as the header's state remembers them, show again first)."""
        if not isinstance(saved, str):
            for col in (*OPTIONAL, LAST):
                self.view.setColumnHidden(col, False)
            return
        names = {n for n in saved.split(",") if n}
        self.hidden = {c for c in Col if c.name in names and c not in KEPT}
        for col in Col:
            if col not in self.unavailable:
                self.view.setColumnHidden(col, col in self.hidden)


__all__ = ["COMPANY_MIN", "KEPT", "LAST", "OPTIONAL", "ColumnChooser"]
