"""The payments table: one reading per invoice, exposed on invoice rows as payment_state."""

import sqlite3
from decimal import Decimal as D

import pytest

from depot_gui.core.audit import AuditResult
from depot_gui.store.db import PaymentRow, Store, StoreDamaged


def _audit(store: Store, autotask_id: int, number: str) -> None:
    store.save_audit(AuditResult(autotask_id, number, "Contoso", "ready", D("10.00"), D("10.00"), D("0.00"), D("0.00"),
                                 D("3.00"), (), "Ready to sync."))


def _reading(autotask_id: int, state: str | None, written: str = "") -> PaymentRow:
    return PaymentRow(autotask_id, state, "x-1", "AUTHORISED", "4.00", "6.00", "2026-01-31", None,
                      "2026-02-01T10:00:00+00:00", None, written, "Part paid: 4.00 of 10.00.")


def test_invoice_rows_carry_payment_state_none_until_checked(tmp_path):
    store = Store(tmp_path / "db.sqlite3")
    _audit(store, 1, "INV-1")
    _audit(store, 2, "INV-2")
    assert [r.payment_state for r in store.invoices()] == [None, None]
    store.payments.save(_reading(2, "part_paid"))
    assert [(r.invoice_number, r.payment_state) for r in store.invoices()] == [("INV-1", None), ("INV-2", "part_paid")]
    assert store.invoice(2).payment_state == "part_paid"
    assert store.invoice_by_number("INV-2").payment_state == "part_paid"
    store.payments.save(_reading(2, "paid", "written"))
    assert store.invoice(2).payment_state == "paid"
    assert store.payments.get(2).written == "written"
    assert store.payments.get(1) is None


def test_a_re_audit_keeps_the_payment_reading(tmp_path):
    store = Store(tmp_path / "db.sqlite3")
    _audit(store, 1, "INV-1")
    store.payments.save(_reading(1, "overdue"))
    _audit(store, 1, "INV-1")
    assert store.invoice(1).payment_state == "overdue"


def test_unknown_state_is_refused_on_write(tmp_path):
    store = Store(tmp_path / "db.sqlite3")
    with pytest.raises(ValueError):
        store.payments.save(_reading(1, "settled"))


@pytest.mark.parametrize("column, value, problem", [
    ("state", "settled", "payment_state 'settled' is not a payment state"),
    ("amount_due", "lots", "amount_due 'lots' is not an amount"),
    ("written", "maybe", "written 'maybe' is not an outcome"),
])
def test_a_damaged_payment_row_is_store_damaged_naming_it(tmp_path, column, value, problem):
    path = tmp_path / "db.sqlite3"
    store = Store(path)
    _audit(store, 1, "INV-1")
    store.payments.save(_reading(1, "unpaid"))
    store.close()
    conn = sqlite3.connect(path)
    conn.execute(f"UPDATE payments SET {column}=?", (value,))
    conn.commit()
    conn.close()
    store = Store(path)
    with pytest.raises(StoreDamaged) as caught:
        store.payments.all()
    assert problem in str(caught.value)
    if column == "state":
        with pytest.raises(StoreDamaged, match="the row of invoice 1 is unreadable: payment_state 'settled'"):
            store.invoices()
