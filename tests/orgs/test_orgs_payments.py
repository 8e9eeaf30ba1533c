"""Payments back reads each invoice from the Xero organisation it went to."""

import json

from depot_gui.sync.session.session import Session

from .books import AU, NZ, requests, run, two_orgs


def test_each_invoice_s_payment_is_read_from_its_own_organisation(tmp_path, capsys):
    scenario, d = two_orgs(tmp_path), tmp_path / "d"
    run(capsys, d, scenario, "settings", "set", "xero_status", "AUTHORISED")
    run(capsys, d, scenario, "orgs", "route", "Acme Dental Group", "Acme MSP NZ Ltd")
    code, out, _ = run(capsys, d, scenario, "sync", "INV-5001", "INV-5003", "--json")
    assert code == 0, out
    with Session.open(d, scenario) as s:
        s.sandbox.pay_invoice("INV-5001", tenant_id=NZ)  # paid in the NZ books only
        s.sandbox.pay_invoice("INV-5003", amount="100.00", tenant_id=AU)
    before = len(requests(capsys, d, scenario))
    code, out, _ = run(capsys, d, scenario, "payments", "--json")
    assert code == 0
    rows = json.loads(out)
    assert [(c["invoice_number"], c["payment_state"], c["currency"], c["xero_organisation"]) for c in rows] == [
        ("INV-5001", "paid", "AUD", "Acme MSP NZ Ltd"),
        ("INV-5003", "overdue", "AUD", "Acme MSP Pty Ltd")]  # part paid, due date passed
    assert rows[1]["message"] == "Overdue: AUD 2,870.00 of AUD 2,970.00 was due on 2026-11-15 (AUD 100.00 paid)."
    # one GET /Invoices?IDs= per organisation, whatever the number of invoices in each
    xero = [(r["method"], r["path"]) for r in requests(capsys, d, scenario)[before:] if r["api"] == "xero"]
    assert [x for x in xero if x[1].endswith("/Invoices")] == [("GET", "/api.xro/2.0/Invoices")] * 2
