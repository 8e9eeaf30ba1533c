"""Currencies end to end on the sandbox: the CLI contract, the write, the store."""

import json

import pytest

from depot_gui.cli.commands import main as cli

from .scenario import multi_currency, write


@pytest.fixture
def scenario(tmp_path):
    return write(multi_currency(), tmp_path / "multi.json")


def run(capsys, *args):
    code = cli(list(args))
    captured = capsys.readouterr()
    return code, captured.out


def xero_invoices(data_dir, scenario, capsys):
    code, out = run(capsys, "--data-dir", str(data_dir), "--sandbox", str(scenario), "sandbox", "state")
    return {i["InvoiceNumber"]: i for i in json.loads(out)["xero"]["Invoices"]}


def test_audit_json_names_each_invoice_s_currency_and_organisation(tmp_path, scenario, capsys):
    code, out = run(capsys, "--data-dir", str(tmp_path / "d"), "--sandbox", str(scenario), "audit", "--json")
    rows = {o["invoice_number"]: o for o in json.loads(out)}
    assert code == 0
    assert [(n, rows[n]["currency"]) for n in sorted(rows)] == [
        ("INV-5001", "AUD"), ("INV-5002", "AUD"), ("INV-5003", "AUD"), ("INV-5004", "AUD"), ("INV-5005", "AUD"),
        ("INV-7001", "NZD"), ("INV-7002", "USD")]
    assert {o["xero_organisation"] for o in rows.values()} == {"Acme MSP Pty Ltd"}
    nzd = rows["INV-7001"]
    assert (nzd["status"], nzd["autotask_total"], nzd["xero_total"], nzd["difference"]) == (
        "ready", "455.95", "455.95", "0.00")
    usd = rows["INV-7002"]
    assert usd["status"] == "error" and usd["causes"] == []
    assert "this invoice is in USD" in usd["explanation"] and "Settings › Currencies" in usd["explanation"]
    # the base-currency invoices are unchanged
    assert (rows["INV-5001"]["status"], rows["INV-5001"]["xero_total"]) == ("ready", "1633.50")
    assert (rows["INV-5005"]["status"], rows["INV-5005"]["rounding_line"]) == ("ready", "0.02")


def test_nzd_is_sent_in_nzd_and_usd_is_never_sent(tmp_path, scenario, capsys):
    d = tmp_path / "d"
    code, out = run(capsys, "--data-dir", str(d), "--sandbox", str(scenario), "sync", "INV-7001", "INV-7002",
                    "INV-5001", "--json")
    rows = {o["invoice_number"]: o for o in json.loads(out)}
    assert code == 1  # INV-7002 could not be synced
    assert (rows["INV-7001"]["status"], rows["INV-7001"]["currency"]) == ("synced", "NZD")
    assert (rows["INV-7002"]["status"], rows["INV-7002"]["currency"]) == ("error", "USD")
    xero = xero_invoices(d, scenario, capsys)
    assert "INV-7002" not in xero
    assert (xero["INV-7001"]["CurrencyCode"], str(xero["INV-7001"]["Total"])) == ("NZD", "455.95")
    assert str(xero["INV-7001"]["CurrencyRate"]) == "1"  # Xero's rate of the day (the sandbox's is 1)
    assert xero["INV-5001"]["CurrencyCode"] == "AUD"
    code, out = run(capsys, "--data-dir", str(d), "status", "--json")
    stored = {o["invoice_number"]: (o["status"], o["currency"], o["xero_organisation"]) for o in json.loads(out)}
    assert stored["INV-7001"] == ("synced", "NZD", "Acme MSP Pty Ltd")
    assert stored["INV-7002"] == ("error", "USD", "Acme MSP Pty Ltd")


def test_autotask_s_exchange_rate_when_chosen(tmp_path, scenario, capsys):
    d = tmp_path / "d"
    assert cli(["--data-dir", str(d), "settings", "set", "exchange_rate", "autotask"]) == 0
    code, _ = run(capsys, "--data-dir", str(d), "--sandbox", str(scenario), "sync", "INV-7001")
    assert code == 0
    xero = xero_invoices(d, scenario, capsys)
    assert (xero["INV-7001"]["CurrencyCode"], str(xero["INV-7001"]["CurrencyRate"])) == ("NZD", "1.085")
