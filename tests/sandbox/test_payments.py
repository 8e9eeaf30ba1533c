"""Payments in the simulated Xero and Autotask's paidDate metadata (issue 14, payments back)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from depot_gui.sandbox import Sandbox
from depot_gui.sandbox.xero.payments import PaymentRefused

from .helpers import SCENARIOS, client, connect, xero_headers
from .test_xero import API, invoice, loads, put

V = "/ATServicesRest/V1.0"


def _get(c, number):
    return loads(c.get(f"{API}/Invoices", params={"InvoiceNumbers": number}))["Invoices"][0]


def test_part_payment_then_the_rest_makes_it_paid(xero):
    sb, c = xero
    assert put(c, invoice()).status_code == 200  # total 100.00, due 2026-11-15
    payment = sb.pay_invoice("INV-9001", "40.00", on="2026-11-20")
    assert payment["Amount"] == Decimal("40.00")
    inv = _get(c, "INV-9001")
    assert (inv["Status"], inv["AmountPaid"], inv["AmountDue"]) == ("AUTHORISED", Decimal("40.00"), Decimal("60.00"))
    assert "FullyPaidOnDate" not in inv
    assert [p["Amount"] for p in inv["Payments"]] == [Decimal("40.00")]
    sb.pay_invoice("INV-9001", on="2026-11-25")  # the rest
    inv = _get(c, "INV-9001")
    assert (inv["Status"], inv["AmountPaid"], inv["AmountDue"]) == ("PAID", Decimal("100.00"), Decimal("0.00"))
    assert inv["FullyPaidOnDate"] == "/Date(1795564800000+0000)/"  # 2026-11-25
    assert [p["Date"] for p in inv["Payments"]] == ["/Date(1795132800000+0000)/", "/Date(1795564800000+0000)/"]


@pytest.mark.parametrize("status, amount, message", [
    ("DRAFT", "10", "Payment can only be made against Authorised documents."),
    ("AUTHORISED", "100.01", "Payment amount exceeds the amount outstanding on this document."),
    ("AUTHORISED", "0", "Payment amounts must be positive."),
])
def test_payments_xero_refuses(xero, status, amount, message):
    sb, c = xero
    assert put(c, invoice(Status=status)).status_code == 200
    with pytest.raises(PaymentRefused) as caught:
        sb.pay_invoice("INV-9001", amount)
    assert str(caught.value) == message
    assert _get(c, "INV-9001")["AmountPaid"] == Decimal("0.00")


def test_a_paid_invoice_cannot_be_edited_or_voided(xero):
    sb, c = xero
    put(c, invoice())
    sb.pay_invoice("INV-9001")
    inv = _get(c, "INV-9001")
    r = c.post(f"{API}/Invoices/{inv['InvoiceID']}", json={"Invoices": [{"Status": "VOIDED"}]})
    assert r.status_code == 400


def test_scenario_may_seed_a_paid_and_a_part_paid_invoice(tmp_path):
    data = json.loads((SCENARIOS / "clean.json").read_text())
    seeded = data["xero"]["Invoices"][0]  # INV-4999, 10 x 45.00 + 10% = 495.00
    part = dict(seeded, InvoiceID="0c1d2e3f-0000-4000-8000-000000004998", InvoiceNumber="INV-4998", AmountPaid=95)
    data["xero"]["Invoices"] = [dict(seeded, Status="PAID", FullyPaidOnDate="2026-10-20"), part]
    path = tmp_path / "paid.json"
    path.write_text(json.dumps(data))
    sb = Sandbox.open(path)
    c = client(sb)
    c.headers.update(xero_headers(connect(c)["access_token"]))
    paid, partly = _get(c, "INV-4999"), _get(c, "INV-4998")
    assert (paid["Status"], paid["AmountPaid"], paid["AmountDue"]) == ("PAID", Decimal("495.00"), Decimal("0.00"))
    assert paid["FullyPaidOnDate"] == "/Date(1792454400000+0000)/"  # 2026-10-20
    assert (partly["Status"], partly["AmountPaid"], partly["AmountDue"]) == (
        "AUTHORISED", Decimal("95.00"), Decimal("400.00"))


def test_scenario_amount_paid_must_be_a_number(tmp_path):
    from depot_gui.sandbox import ScenarioError

    data = json.loads((SCENARIOS / "clean.json").read_text())
    data["xero"]["Invoices"][0]["AmountPaid"] = "lots"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data))
    with pytest.raises(ScenarioError, match=r"\$\.xero\.Invoices\[0\]\.AmountPaid"):
        Sandbox.open(path)


def test_paid_date_is_writable_date_only_unless_switched_read_only(at):
    sb, c = at
    fields = {f["name"]: f for f in c.get(f"{V}/Invoices/entityInformation/fields").json()["fields"]}
    assert (fields["paidDate"]["isReadOnly"], fields["paidDate"]["dataType"]) == (False, "datetime")
    assert c.patch(f"{V}/Invoices", json={"id": 5001, "paidDate": "2026-11-25T15:30:00"}).status_code == 200
    assert c.get(f"{V}/Invoices/5001").json()["item"]["paidDate"] == "2026-11-25T00:00:00"
    sb.set_option("autotask_paid_date_writable", False)
    fields = {f["name"]: f for f in c.get(f"{V}/Invoices/entityInformation/fields").json()["fields"]}
    assert fields["paidDate"]["isReadOnly"] is True
    r = c.patch(f"{V}/Invoices", json={"id": 5002, "paidDate": "2026-11-25T00:00:00"})
    assert r.status_code == 400 and "paidDate is read-only" in r.text
