"""Autotask's Currencies cannot be read: an invoice of a company with a currency is held back with its
currency unchecked, never treated as the base currency; one of a company without a currency goes on."""

import json

from depot_gui.cli.commands import main as cli

from .scenario import multi_currency, write


def test_an_unreadable_currency_holds_the_invoice_back(tmp_path, capsys):
    sc = multi_currency()
    sc["autotask"]["entities"]["Companies"][0]["currencyID"] = None  # Acme Dental Group: no currency, the base one
    sc["faults"] = [{"api": "autotask", "method": "POST", "path": "Currencies/query", "nth": 1, "times": 50,
                     "kind": "status", "status": 403}]
    scenario, d = write(sc, tmp_path / "no-currencies.json"), tmp_path / "d"
    code = cli(["--data-dir", str(d), "--sandbox", str(scenario), "sync", "INV-7001", "INV-5001", "INV-5003",
               "--json"])
    rows = {o["invoice_number"]: o for o in json.loads(capsys.readouterr().out)}
    assert code == 1
    nzd = rows["INV-7001"]
    assert (nzd["status"], nzd["currency"], nzd["unchecked"], nzd["causes"]) == ("error", None, ["currency"], [])
    assert nzd["explanation"] == (
        "Not synced: Autotask's currencies could not be read, so this invoice's currency is unchecked; it is "
        "held back, never sent as if it were in AUD. The Autotask API user is not allowed to access Currencies: "
        "give its security level access to Currencies in Autotask (Admin › Security Levels); then press Re-sync.")
    assert (rows["INV-5001"]["status"], rows["INV-5001"]["currency"]) == ("synced", "AUD")
    # a company in Autotask's internal currency cannot be told from one in another while Currencies is unread
    assert (rows["INV-5003"]["status"], rows["INV-5003"]["unchecked"]) == ("error", ["currency"])
    cli(["--data-dir", str(d), "--sandbox", str(scenario), "sandbox", "state"])
    assert [i["InvoiceNumber"] for i in json.loads(capsys.readouterr().out)["xero"]["Invoices"]] == ["INV-5001"]
