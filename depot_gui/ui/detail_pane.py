"""The detail pane: totals, verdict, causes with fixes, line by line, sync history, Sync/Re-sync."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QFrame, QGridLayout, QHBoxLayout, QHeaderView, QLabel, QPushButton, QScrollArea,
    QSizePolicy, QTableView, QVBoxLayout, QWidget,
)

from depot_gui.core.audit import CONFLICT, ERROR, MISMATCH, READY, SYNCED, AuditResult
from depot_gui.core.money import fmt_money
from depot_gui.store.db import InvoiceRow, Store

from .cause_view import CauseCard
from .colors import color_for, style_for
from .contact_text import row_status_text, window_wording
from .models.history_table import HistoryModel
from .models.line_table import LineComparisonModel
from .resources import icon, local_time, status_icon

_OK_ATTEMPTS = ("created", "updated", "reconciled", "exists", "linked")
SELECT_TEXT = "Select an invoice on the left to see its totals, why it differs and what to do."


def xero_holds(row: InvoiceRow, result: AuditResult | None) -> str:
    """The total Xero will hold: Xero's rounding of the lines plus any rounding line (marked *)."""
    if result is None:
        return row.xero_total
    total = result.xero_total + result.rounding_line
    return fmt_money(total) + (" *" if result.rounding_line else "")


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * 1.1)
    label.setFont(font)
    return label


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


class DetailPane(QScrollArea):
    """Everything about the selected invoice.

    Args:
        store: the local store (tiny SQLite reads on selection only).

    Signals:
        sync_requested(int): Sync pressed for this autotask id.
        resync_requested(int): Re-sync pressed for this autotask id.
        link_requested(int): Link to Xero document pressed (a conflict with an unmarked document).
        contact_requested(dict): Choose Xero contact pressed (the last result's ``contact_choice``).
        settings_requested: a cause linked to the Settings dialog.
    """

    sync_requested = Signal(int)
    resync_requested = Signal(int)
    link_requested = Signal(int)
    contact_requested = Signal(dict)
    settings_requested = Signal()

    def __init__(self, store: Store | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.autotask_id: int | None = None
        self.row: InvoiceRow | None = None
        self.result: AuditResult | None = None
        self._busy = False
        self.empty_text = SELECT_TEXT
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setAccessibleName("Invoice details")
        body = QWidget()
        self.layout_ = QVBoxLayout(body)
        self.layout_.setContentsMargins(14, 10, 14, 14)
        self.setWidget(body)
        self._build_header()
        self._build_sections()
        self.show_invoice(None)

    # ------------------------------------------------------------------ build
    def _build_header(self) -> None:
        top = QHBoxLayout()
        self.title = QLabel()
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.title.setFont(font)
        self.status_chip = QLabel()
        self.status_icon = QLabel()
        top.addWidget(self.title, 1)
        top.addWidget(self.status_icon)
        top.addWidget(self.status_chip)
        self.layout_.addLayout(top)
        grid = QGridLayout()
        self.figures: dict[str, QLabel] = {}
        for col, (key, caption) in enumerate(
            (("autotask", "Autotask total"), ("xero", "Xero total"), ("difference", "Difference"), ("tolerance", "Maximum rounding difference"))
        ):
            cap = QLabel(caption)
            cap.setForegroundRole(cap.foregroundRole())
            cap.setEnabled(False)  # the palette's disabled text colour reads as a caption in light and dark mode
            value = QLabel()
            vfont = value.font()
            vfont.setPointSizeF(vfont.pointSizeF() * 1.25)
            value.setFont(vfont)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setAccessibleName(caption)
            grid.addWidget(cap, 0, col)
            grid.addWidget(value, 1, col)
            self.figures[key] = value
        self.layout_.addLayout(grid)
        self.verdict = QLabel()
        self.verdict.setWordWrap(True)
        vf = self.verdict.font()
        vf.setBold(True)
        self.verdict.setFont(vf)
        self.verdict.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.layout_.addWidget(self.verdict)
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        self.layout_.addWidget(self.notes)
        self.payment = QLabel()  # payments back (issue 14): Xero's payment state at the last check
        self.payment.setWordWrap(True)
        self.payment.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.layout_.addWidget(self.payment)
        buttons = QHBoxLayout()
        self.sync_button = QPushButton(icon("sync"), "&Sync to Xero")
        self.sync_button.setToolTip("Send this invoice to Xero (it is checked once more first).")
        self.resync_button = QPushButton(icon("resync"), "&Re-sync")
        self.resync_button.setToolTip(
            "Download the invoice from Autotask again, check it, and send it to Xero if the totals now agree."
        )
        self.link_button = QPushButton("&Link to Xero document…")
        self.link_button.setToolTip(
            "Review the Xero document that holds this number and, if it is this invoice, make it this invoice's."
        )
        self.link_button.clicked.connect(self._on_link_clicked)
        self.contact_button = QPushButton("C&hoose Xero contact…")
        self.contact_button.setToolTip(
            "Link this company to an existing Xero contact, or create a new one, once: its invoices go there."
        )
        self.contact_button.clicked.connect(self._on_contact_clicked)
        self.sync_button.clicked.connect(self._on_sync_clicked)
        self.resync_button.clicked.connect(self._on_resync_clicked)
        self.button_hint = QLabel()
        self.button_hint.setWordWrap(True)
        self.button_hint.setEnabled(False)
        buttons.addWidget(self.sync_button)
        buttons.addWidget(self.resync_button)
        buttons.addWidget(self.link_button)
        buttons.addWidget(self.contact_button)
        buttons.addWidget(self.button_hint, 1)
        self.layout_.addLayout(buttons)

    def _build_sections(self) -> None:
        self.causes_heading = _heading("Why the totals differ")
        self.layout_.addWidget(self.causes_heading)
        self.causes_box = QVBoxLayout()
        self.layout_.addLayout(self.causes_box)
        self.cards: list[CauseCard] = []
        self.lines_heading = _heading("Line by line: Autotask billing items and the Xero lines we would send")
        self.lines_heading.setWordWrap(True)
        self.layout_.addWidget(self.lines_heading)
        self.line_model = LineComparisonModel(self)
        self.lines_view = _table(self.line_model, 0)
        self.lines_view.setAccessibleName("Line by line")
        self.layout_.addWidget(self.lines_view)
        self.history_heading = _heading("History")
        self.layout_.addWidget(self.history_heading)
        self.history_model = HistoryModel(self)
        self.history_view = _table(self.history_model, 3)
        self.history_view.setAccessibleName("History")
        self.layout_.addWidget(self.history_view)
        self.layout_.addStretch(1)
        for view in (self.lines_view, self.history_view):
            view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    # ------------------------------------------------------------------ show
    def show_invoice(self, autotask_id: int | None) -> None:
        """Show one invoice from the store (None: the empty state)."""
        self.autotask_id = autotask_id
        self.row = self.store.invoice(autotask_id) if (self.store and autotask_id is not None) else None
        self.result = self.store.last_result(autotask_id) if self.row else None
        audits = self.store.audit_history(autotask_id) if self.row else []
        attempts = self.store.attempts(autotask_id) if self.row else []
        self.payment_row = self.store.payment(autotask_id) if self.row else None
        self._needs_check = bool(attempts) and attempts[-1].state not in _OK_ATTEMPTS or not attempts
        self._fill(audits, attempts)

    def refresh(self) -> None:
        self.show_invoice(self.autotask_id)

    def set_empty_text(self, text: str) -> None:
        """What the pane says when no invoice is shown (nothing selected, or the search matches none)."""
        self.empty_text = text
        if self.row is None:
            self.verdict.setText(text)

    def _fill(self, audits, attempts) -> None:
        row, result = self.row, self.result
        visible = row is not None
        for w in (self.causes_heading, self.lines_heading, self.lines_view, self.history_heading, self.history_view,
                  self.sync_button, self.resync_button, self.link_button, self.contact_button, self.status_chip,
                  self.status_icon):
            w.setVisible(visible)
        for card in self.cards:
            card.setParent(None)
            card.deleteLater()
        self.cards = []
        if row is None:
            self.title.setText("No invoice selected")
            for label in self.figures.values():
                label.setText("")
            self.verdict.setText(self.empty_text)
            self.notes.setText("")
            self.button_hint.setText("")
            self.line_model.set_result(None)
            self.history_model.set_history([], [])
            self._fill_payment()
            return
        self.title.setText(f"{row.invoice_number} · {row.company}" if row.company else row.invoice_number)
        self.status_icon.setPixmap(status_icon(row.status).pixmap(18, 18))
        self.status_chip.setText(row_status_text(row))
        self.figures["autotask"].setText(fmt_money(result.autotask_total) if result else row.autotask_total)
        self.figures["xero"].setText(xero_holds(row, result))
        diff = result.difference if result else None
        self.figures["difference"].setText(fmt_money(diff) if diff is not None else row.difference)
        self.figures["tolerance"].setText(fmt_money(result.tolerance) if result else "")
        colour = color_for("warning", self.figures["difference"]).name() if row.status == MISMATCH else ""
        self.figures["difference"].setStyleSheet(f"color: {colour}; font-weight: bold;" if colour else "")
        explanation = row.explanation if row.status != MISMATCH or not result else result.explanation
        first, _, rest = window_wording(explanation or "").partition("\n")
        self.verdict.setText(first)
        extra = []
        if row.status == CONFLICT and rest:
            extra.append(rest)  # the ways out
        extra += [ln for ln in rest.splitlines() if ln.startswith("Not checked:")] if row.status == MISMATCH else []
        if result:
            if result.rounding_line:
                extra.append(
                    f"* The Xero total includes a rounding line of {fmt_money(result.rounding_line)} "
                    f"(Xero's rounding of the lines alone gives {fmt_money(result.xero_total)})."
                )
            extra += list(result.notes) + [f"⚠ {w}" for w in result.warnings]
        self.notes.setText("\n".join(extra))
        self.notes.setVisible(bool(extra))
        self._fill_payment()
        causes = result.causes if (result and row.status == MISMATCH) else ()
        for rank, cause in enumerate(causes):
            card = CauseCard(cause, rank)
            card.settings_requested.connect(self.settings_requested)
            self.causes_box.addWidget(card)
            self.cards.append(card)
        self._order_tabs()
        self.causes_heading.setVisible(bool(causes))
        self.line_model.set_result(result)
        self.lines_heading.setText(
            "Line by line: Autotask billing items and the Xero lines " + ("sent" if row.status == SYNCED else "we would send")
        )
        self.history_model.set_history(audits, attempts)
        self.history_heading.setText(f"History ({len(audits) + len(attempts)})")
        _fit_table(self.lines_view)
        _fit_table(self.history_view)
        self._update_buttons()

    def _fill_payment(self) -> None:
        pay = getattr(self, "payment_row", None)
        self.payment.setVisible(pay is not None)
        if pay is None:
            self.payment.setText("")
            return
        self.payment.setText(f"Payment: {pay.message} (Checked {local_time(pay.checked_at)}.)")  # says the state
        overdue = pay.state == "overdue"
        self.payment.setStyleSheet(style_for("error", self.payment) if overdue else "")

    def _order_tabs(self) -> None:
        """Tab follows reading order: buttons, then the cause cards (added later), then the tables."""
        chain = [self.sync_button, self.resync_button, self.link_button, self.contact_button, *(c.label for c in self.cards), self.lines_view,
                 self.history_view]
        for first, second in zip(chain, chain[1:]):
            QWidget.setTabOrder(first, second)

    # ------------------------------------------------------------------ buttons
    def can_sync(self) -> bool:
        return self.row is not None and self.row.status == READY and not self._busy

    def can_resync(self) -> bool:
        if self.row is None or self._busy:
            return False
        # On a synced invoice Re-sync compares Autotask with Xero again (and updates a changed draft).
        return self.row.status in (READY, MISMATCH, CONFLICT, ERROR, SYNCED)

    def linkable(self) -> bool:
        """A conflict with a Xero document no other Autotask invoice carries the mark of."""
        if self.row is None or self.row.status != CONFLICT or self.result is None:
            return False
        document = (self.result.extra.get("conflict") or {}).get("document")
        return bool(document) and not document.get("marked_for")

    def can_link(self) -> bool:
        return self.linkable() and not self._busy

    def contact_choice(self) -> dict | None:
        """The last audit held this invoice back until its company's Xero contact is chosen (or re-chosen)."""
        if self.row is None or self.row.status != ERROR or self.result is None:
            return None
        choice = self.result.extra.get("contact_choice")
        return choice if isinstance(choice, dict) and choice.get("company_id") is not None else None

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.sync_button.setEnabled(self.can_sync())
        self.resync_button.setEnabled(self.can_resync())
        self.link_button.setVisible(self.linkable())
        self.link_button.setEnabled(self.can_link())
        self.contact_button.setVisible(self.contact_choice() is not None)
        self.contact_button.setEnabled(self.contact_choice() is not None and not self._busy)
        status = self.row.status if self.row else ""
        hint = {
            READY: "The totals agree: Sync sends it to Xero.",
            MISMATCH: "Fix the cause described below, then press Re-sync.",
            ERROR: "Choose the contact once for this company: its invoices go there from now on."
            if self.contact_choice() is not None else "Fix the problem above, then press Re-sync.",
            CONFLICT: "Nothing is sent while another document holds this number. Resolve it as said above, "
            "then press Re-sync.",
            SYNCED: "Already in Xero. Re-sync checks Autotask again and updates a Xero draft that changed."
            if not self._needs_check else "In Xero, but the last attempt did not finish cleanly: press Re-sync.",
        }.get(status, "")
        self.button_hint.setText("Working…" if self._busy else hint)

    def _on_sync_clicked(self) -> None:
        if self.autotask_id is not None and self.can_sync():
            self.sync_requested.emit(self.autotask_id)

    def _on_link_clicked(self) -> None:
        if self.autotask_id is not None and self.can_link():
            self.link_requested.emit(self.autotask_id)

    def _on_contact_clicked(self) -> None:
        choice = self.contact_choice()
        if choice is not None and not self._busy:
            self.contact_requested.emit(choice)

    def _on_resync_clicked(self) -> None:
        if self.autotask_id is not None and self.can_resync():
            self.resync_requested.emit(self.autotask_id)

    def text(self) -> str:
        """Everything the pane says, as plain text (tests, copy to clipboard)."""
        parts = [self.title.text(), self.status_chip.text(), *(f"{k}: {v.text()}" for k, v in self.figures.items()),
                 self.verdict.text(), self.notes.text(), self.payment.text(), *(c.text() for c in self.cards)]
        return "\n".join(p for p in parts if p)


__all__ = ["DetailPane"]
