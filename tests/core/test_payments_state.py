"""core.payments: a Xero invoice's payment state, literal cases (today is 2026-11-20)."""

from datetime import date
from decimal import Decimal as D

import pytest

from depot_gui.core.payments import XeroPayment, label, paid_date, payment_state, state_message

TODAY = date(2026, 11, 20)


def pay(status="AUTHORISED", total="100.00", paid="0.00", due="100.00", due_date=date(2026, 11, 30), fully=None):
    return XeroPayment("x", status, D(total), D(paid), D(due), due_date, fully)


@pytest.mark.parametrize("p, state", [
    (pay("PAID", paid="100.00", due="0.00", fully=date(2026, 11, 18)), "paid"),
    (pay(paid="40.00", due="60.00"), "part_paid"),
    (pay(paid="40.00", due="60.00", due_date=date(2026, 11, 15)), "overdue"),
    (pay(due_date=date(2026, 11, 19)), "overdue"),
    (pay(due_date=date(2026, 11, 20)), "unpaid"),  # due today is not late yet
    (pay(due_date=None), "unpaid"),
    (pay("DRAFT", due_date=date(2026, 11, 1)), "unpaid"),  # a draft asks nobody to pay
    (pay(due="0.00"), "paid"),  # fully allocated by credit notes
    (pay("VOIDED"), None),
    (pay("DELETED"), None),
])
def test_payment_state(p, state):
    assert payment_state(p, TODAY) == state


def test_messages_and_labels():
    assert state_message(pay(paid="40.00", due="60.00"), "part_paid") == (
        "Part paid: 40.00 of 100.00 paid, 60.00 still due, due on 2026-11-30.")
    assert state_message(pay(due_date=date(2026, 11, 15), paid="40.00", due="60.00"), "overdue") == (
        "Overdue: 60.00 of 100.00 was due on 2026-11-15 (40.00 paid).")
    assert state_message(pay(), "unpaid") == "Unpaid: 100.00 due on 2026-11-30."
    assert state_message(pay("VOIDED"), None) == "No payment is expected: the Xero invoice is voided."
    assert [label(s) for s in ("paid", "part_paid", "overdue", "unpaid", None)] == [
        "Paid", "Part paid", "Overdue", "Unpaid", ""]
    assert paid_date(pay(fully=date(2026, 11, 18)), TODAY) == date(2026, 11, 18)
    assert paid_date(pay(), TODAY) == TODAY
