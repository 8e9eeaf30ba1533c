"""The detail pane: totals, verdict, causes with fixes, line by line, sync history, Sync/Re-sync."""

from __future__ import annotations

import logging

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from depot_gui.core.audit import CONFLICT, ERROR, MISMATCH, READY, SYNCED, AuditResult
from depot_gui.store.attempts import SEND_ACTIONS
from depot_gui.store.db import InvoiceRow, Store, StoreError

from depot_gui.ui.detail.cause_view import CauseCard
from depot_gui.ui.detail.finishing_view import FinishingView
from depot_gui.ui.detail.header import InvoiceHeader
from depot_gui.ui.detail.tables import DetailSections
from depot_gui.ui.resources import icon

_OK_ATTEMPTS = ("created", "updated", "reconciled", "exists", "linked")
SELECT_TEXT = "Select an invoice on the left to see its totals, why it differs and what to do."
UNREADABLE = ("This invoice's record in the local database cannot be read: use File › Repair local database "
              "(it keeps the damaged file aside and rebuilds the invoice states).")
UNREADABLE_TITLE = "This invoice cannot be shown"
log = logging.getLogger(__name__)


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
        send_requested(int): Send from Xero… pressed for this autotask id (an approved invoice, not sent).
        link_copied(str): the online invoice address was copied to the clipboard.
    """

    sync_requested = Signal(int)
    resync_requested = Signal(int)
    link_requested = Signal(int)
    contact_requested = Signal(dict)
    settings_requested = Signal()
    send_requested = Signal(int)
    link_copied = Signal(str)

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
        self._build_buttons()
        self.finishing = FinishingView(self.layout_)  # sent from Xero, the online invoice link, Send from Xero…
        self.finishing.send_button.clicked.connect(self._on_send_clicked)
        self.finishing.copy_button.clicked.connect(lambda: self.link_copied.emit(self.finishing.url))
        self.finishing_row = None
        self._build_sections()
        self.show_invoice(None)

    # ------------------------------------------------------------------ build
    def _build_header(self) -> None:
        self.header = InvoiceHeader(self.layout_)  # title, status chip, totals, verdict, notes, payment
        h = self.header
        self.title, self.status_icon, self.status_chip, self.figures = h.title, h.status_icon, h.status_chip, h.figures
        self.verdict, self.notes, self.payment, self.where = h.verdict, h.notes, h.payment, h.where

    def _build_buttons(self) -> None:
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
        self.sections = DetailSections(self, self.layout_)  # causes, line by line, history
        t = self.sections
        self.causes_heading, self.causes_box, self.lines_heading = t.causes_heading, t.causes_box, t.lines_heading
        self.line_model, self.lines_view = t.line_model, t.lines_view
        self.history_heading, self.history_model, self.history_view = t.history_heading, t.history_model, t.history_view

    @property
    def cards(self) -> list[CauseCard]:
        """The cause cards now shown (most likely cause first)."""
        return self.sections.cards

    # ------------------------------------------------------------------ show
    def show_invoice(self, autotask_id: int | None) -> None:
        """Show one invoice from the store (None: the empty state; an unreadable record: says so)."""
        self.autotask_id = autotask_id
        try:
            self.row = self.store.invoice(autotask_id) if (self.store and autotask_id is not None) else None
            self.result = self.store.last_result(autotask_id) if self.row else None
            audits = self.store.audit_history(autotask_id) if self.row else []
            attempts = self.store.attempts.all(autotask_id) if self.row else []
            self.payment_row = self.store.payments.get(autotask_id) if self.row else None
            self.finishing_row = self.store.finishing.get(autotask_id) if self.row else None
        except StoreError as exc:  # a damaged database: the pane says what to do, the detail goes to the log
            log.error("The detail pane could not read invoice %s: %s", autotask_id, exc)
            self.row = self.result = self.payment_row = self.finishing_row = None
            self._needs_check = False
            self._fill([], [], empty_text=UNREADABLE)
            self.header.title.setText(UNREADABLE_TITLE)  # one is selected: not "No invoice selected"
            return
        writes = [a for a in attempts if a.action not in SEND_ACTIONS]  # sending from Xero is not a write of ours
        self._needs_check = bool(writes) and writes[-1].state not in _OK_ATTEMPTS or not writes
        self._fill(audits, attempts)

    def refresh(self) -> None:
        self.show_invoice(self.autotask_id)

    def refresh_for(self, rows: list) -> None:
        """Rows changed: read the shown invoice again only when it is one of them and differs from the row
        shown (5 store reads, the pane's fill and its repaint saved; a batch's rows come again with the
        final reload, and the pane, read later than the worker recorded, often shows them already)."""
        if self.autotask_id is None:
            return
        mine = next((r for r in rows if r.autotask_id == self.autotask_id), None)
        if mine is not None and mine != self.row:
            self.refresh()

    def set_empty_text(self, text: str) -> None:
        """What the pane says when no invoice is shown (nothing selected, or the search matches none)."""
        self.empty_text = text
        if self.row is None:
            self.verdict.setText(text)

    def _fill(self, audits, attempts, empty_text: str | None = None) -> None:
        """``empty_text``: what the pane says when no invoice is shown (default: ``self.empty_text``)."""
        row, result = self.row, self.result
        visible = row is not None
        for w in (*self.sections.widgets(), self.sync_button, self.resync_button, self.link_button,
                  self.contact_button, self.status_chip, self.status_icon):
            w.setVisible(visible)
        self.sections.drop_cards()
        self.finishing.fill(row, self.finishing_row, self._busy)
        if row is None:
            self.header.clear(self.empty_text if empty_text is None else empty_text)
            self.button_hint.setText("")
            self.sections.clear()
            self.header.fill_payment(self.payment_row)
            return
        self.header.fill(row, result)
        self.header.fill_payment(self.payment_row)
        self.sections.fill_causes(row, result, self.settings_requested)
        self._order_tabs()
        self.sections.fill_tables(row, result, audits, attempts)
        self._update_buttons()

    def _order_tabs(self) -> None:
        """Tab follows reading order: buttons, then the cause cards (added later), then the tables."""
        chain = [self.sync_button, self.resync_button, self.link_button, self.contact_button,
                 self.finishing.copy_button, self.finishing.send_button, *(c.label for c in self.cards),
                 self.lines_view, self.history_view]
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
        ready = self.row is not None and self.row.status == READY
        # On a ready invoice it sends: the button says so, not "Re-sync" (read as "check again") (issue 22).
        self.resync_button.setText("Check again and sen&d" if ready else "&Re-sync")
        self.resync_button.setToolTip(
            "Download the invoice from Autotask again, check it, and send it to Xero now if the totals still agree."
            if ready else
            "Download the invoice from Autotask again, check it, and send it to Xero if the totals now agree.")
        self.link_button.setVisible(self.linkable())
        self.link_button.setEnabled(self.can_link())
        self.contact_button.setVisible(self.contact_choice() is not None)
        self.contact_button.setEnabled(self.contact_choice() is not None and not self._busy)
        self.finishing.set_busy(self.row, self._busy)
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

    def _on_send_clicked(self) -> None:
        if self.autotask_id is not None and self.finishing.send_button.isEnabled():
            self.send_requested.emit(self.autotask_id)

    def _on_resync_clicked(self) -> None:
        if self.autotask_id is not None and self.can_resync():
            self.resync_requested.emit(self.autotask_id)

    def text(self) -> str:
        """Everything the pane says, as plain text (tests, copy to clipboard)."""
        parts = [self.title.text(), self.status_chip.text(), *(f"{k}: {v.text()}" for k, v in self.figures.items()),
                 self.verdict.text(), self.notes.text(), self.where.text(), self.payment.text(),
                 self.finishing.sent.text(), self.finishing.attachment.text(),
                 *([f"Online invoice: {self.finishing.url}"] if self.finishing.url else []),
                 *(c.text() for c in self.cards)]
        return "\n".join(p for p in parts if p)


__all__ = ["DetailPane"]
