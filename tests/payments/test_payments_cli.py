"""`depot-sync payments [--json]` and `settings set payments_back` on the demo tenant."""

from __future__ import annotations

import json

from depot_gui.cli.commands import main
from depot_gui.sandbox import Sandbox


def run(capsys, *args):
    capsys.readouterr()
    code = main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_payments_prints_state_and_what_was_written(tmp_path, demo_scenario, capsys):
    base = ("--data-dir", tmp_path / "d", "--sandbox", demo_scenario)
    assert run(capsys, *base, "settings", "set", "xero_status", "authorised")[0] == 0
    assert run(capsys, *base, "sync", "INV-5001", "INV-5005")[0] == 0
    sandbox = Sandbox.open(demo_scenario, state_dir=tmp_path / "d" / "sandbox")  # the same state the CLI uses
    sandbox.pay_invoice("INV-5005", on="2026-11-19")
    code, out, _ = run(capsys, *base, "payments")
    assert code == 0
    assert out.splitlines()[:3] == [
        "Invoice   Payment  Currency  Paid    Due      Due date    Autotask paid date  Written",
        "INV-5001  Overdue  AUD       0.00    1633.50  2026-11-15                      -",
        "INV-5005  Paid     AUD       110.00  0.00     2026-11-15  2026-11-19          paidDate 2026-11-19",
    ]
    assert out.splitlines()[-1] == ("Payments checked for 2 invoices: 1 paid, 1 overdue. "
                                    "Autotask paid date written for 1.")
    code, out, _ = run(capsys, *base, "payments", "--json")
    rows = json.loads(out)
    assert [(r["invoice_number"], r["payment_state"], r["paid_date"], r["written_now"], r["autotask_paid_date"])
            for r in rows] == [("INV-5001", "overdue", None, False, None),
                               ("INV-5005", "paid", "written", False, "2026-11-19")]
    assert rows[1]["amount_paid"] == "110.00" and rows[1]["fully_paid_on"] == "2026-11-19"


def test_payments_off_says_so_and_prints_an_empty_array(tmp_path, demo_scenario, capsys):
    base = ("--data-dir", tmp_path / "d", "--sandbox", demo_scenario)
    code, out, _ = run(capsys, *base, "settings", "set", "payments_back", "off")
    assert code == 0 and "payments_back = off" in out.splitlines()
    code, out, err = run(capsys, *base, "payments", "--json")
    assert (code, out) == (0, "[]\n")
    assert err == ("depot-sync: Payments back is off: Xero's payment state is not read. Turn it on in Settings "
                   "or with `depot-sync settings set payments_back on`.\n")
    assert run(capsys, *base, "settings", "set", "payments_back", "maybe")[0] == 2


def test_payments_reads_each_invoice_in_the_organisation_it_went_to(tmp_path, demo_scenario, capsys):
    """An invoice routed to a second Xero organisation is read there: its payment is known, not 'no invoice'."""
    nz = "9b2e4c1d-7a3f-4e8b-b5d6-0c1f2e3a4b5c"
    sc = json.loads(demo_scenario.read_text())
    sc["xero"]["tenants"].append({"tenantId": nz, "tenantName": "Acme MSP NZ Ltd", "tenantType": "ORGANISATION"})
    two = tmp_path / "two.json"
    two.write_text(json.dumps(sc))
    base = ("--data-dir", tmp_path / "d", "--sandbox", two)
    assert run(capsys, *base, "orgs", "route", "Acme Dental Group", "Acme MSP NZ Ltd")[0] == 0
    assert run(capsys, *base, "settings", "set", "xero_status", "approved")[0] == 0
    assert run(capsys, *base, "sync", "INV-5001", "INV-5005")[0] == 0
    sandbox = Sandbox.open(two, state_dir=tmp_path / "d" / "sandbox")
    sandbox.pay_invoice("INV-5001", on="2026-11-20", tenant_id=nz)
    code, out, _ = run(capsys, *base, "payments", "--json")
    assert code == 0
    assert [(r["invoice_number"], r["payment_state"], r["amount_paid"], r["fully_paid_on"])
            for r in json.loads(out)] == [("INV-5001", "paid", "1633.50", "2026-11-20"),
                                          ("INV-5005", "overdue", "0.00", None)]
