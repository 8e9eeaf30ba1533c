"""The rest of the write-path issue's Why 7: behaviours that survived mutation for want of a test.

Payments (missing paidDate metadata is not writable; a zero-total approved invoice is not paid),
If-Modified-Since on Accounts, and ``--wait-pending --every N`` meaning minutes.
"""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal as D
from pathlib import Path

from depot_gui.cli import main as cli
from depot_gui.core.payments import PAID, UNPAID, XeroPayment, payment_state
from depot_gui.sync.cancel import CancelToken
from depot_gui.sync.session.session import Session

DEMO = Path(__file__).resolve().parents[2] / "depot_gui" / "sandbox" / "scenarios" / "demo.json"


def test_a_zero_total_approved_invoice_is_not_paid():
    zero = XeroPayment("x1", "AUTHORISED", D("0.00"), D("0.00"), D("0.00"), date(2026, 12, 1), None)
    assert payment_state(zero, date(2026, 11, 20)) == UNPAID
    settled = XeroPayment("x2", "AUTHORISED", D("10.00"), D("0.00"), D("0.00"), date(2026, 12, 1), None)
    assert payment_state(settled, date(2026, 11, 20)) == PAID


def test_paid_date_missing_from_autotask_metadata_is_not_written(tmp_path, demo_scenario):
    with Session.open(tmp_path / "d", demo_scenario) as s:
        s.set_setting("xero_status", "authorised")
        [o] = s.syncer().sync(["INV-5001"])
        assert o.ok, o.message
        s.sandbox.pay_invoice("INV-5001", on="2026-11-18")
        # This tenant's Invoices metadata lists no paidDate field at all.
        fields = [{"name": "id", "dataType": "long", "isReadOnly": True},
                  {"name": "invoiceNumber", "dataType": "string", "isReadOnly": True}]
        s.sandbox.add_fault({"api": "autotask", "method": "GET", "path": "Invoices/entityInformation/fields",
                             "kind": "status", "status": 200, "times": 100, "body": json.dumps({"fields": fields})})
        before = [r for r in s.sandbox.state()["requests"] if r["method"] == "PATCH"]
        [check] = s.payments().run().checks
        after = [r for r in s.sandbox.state()["requests"] if r["method"] == "PATCH"]
        paid = next(i for i in s.sandbox.state()["autotask"]["entities"]["Invoices"] if i["id"] == 5001).get("paidDate")
    assert (check.row.state, check.row.written, check.wrote_now) == ("paid", "read_only", False)
    assert after == before and paid is None


def test_accounts_are_read_whole_once_then_with_if_modified_since(tmp_path, demo_scenario):
    with Session.open(tmp_path / "d", demo_scenario) as s:
        s.auditor().audit(["INV-5001"])
        s.sandbox.advance_clock(600)
        s.auditor().audit(["INV-5001"])
        accounts = [r for r in s.sandbox.state()["requests"] if r["path"].endswith("/Accounts")]
    first, second = [r.get("headers", {}).get("If-Modified-Since") for r in accounts]
    assert first is None
    # the first read's time on Xero's clock less the 2-minute margin (the sandbox clock runs in real time
    # from 09:00:00, so the seconds depend on how long the first audit took)
    assert re.fullmatch(r"2026-11-20T08:5[89]:\d\d", second), second


def test_wait_pending_every_n_waits_n_minutes(tmp_path, capsys, monkeypatch):
    data = json.loads(DEMO.read_text())
    data["autotask"]["entities"]["OrganizationalResources"] = []
    data["autotask"]["pending"] = [{"billingItemID": 9008, "visibleAfterQueries": 3}]
    sc = tmp_path / "slow.json"
    sc.write_text(json.dumps(data))
    waits: list[float] = []
    monkeypatch.setattr(CancelToken, "sleep", lambda self, seconds: waits.append(seconds))
    assert cli(["--data-dir", str(tmp_path / "d"), "--sandbox", str(sc), "audit", "INV-5003", "--json",
                "--wait-pending", "--every", "2"]) == 0
    err = capsys.readouterr().err
    assert waits == [120]
    assert err.splitlines()[0] == (
        "depot-sync: Waiting 2 minutes for Autotask to finish attaching items to INV-5003, then checking again.")
