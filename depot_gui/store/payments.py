"""Payments back: each synced invoice's payment state as last read from Xero (``payments`` table)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from depot_gui.core.payments import OUTCOMES

from depot_gui.store.database import Database
from depot_gui.store.records import StoreDamaged, now_iso
from depot_gui.store.rows import money, payment_state_of, text


@dataclass(frozen=True)
class PaymentRow:
    """One invoice's payment state as last read from Xero, and what became of Autotask's paidDate."""

    autotask_id: int
    state: str | None             # paid / part_paid / overdue / unpaid; None when Xero no longer asks for money
    xero_invoice_id: str | None
    xero_status: str
    amount_paid: str
    amount_due: str
    due_date: str | None          # YYYY-MM-DD
    fully_paid_on: str | None     # YYYY-MM-DD
    checked_at: str               # when Xero was read (UTC ISO)
    autotask_paid_date: str | None  # Autotask's paidDate as last read or written (YYYY-MM-DD)
    written: str                  # written / kept / read_only / failed / '' (see core.payments)
    message: str                  # one sentence for the detail pane and the CLI


def payment_row(r: sqlite3.Row) -> PaymentRow:
    """The PaymentRow of one ``payments`` row; ValueError naming the first damaged value."""
    if not isinstance(r["autotask_id"], int):
        raise ValueError(f"autotask_id {r['autotask_id']!r} is not a whole number")
    written = text("written", r["written"])
    if written not in OUTCOMES:
        raise ValueError(f"written {str(written)[:40]!r} is not an outcome")
    return PaymentRow(
        r["autotask_id"], payment_state_of(r["state"]), text("xero_invoice_id", r["xero_invoice_id"], nullable=True),
        text("xero_status", r["xero_status"]), money("amount_paid", r["amount_paid"]),
        money("amount_due", r["amount_due"]), text("due_date", r["due_date"], nullable=True),
        text("fully_paid_on", r["fully_paid_on"], nullable=True), text("checked_at", r["checked_at"]),
        text("autotask_paid_date", r["autotask_paid_date"], nullable=True), written, text("message", r["message"]),
    )


class Payments:
    """The ``payments`` table (``store.payments``)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def save(self, row: PaymentRow) -> None:
        """Record one invoice's payment state (replacing the previous reading)."""
        payment_state_of(row.state)
        if row.written not in OUTCOMES:
            raise ValueError(f"unknown paidDate outcome {row.written!r}")
        self._db.write(
            """INSERT INTO payments(autotask_id, state, xero_invoice_id, xero_status, amount_paid, amount_due, due_date,
                   fully_paid_on, checked_at, autotask_paid_date, written, message)
               VALUES(?,?,?,?,?,?,?,?,?,?,?,?)
               ON CONFLICT(autotask_id) DO UPDATE SET state=excluded.state, xero_invoice_id=excluded.xero_invoice_id,
                   xero_status=excluded.xero_status, amount_paid=excluded.amount_paid, amount_due=excluded.amount_due,
                   due_date=excluded.due_date, fully_paid_on=excluded.fully_paid_on, checked_at=excluded.checked_at,
                   autotask_paid_date=excluded.autotask_paid_date, written=excluded.written, message=excluded.message""",
            (row.autotask_id, row.state, row.xero_invoice_id, row.xero_status, row.amount_paid, row.amount_due,
             row.due_date, row.fully_paid_on, row.checked_at or now_iso(), row.autotask_paid_date, row.written,
             row.message),
        )

    def get(self, autotask_id: int) -> PaymentRow | None:
        """The last payment reading of one invoice, or None when it was never checked."""
        rows = self._db.read("SELECT * FROM payments WHERE autotask_id=?", (autotask_id,))
        return self._payment(rows[0]) if rows else None

    def all(self) -> list[PaymentRow]:
        """Every payment reading, by Autotask id."""
        return [self._payment(r) for r in self._db.read("SELECT * FROM payments ORDER BY autotask_id")]

    def _payment(self, r: sqlite3.Row) -> PaymentRow:
        try:
            return payment_row(r)
        except ValueError as exc:
            raise StoreDamaged(self._db.path, f"the payment row of invoice {r['autotask_id']!r} is unreadable: {exc}") from None


__all__ = ["PaymentRow", "Payments", "payment_row", "payment_state_of"]
