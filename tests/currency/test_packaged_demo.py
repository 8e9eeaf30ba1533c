"""The packaged demo (depot-gui --demo) is the contract's five-invoice demo plus one customer invoiced in
NZD, so a new user sees the Currency column; the five invoices audit exactly as in the contract's demo."""

import json

from depot_gui.cli.commands import main as cli

from ..conftest import DEMO_PATH, PACKAGED_DEMO_PATH


def audit(capsys, data_dir, scenario):
    assert cli(["--data-dir", str(data_dir), "--sandbox", str(scenario), "audit", "--json"]) == 0
    return {o["invoice_number"]: o for o in json.loads(capsys.readouterr().out)}


def test_the_packaged_demo_is_the_contract_demo_plus_an_nzd_customer():
    five, packaged = json.loads(DEMO_PATH.read_text()), json.loads(PACKAGED_DEMO_PATH.read_text())
    for name, rows in five["autotask"]["entities"].items():
        assert packaged["autotask"]["entities"][name][:len(rows)] == rows, name
    added = {n: rows[len(five["autotask"]["entities"].get(n, [])):] for n, rows in packaged["autotask"]["entities"].items()}
    assert [c["companyName"] for c in added["Companies"]] == ["Kiwi Dental Ltd"]
    assert [i["invoiceNumber"] for i in added["Invoices"]] == ["INV-5006"]
    assert [(c["name"], c["isInternalCurrency"]) for c in added["Currencies"]] == [("AUD", True), ("NZD", False)]
    assert packaged["xero"]["Currencies"] == [{"Code": "NZD", "Description": "New Zealand Dollar"}]
    assert {k: v for k, v in packaged["xero"].items() if k != "Currencies"} == five["xero"]


def test_the_five_invoices_audit_the_same_and_the_nzd_one_is_ready_in_nzd(tmp_path, capsys):
    five = audit(capsys, tmp_path / "five", DEMO_PATH)
    packaged = audit(capsys, tmp_path / "packaged", PACKAGED_DEMO_PATH)
    assert list(packaged) == ["INV-5001", "INV-5002", "INV-5003", "INV-5004", "INV-5005", "INV-5006"]
    for number, row in five.items():
        assert packaged[number] == row, number
    nzd = packaged["INV-5006"]
    assert (nzd["status"], nzd["currency"], nzd["autotask_total"], nzd["xero_total"], nzd["difference"]) == (
        "ready", "NZD", "455.95", "455.95", "0.00")
    assert nzd["xero_organisation"] == "Acme MSP Pty Ltd"
