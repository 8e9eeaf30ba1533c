"""Payment state of a synced invoice, read from its Xero document (pure: today is passed in).

Xero says an invoice is fully paid with ``Status`` PAID (``AmountDue`` 0, ``FullyPaidOnDate``
set). Before that, ``AmountPaid`` > 0 is a part payment, and an approved invoice whose
``DueDate`` has passed with money still due is overdue (overdue wins over part-paid: the
money due is late either way). Drafts are unpaid, never overdue (nobody was asked to pay).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from depot_gui.core.money import fmt_money

PAID, PART_PAID, OVERDUE, UNPAID = "paid", "part_paid", "overdue", "unpaid"
PAYMENT_STATES = (PAID, PART_PAID, OVERDUE, UNPAID)
LABELS = {PAID: "Paid", PART_PAID: "Part paid", OVERDUE: "Overdue", UNPAID: "Unpaid"}

# What happened to Autotask's paidDate on the last check (the store's ``payments.written``).
WRITTEN = "written"        # Depot GUI wrote paidDate now
KEPT = "kept"              # Autotask already had a paidDate (set by a user or earlier): left alone
READ_ONLY = "read_only"    # the API user may not write paidDate (entityInformation/fields)
FAILED = "failed"          # the write was refused or did not answer; the next check tries again
NOT_NEEDED = ""            # not fully paid: nothing to write
OUTCOMES = (WRITTEN, KEPT, READ_ONLY, FAILED, NOT_NEEDED)


@dataclass(frozen=True)
class XeroPayment:
    """What one Xero invoice says about its payment."""

    xero_invoice_id: str
    xero_status: str
    total: Decimal
    amount_paid: Decimal
    amount_due: Decimal
    due_date: date | None
    fully_paid_on: date | None
    currency: str = ""  # Xero's CurrencyCode of the amounts ("" when not given)


def payment_state(p: XeroPayment, today: date) -> str | None:
    """paid / part_paid / overdue / unpaid, or None when the document no longer asks for money."""
    status = p.xero_status.upper()
    if status == "PAID":
        return PAID
    if status in ("VOIDED", "DELETED"):
        return None
    if status == "AUTHORISED":
        if p.amount_due > 0 and p.due_date is not None and p.due_date < today:
            return OVERDUE
        if p.amount_due <= 0 and p.total > 0:
            return PAID  # everything allocated (credit notes) though Xero has not flipped the status yet
    if p.amount_paid > 0:
        return PART_PAID
    return UNPAID


def paid_date(p: XeroPayment, today: date) -> date:
    """The date to give Autotask's paidDate: Xero's FullyPaidOnDate, else today (server clock)."""
    return p.fully_paid_on or today


def label(state: str | None) -> str:
    """The table's text for a state ('' when unknown)."""
    return LABELS.get(state or "", "")


def state_message(p: XeroPayment, state: str | None) -> str:
    """One sentence a finance user reads: what Xero says about this invoice's payment."""
    paid, due, total = (fmt_money(v, p.currency) for v in (p.amount_paid, p.amount_due, p.total))
    due_on = p.due_date.isoformat() if p.due_date else None
    if state == PAID:
        on = f" on {p.fully_paid_on.isoformat()}" if p.fully_paid_on else ""
        return f"Paid in full in Xero{on}."
    if state == OVERDUE:
        part = f" ({paid} paid)" if p.amount_paid > 0 else ""
        return f"Overdue: {due} of {total} was due on {due_on}{part}."
    if state == PART_PAID:
        by = f", due on {due_on}" if due_on else ""
        return f"Part paid: {paid} of {total} paid, {due} still due{by}."
    if state == UNPAID:
        if p.xero_status.upper() in ("DRAFT", "SUBMITTED"):
            return "Unpaid: the Xero invoice is not approved yet."
        return f"Unpaid: {due} due on {due_on}." if due_on else f"Unpaid: {due} due."
    return f"No payment is expected: the Xero invoice is {p.xero_status.lower() or 'gone'}."
