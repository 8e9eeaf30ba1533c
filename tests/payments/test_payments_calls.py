"""Payments back stays within Xero's budget: the number of Xero calls does not grow per invoice."""

from __future__ import annotations

import json
import uuid
from decimal import Decimal as D

import pytest

from depot_gui.core.audit import AuditResult
from depot_gui.sync.session.session import Session

from ..conftest import SCENARIOS


def _scenario(tmp_path, n: int):
    """The clean tenant with n Autotask invoices (ids 7001...), each already in Xero, paid in full."""
    data = json.loads((SCENARIOS / "clean.json").read_text())
    template = data["autotask"]["entities"]["Invoices"][0]
    xero_template = data["xero"]["Invoices"][0]
    data["autotask"]["entities"]["Invoices"] = [
        dict(template, id=7001 + i, invoiceNumber=f"INV-{7001 + i}") for i in range(n)]
    data["xero"]["Invoices"] = [
        dict(xero_template, InvoiceID=str(uuid.UUID(int=7001 + i)), InvoiceNumber=f"INV-{7001 + i}",
             Reference=f"Autotask invoice {7001 + i}", Status="PAID", FullyPaidOnDate="2026-11-18")
        for i in range(n)]
    path = tmp_path / f"paid-{n}.json"
    path.write_text(json.dumps(data))
    return path


def _synced_rows(session, n: int) -> None:
    for i in range(n):
        aid = 7001 + i
        session.store.save_audit(AuditResult(aid, f"INV-{aid}", "Acme", "ready", D("495.00"), D("495.00"),
                                             D("0.00"), D("0.00"), D("3.00"), (), "Ready to sync."))
        session.store.mark_synced(aid, str(uuid.UUID(int=aid)), "PAID")


def _calls(session, api):
    return sum(1 for r in session.sandbox.state()["requests"] if r["api"] == api)


@pytest.mark.parametrize("n, xero_calls", [(3, 1), (40, 1), (41, 2)])
def test_xero_calls_do_not_grow_per_invoice(tmp_path, n, xero_calls):
    with Session.open(tmp_path / "data", _scenario(tmp_path, n)) as session:
        _synced_rows(session, n)
        session.connections()
        xero_before, at_before = _calls(session, "xero"), _calls(session, "autotask")
        report = session.payments().run()
        assert [c.row.state for c in report.checks] == ["paid"] * n
        assert sum(c.wrote_now for c in report.checks) == n
        assert _calls(session, "xero") - xero_before == xero_calls
        # Autotask: the paid invoices' paidDate in one query, the field metadata once, then one
        # PATCH per invoice (Autotask has no batch update), once in the invoice's life.
        assert _calls(session, "autotask") - at_before == 2 + n
        xero_before, at_before = _calls(session, "xero"), _calls(session, "autotask")
        session.payments().run()  # all paid and written: nothing to read or write
        assert (_calls(session, "xero") - xero_before, _calls(session, "autotask") - at_before) == (0, 0)
        session.payments(recheck_paid=True).run()
        assert (_calls(session, "xero") - xero_before, _calls(session, "autotask") - at_before) == (xero_calls, 0)


def test_a_credit_note_is_not_looked_up(tmp_path):
    with Session.open(tmp_path / "data", _scenario(tmp_path, 2)) as session:
        _synced_rows(session, 2)
        session.store.save_audit(AuditResult(7100, "CN-7100", "Acme", "ready", D("-55.00"), D("-55.00"), D("0.00"),
                                             D("0.00"), D("3.00"), (), "Ready to sync."))
        session.store.mark_synced(7100, str(uuid.UUID(int=7100)), "AUTHORISED")
        session.connections()
        xero_before = _calls(session, "xero")
        report = session.payments().run()
        checks = {c.invoice_number: c.row for c in report.checks}
        assert _calls(session, "xero") - xero_before == 1
        assert (checks["CN-7100"].state, checks["CN-7100"].message) == (
            None, "Sent to Xero as a credit note: no payment is expected.")
        assert [checks[n].state for n in ("INV-7001", "INV-7002")] == ["paid", "paid"]
        assert report.summary().startswith("Payments checked for 3 invoices: 2 paid, 1 credit note (no payment expected).")
