"""The detail pane's "Sent from Xero" block: sent or not (and why not), Autotask's PDF attached or not,
the online invoice link with Copy, and Send from Xero… for an approved invoice (issue 24 items 2, 3 and 5).

``FinishingView`` adds its widgets to the pane's layout and fills them from the invoice row and its
finishing record (how and when it was sent, the last sentence the send left, Xero's online invoice
address). Send from Xero… is enabled only for a synced invoice approved in Xero and not yet sent.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout

from depot_gui.core.audit import SYNCED
from depot_gui.core.settings import SEND_CHOICES, SPECS
from depot_gui.store.db import InvoiceRow

from depot_gui.ui.resources import local_time

FINISHING_TAB = "Finishing the month"  # the Settings tab with the send_from_xero setting
SEND_SETTING = f"Settings › {FINISHING_TAB} › {SPECS['send_from_xero'].label}"
SEND_TIP = (f"Email this invoice from Xero to its contact, or mark it as sent, as {SEND_SETTING} says; asks first, "
            "naming who it goes to.")
MARK_INSTEAD = "as sent instead"  # how a reason not to email (core.sending, xero.finishing) suggests marking it sent
WHERE_TO_MARK = (f"To mark an invoice as sent instead, without an email: {SEND_SETTING}: "
                 f"{dict((v, t) for t, v in SEND_CHOICES)['mark_sent']}, then Send from Xero… again.")


def where_to_mark(text: str) -> str:
    """``text``, followed by where the window marks invoices as sent when it suggests doing so."""
    return f"{text} {WHERE_TO_MARK}" if MARK_INSTEAD in text else text


def is_credit_note(row: InvoiceRow) -> bool:
    """A negative Autotask total: it goes to Xero as a credit note, which is never sent from Xero here."""
    try:
        return Decimal(row.autotask_total) < 0
    except (InvalidOperation, TypeError):
        return False


def can_send(row: InvoiceRow | None) -> bool:
    """In Xero (synced by this app), approved there when last seen, not a credit note, not sent yet."""
    if row is None or row.status != SYNCED or row.voided or not row.xero_invoice_id or row.sent_how:
        return False
    return (row.xero_status or "").upper() == "AUTHORISED" and not is_credit_note(row)


def attachment_sentence(finishing) -> str:
    """Autotask's PDF on the Xero invoice: attached (its file name), or why not; '' when nothing was recorded."""
    if finishing is None:
        return ""
    if finishing.attached:
        return f"Autotask's PDF is attached in Xero ({finishing.attachment_name or 'the invoice PDF'})."
    return finishing.attachment_message or ""


def sent_sentence(row: InvoiceRow, sent_at: str | None, message: str) -> str:
    """What the block says about sending: how and when, or not yet (and why not when a send said so)."""
    if row.sent_how == "email":
        text = "Sent: emailed by Xero to its contact" + (f" ({local_time(sent_at)})" if sent_at else "") + "."
    elif row.sent_how == "mark_sent":
        text = "Sent: marked as sent in Xero" + (f" ({local_time(sent_at)})" if sent_at else "") + "."
    elif row.status != SYNCED:
        return ""
    elif is_credit_note(row):  # as depot-sync send says of one: only invoices are sent from Xero
        text = "Not sent: a credit note; only invoices are sent from Xero."
    elif (row.xero_status or "").upper() != "AUTHORISED":
        text = "Not sent: only invoices approved in Xero are sent from Xero."
    else:
        text = "Not sent from Xero yet."
    return where_to_mark(f"{text} {message}".strip() if message else text)


class FinishingView:
    """The block's widgets, added to ``layout``: ``sent`` (a sentence), ``link`` (the online invoice
    address), ``copy_button`` and ``send_button``."""

    def __init__(self, layout: QVBoxLayout) -> None:
        top = QHBoxLayout()
        self.sent = QLabel()
        self.sent.setWordWrap(True)
        self.sent.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.sent.setAccessibleName("Sent from Xero")
        self.send_button = QPushButton("Se&nd from Xero…")
        self.send_button.setToolTip(SEND_TIP)
        top.addWidget(self.sent, 1)
        top.addWidget(self.send_button)
        layout.addLayout(top)
        self.attachment = QLabel()  # Autotask's PDF attached to the Xero invoice (attach_autotask_pdf)
        self.attachment.setWordWrap(True)
        self.attachment.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.attachment.setAccessibleName("Autotask PDF in Xero")
        layout.addWidget(self.attachment)
        row = QHBoxLayout()
        self.link_caption = QLabel("Online invoice:")
        self.link = QLineEdit()  # read-only and selectable; a long address scrolls instead of widening the pane
        self.link.setReadOnly(True)
        self.link.setAccessibleName("Online invoice link")
        self.copy_button = QPushButton("C&opy link")
        self.copy_button.setToolTip("Copy the Xero online invoice address, to paste into a message to the customer.")
        self.copy_button.clicked.connect(self.copy_link)
        row.addWidget(self.link_caption)
        row.addWidget(self.link, 1)
        row.addWidget(self.copy_button)
        layout.addLayout(row)
        self.url = ""

    def widgets(self) -> tuple:
        return self.sent, self.attachment, self.link_caption, self.link, self.copy_button, self.send_button

    def fill(self, row: InvoiceRow | None, finishing, busy: bool) -> None:
        """Show ``row``'s sending and online link (``finishing``: its finishing record, or None)."""
        self.url = (row.online_url or "") if row else ""
        text = sent_sentence(row, finishing.sent_at if finishing else None,
                             finishing.sent_message if finishing else "") if row else ""
        self.sent.setText(text)
        self.sent.setVisible(bool(text))
        attached = attachment_sentence(finishing) if row else ""
        self.attachment.setText(attached)
        self.attachment.setVisible(bool(attached))
        self.link.setText(self.url)
        self.link.setCursorPosition(0)
        for w in (self.link_caption, self.link, self.copy_button):
            w.setVisible(bool(self.url))
        in_xero = row is not None and row.status == SYNCED
        self.send_button.setVisible(in_xero and not is_credit_note(row))  # never for a credit note: not disabled
        self.set_busy(row, busy)

    def set_busy(self, row: InvoiceRow | None, busy: bool) -> None:
        self.send_button.setEnabled(can_send(row) and not busy)

    def copy_link(self) -> None:
        if self.url:
            QGuiApplication.clipboard().setText(self.url)


__all__ = ["FinishingView", "SEND_TIP", "attachment_sentence", "can_send", "is_credit_note", "sent_sentence"]
