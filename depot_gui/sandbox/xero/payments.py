"""Payments on Xero invoices: what finance records in Xero after an invoice is sent.

Xero's rules: a payment goes only on an AUTHORISED invoice, is positive and at most the
amount still due; ``AmountPaid`` grows, ``AmountDue`` = Total - AmountPaid - AmountCredited,
and when nothing is due any more Xero sets ``Status`` PAID and ``FullyPaidOnDate``.
The scenario may seed an existing invoice as paid (``AmountPaid``, ``FullyPaidOnDate`` or
``Status`` PAID); tests and demos record payments with ``Sandbox.pay_invoice``.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from depot_gui.sandbox.clock import naive_iso, parse_any_date
from depot_gui.sandbox.xero.lines import ZERO
from depot_gui.sandbox.xero.numbers import cents, parse_number


class PaymentRefused(ValueError):
    """The payment breaks one of Xero's rules; str() is Xero's sentence."""


def _day(value: object, now: datetime) -> str:
    return parse_any_date(value).date().isoformat() if value not in (None, "") else now.date().isoformat()


def seed_payment(doc: dict, el: dict, now: datetime) -> None:
    """Apply a scenario invoice's ``AmountPaid`` / ``FullyPaidOnDate`` / ``Status`` PAID (trusted load)."""
    total, credited = doc["Total"], doc.get("AmountCredited", ZERO)
    if "AmountPaid" in el and el["AmountPaid"] is not None:
        paid = cents(parse_number(el["AmountPaid"]))
    elif doc["Status"] == "PAID":
        paid = cents(total - credited)
    else:
        return
    doc["AmountPaid"] = paid
    doc["AmountDue"] = cents(total - paid - credited)
    if paid > 0:
        doc["Payments"] = [{"PaymentID": str(uuid.uuid4()), "Date": _day(el.get("FullyPaidOnDate"), now),
                            "Amount": paid, "Reference": ""}]
    if doc["AmountDue"] <= 0 and doc["Status"] in ("AUTHORISED", "PAID"):
        doc["Status"] = "PAID"
        doc["FullyPaidOnDate"] = _day(el.get("FullyPaidOnDate"), now)


def pay(doc: dict, amount: object, on: object, now: datetime) -> dict:
    """Record one payment on an invoice document (PaymentRefused when Xero would refuse it)."""
    if doc.get("Type") not in ("ACCREC", "ACCPAY"):
        raise PaymentRefused("Payments can only be made against invoices.")
    if doc["Status"] != "AUTHORISED":
        raise PaymentRefused("Payment can only be made against Authorised documents.")
    due = doc["AmountDue"]
    value = due if amount is None else cents(parse_number(amount))
    if value <= 0:
        raise PaymentRefused("Payment amounts must be positive.")
    if value > due:
        raise PaymentRefused("Payment amount exceeds the amount outstanding on this document.")
    day = _day(on, now)
    payment = {"PaymentID": str(uuid.uuid4()), "Date": day, "Amount": value, "Reference": ""}
    doc.setdefault("Payments", []).append(payment)
    doc["AmountPaid"] = cents(doc.get("AmountPaid", ZERO) + value)
    doc["AmountDue"] = cents(doc["Total"] - doc["AmountPaid"] - doc.get("AmountCredited", ZERO))
    if doc["AmountDue"] == 0:
        doc["Status"] = "PAID"
        doc["FullyPaidOnDate"] = day
    doc["UpdatedDateUTC"] = naive_iso(now)
    return payment
