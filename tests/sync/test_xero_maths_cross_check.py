"""The app's Xero maths against the sandbox's own (sandbox/xero_numbers.py) on half-cent ties.

The sandbox shares no code with core.money / core.xero_math, so when both give the literal figures
below, a change of rounding mode on either side fails here.
"""

from decimal import Decimal as D

import pytest

from depot_gui.sync.session.session import Session

from ..ties import write_ties


@pytest.fixture
def session(tmp_path):
    with Session.open(tmp_path / "data", write_ties(tmp_path)) as s:
        yield s


def test_ties_audit_ready_and_sandbox_computes_the_same_totals(session):
    audited = {r.invoice_number: (r.status, r.xero_total, r.difference) for r in session.auditor().audit()}
    assert audited == {"INV-7001": ("ready", D("101.22"), 0), "INV-7002": ("ready", D("-85.06"), 0)}
    outcomes = session.syncer().sync(["INV-7001", "INV-7002"])
    assert [(o.ok, o.action) for o in outcomes] == [(True, "created"), (True, "created")]
    xero = session.sandbox.state()["xero"]
    [inv] = xero["Invoices"]
    [note] = xero["CreditNotes"]
    assert (inv["InvoiceNumber"], inv["SubTotal"], inv["TotalTax"], inv["Total"]) == (
        "INV-7001", D("88.63"), D("12.59"), D("101.22"))
    assert [(ln["LineAmount"], ln["TaxAmount"]) for ln in inv["LineItems"]] == [
        (D("59.99"), D("9.00")), (D("14.28"), D("1.79")), (D("14.36"), D("1.80"))]
    # A credit note carries positive amounts; its type gives the sign.
    assert (note["CreditNoteNumber"], note["SubTotal"], note["TotalTax"], note["Total"]) == (
        "INV-7002", D("74.27"), D("10.79"), D("85.06"))
    assert [(ln["LineAmount"], ln["TaxAmount"]) for ln in note["LineItems"]] == [
        (D("59.99"), D("9.00")), (D("14.28"), D("1.79"))]
