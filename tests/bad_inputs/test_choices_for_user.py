"""Catalogue: choices that are the user's. Two Xero contacts that are one name apart from spacing or
case wait for the user's choice (no silent pick); an account code the Xero organisation does not
have is refused when set and holds the invoice back at the audit (an error, not ready)."""

from __future__ import annotations

import json
import sqlite3

import pytest

from .conftest import DEMO, Before, xero_documents

TWINS = [
    {"ContactID": "9a0b1c2d-0000-4000-8000-000000000201", "Name": "Harbour Logistics Pty Ltd  ",
     "ContactStatus": "ACTIVE", "IsCustomer": True},
    {"ContactID": "9a0b1c2d-0000-4000-8000-000000000202", "Name": "harbour logistics pty ltd",
     "ContactStatus": "ACTIVE", "IsCustomer": True},
]
WAITS = (
    "Not synced yet: Xero has more than one contact named \u201cHarbour Logistics Pty Ltd\u201d (apart from spacing or "
    "case), so none is taken for you: \u201charbour logistics pty ltd\u201d (same name apart from punctuation, case or "
    "a legal suffix); \u201cHarbour Logistics Pty Ltd  \u201d (same name apart from punctuation, case or a legal "
    "suffix). Choose the contact once for this company: link an existing one, or create a new contact (window: "
    "Choose Xero contact\u2026; command line: depot-sync contacts link / contacts create). Nothing is created in Xero "
    "until you choose."
)


@pytest.fixture
def twins(tmp_path):
    scenario = json.loads(DEMO.read_text())
    scenario["xero"]["Contacts"] += TWINS
    path = tmp_path / "twins.json"
    path.write_text(json.dumps(scenario))
    return path


def _xero_numbers(data_dir) -> list[str]:
    return sorted(i["InvoiceNumber"] for t in xero_documents(data_dir).values() for i in t["Invoices"])


def test_contacts_one_name_apart_from_spacing_or_case_wait_for_the_users_choice(cli, tmp_path, twins):
    data = tmp_path / "data"
    ran = cli("--data-dir", data, "--sandbox", twins, "audit", "INV-5003", "--json")
    assert ran.code == 0
    (row,) = json.loads(ran.out)
    assert (row["status"], row["explanation"]) == ("error", WAITS)
    ran = cli("--data-dir", data, "--sandbox", twins, "sync", "INV-5003")
    assert ran.code == 1
    assert f"INV-5003: {WAITS}" in ran.out.splitlines()
    assert _xero_numbers(data) == []
    ran = cli("--data-dir", data, "--sandbox", twins, "contacts", "link", "102", TWINS[1]["ContactID"])
    assert ran.code == 0, ran.err
    ran = cli("--data-dir", data, "--sandbox", twins, "sync", "INV-5003")
    assert ran.code == 0, ran.err
    (invoice,) = [i for t in xero_documents(data).values() for i in t["Invoices"]]
    assert invoice["Contact"]["ContactID"] == TWINS[1]["ContactID"]


@pytest.mark.parametrize(("key", "value", "line"), [
    ("default_account", "ZZZ", "'ZZZ' is not an active account in the Xero organisation's chart of accounts (as read "
     "at the last audit); its sales accounts include 200 (Sales), 260 (Other Revenue)"),
    ("rounding_account", "999", "'999' is not an active account in the Xero organisation's chart of accounts (as read "
     "at the last audit); its sales accounts include 200 (Sales), 260 (Other Revenue)"),
    ("default_account", "ZZZ-nonexistent", "'ZZZ-nonexistent' is not a Xero account code (up to 10 letters or "
     "digits, like 200)"),
    ("default_account", "9" * 5000, "'99999999999999999999…' is not a Xero account code (up to 10 letters or digits, "
     "like 200)"),
    ("default_account", "  ", "an account code is needed; give a Xero account code like 200"),
])
def test_an_account_code_the_organisation_does_not_have_is_refused(cli, synced_dir, key, value, line):
    before = Before(synced_dir)
    ran = cli("--data-dir", synced_dir, "settings", "set", key, value)
    assert ran.code == 2
    assert ran.line == f"depot-sync: {key}: {line}"
    assert ran.out == ""
    before.assert_unchanged()


def test_an_unknown_default_account_holds_the_invoice_back_at_the_audit(cli, tmp_path):
    scenario = json.loads(DEMO.read_text())
    scenario["autotask"]["entities"]["BillingCodes"][0]["externalNumber"] = ""  # its lines go to the default account
    no_account = tmp_path / "no-account.json"
    no_account.write_text(json.dumps(scenario))
    data = tmp_path / "data"
    assert cli("--data-dir", data, "settings", "set", "default_account", "ZZZ").code == 0  # no chart read yet
    ran = cli("--data-dir", data, "--sandbox", no_account, "audit", "INV-5005", "--json")
    assert ran.code == 0
    (row,) = json.loads(ran.out)
    assert (row["status"], row["explanation"]) == ("error", (
        "Not synced: the default sales account \u201cZZZ\u201d in Settings is not an active account in this Xero "
        "organisation's chart of accounts. Choose one of its account codes (window: Settings; command line: depot-sync "
        "settings set default_account CODE), then press Re-sync."))
    assert cli("--data-dir", data, "--sandbox", no_account, "sync", "INV-5005").code == 1
    assert _xero_numbers(data) == []


def test_a_stored_rounding_account_the_organisation_lacks_holds_a_rounded_invoice_back(cli, synced_dir):
    conn = sqlite3.connect(synced_dir / "depot.sqlite3", isolation_level=None)
    conn.execute("INSERT OR REPLACE INTO settings(key, value) VALUES('rounding_account', '999')")
    conn.close()
    ran = cli("--data-dir", synced_dir, "--sandbox", DEMO, "audit", "--json")
    rows = {r["invoice_number"]: (r["status"], r["difference"]) for r in json.loads(ran.out)}
    assert rows == {"INV-5002": ("mismatch", "4177.80"), "INV-5004": ("mismatch", "137.50"),
                    "INV-5005": ("error", "0.02")}  # INV-5005 needs a rounding line; 5001 and 5003 are synced
    (row,) = [r for r in json.loads(ran.out) if r["invoice_number"] == "INV-5005"]
    assert row["explanation"].startswith("Not synced: the rounding account \u201c999\u201d in Settings is not an "
                                         "active account in this Xero organisation's chart of accounts.")
