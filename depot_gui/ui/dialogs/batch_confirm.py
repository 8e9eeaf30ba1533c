"""Sync all ready: the question asked first, naming what will be sent and what the filter hides."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from PySide6.QtWidgets import QMessageBox, QWidget

from depot_gui.core.money import fmt_money

from depot_gui.store.db import InvoiceRow

LISTED = 12  # rows named one per line; the rest are counted


def _plural(n: int, word: str = "invoice") -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _money(text: str) -> str:
    try:
        return fmt_money(Decimal(text))
    except (InvalidOperation, TypeError):
        return text


def _listing(rows: list[InvoiceRow]) -> list[str]:
    lines = [f"{r.invoice_number}  {r.company}  {_money(r.autotask_total)}".rstrip() for r in rows[:LISTED]]
    if len(rows) > LISTED:
        lines.append(f"… and {len(rows) - LISTED} more")
    return lines


def batch_question(ready: list[InvoiceRow], hidden: list[InvoiceRow]) -> tuple[str, str]:
    """(question, details): the invoices to send, one per line, and the ready ones not shown."""
    question = f"Send {_plural(len(ready))} to Xero?"
    details = "\n".join(_listing(ready))
    if hidden:
        names = ", ".join(r.invoice_number for r in hidden[:LISTED]) + (
            f" and {len(hidden) - LISTED} more" if len(hidden) > LISTED else ""
        )
        details += (
            f"\n\nNot sent: {_plural(len(hidden))} also ready but hidden by the search or filter ({names})."
        )
    return question, details


def confirm_box(ready: list[InvoiceRow], hidden: list[InvoiceRow], parent: QWidget | None) -> QMessageBox:
    """The native question box; Send is the default button, Cancel sends nothing."""
    question, details = batch_question(ready, hidden)
    box = QMessageBox(QMessageBox.Icon.Question, "Sync all ready", question, QMessageBox.StandardButton.NoButton, parent)
    box.setInformativeText(details)
    send = box.addButton(f"Send {_plural(len(ready))}", QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(send)
    box.setObjectName("batch_confirm")
    return box
