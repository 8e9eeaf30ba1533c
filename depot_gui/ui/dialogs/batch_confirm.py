"""Sync all ready: the question asked first, naming what will be sent and what the filter hides."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from PySide6.QtWidgets import QMessageBox, QWidget

from depot_gui.core.money import fmt_document, fmt_money, is_credit_total

from depot_gui.store.db import InvoiceRow

LISTED = 12  # rows named one per line; the rest are counted


def _plural(n: int, word: str = "invoice") -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _amount(text: str) -> Decimal:
    try:
        return Decimal(text)
    except (InvalidOperation, TypeError):
        return Decimal(0)


def is_credit(row: InvoiceRow) -> bool:
    """A negative Autotask total: Xero receives it as a credit note, not as an invoice."""
    return is_credit_total(_amount(row.autotask_total))


def _line(row: InvoiceRow) -> str:
    return f"{row.invoice_number}  {row.company}  {fmt_document(_amount(row.autotask_total), row.currency)}".rstrip()


def _listing(rows: list[InvoiceRow]) -> list[str]:
    lines = [_line(r) for r in rows[:LISTED]]
    if len(rows) > LISTED:
        lines.append(f"… and {len(rows) - LISTED} more")
    return lines


def _what(rows: list[InvoiceRow]) -> str:
    """"3 invoices", "1 credit note" or "3 invoices and 1 credit note"."""
    credits = sum(1 for r in rows if is_credit(r))
    parts = [_plural(len(rows) - credits)] if len(rows) > credits or not credits else []
    if credits:
        parts.append(_plural(credits, "credit note"))
    return " and ".join(parts)


def sync_title(rows: list[InvoiceRow]) -> str:
    """The progress title of Sync all ready: "Syncing 192 ready invoices and 8 credit notes to Xero"."""
    count, rest = _what(rows).split(" ", 1)
    return f"Syncing {count} ready {rest} to Xero"


def total_line(rows: list[InvoiceRow]) -> str:
    """The batch's total per currency (never added across currencies), invoices and credit notes apart."""
    currencies = list(dict.fromkeys(r.currency for r in rows))
    return "\n".join(_total_line([r for r in rows if r.currency == c], c) for c in currencies)


def _total_line(rows: list[InvoiceRow], currency: str) -> str:
    invoices = sum((_amount(r.autotask_total) for r in rows if not is_credit(r)), Decimal(0))
    credits = -sum((_amount(r.autotask_total) for r in rows if is_credit(r)), Decimal(0))
    if not credits:
        return f"Total {fmt_money(invoices, currency)}"
    if not invoices and all(is_credit(r) for r in rows):
        return f"Total of the credit notes {fmt_money(credits, currency)}"
    return (f"Total {fmt_money(invoices - credits, currency)}: invoices {fmt_money(invoices, currency)} less credit notes "
            f"{fmt_money(credits, currency)}")


def batch_question(ready: list[InvoiceRow], hidden: list[InvoiceRow], verb: str = "Send") -> tuple[str, str]:
    """(question, details): the invoices to send, one per line, their total, and the ready ones not shown."""
    question = f"{verb} {_what(ready)} to Xero?"
    details = "\n".join([*_listing(ready), total_line(ready)])
    if hidden:
        names = ", ".join(r.invoice_number for r in hidden[:LISTED]) + (
            f" and {len(hidden) - LISTED} more" if len(hidden) > LISTED else ""
        )
        details += (
            f"\n\nNot sent: {_plural(len(hidden))} also ready but hidden by the search or filter ({names})."
        )
    return question, details


# What a new Xero document becomes, by the xero_status setting (core.settings.STATUS_WORDS' values).
AS_STATUS = {
    "DRAFT": "New ones go to Xero as drafts.",
    "SUBMITTED": "New ones go to Xero as awaiting approval.",
    "AUTHORISED": ("New ones go to Xero as approved invoices: Re-sync will not change an approved invoice "
                   "(to correct one, void it in Xero or add a credit note)."),
}


def confirm_box(ready: list[InvoiceRow], hidden: list[InvoiceRow], parent: QWidget | None,
                title: str = "Sync all ready", check_first: bool = False, status: str = "") -> QMessageBox:
    """The native question box; Send is the default button, Cancel sends nothing.

    ``check_first``: each invoice is downloaded and checked again first (Re-sync), and only those
    whose totals then agree are sent; the question says so. ``status``: the xero_status setting
    (DRAFT, SUBMITTED, AUTHORISED); the question says what new documents become.
    """
    question, details = batch_question(ready, hidden, "Check again and send" if check_first else "Send")
    if status in AS_STATUS:
        details = f"{AS_STATUS[status]}\n\n{details}"
    if check_first:
        details = ("Each is downloaded from Autotask and checked again; those whose totals agree are sent, "
                   "the others are not.\n\n" + details)
    box = QMessageBox(QMessageBox.Icon.Question, title, question, QMessageBox.StandardButton.NoButton, parent)
    box.setInformativeText(details)
    send = box.addButton(f"Send {_what(ready)}", QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(send)
    box.setObjectName("batch_confirm")
    return box
