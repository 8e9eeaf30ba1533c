"""`depot-sync contacts`: list the companies without a settled Xero contact, link, create once, unlink."""

from __future__ import annotations

import json

import pytest

from depot_gui.cli.commands import main as cli

from .test_linked_on_purpose import HARBOUR, harbour


@pytest.fixture
def run(tmp_path, capsys):
    scenario = harbour(tmp_path)

    def run_(*args):
        code = cli(["--data-dir", str(tmp_path / "data"), "--sandbox", str(scenario), *args])
        captured = capsys.readouterr()
        return code, captured.out, captured.err
    return run_


def test_before_any_audit(run):
    assert run("contacts") == (0, "No invoices here yet: run depot-sync audit first.\n", "")


def test_the_list_names_the_close_contacts_and_the_ways_on(run):
    run("audit")
    code, out, err = run("contacts")
    assert (code, err) == (0, "")
    assert out == (
        "Id   Company                    Account  Xero contact                     Waiting invoices\n"
        "101  Bluegum Legal              C101     new: the first sync creates it   INV-5002, INV-5005\n"
        "102  Harbour Logistics Pty Ltd  C102     choose: 1 close contact in Xero  INV-5003\n"
        "    close: \u201cHarbour Logistics\u201d (same name apart from punctuation, case or a legal suffix)\n"
        "\n"
        "Choose once per company: depot-sync contacts link COMPANY CONTACT, or depot-sync contacts create "
        "COMPANY. A company marked new gets a contact with its own name at its first sync.\n"
    )


def test_json_lists_every_company_with_all(run):
    run("audit")
    code, out, _ = run("contacts", "--all", "--json")
    rows = json.loads(out)
    assert code == 0
    assert [(r["company"], r["state"], r["contact"]) for r in rows] == [
        ("Acme Dental Group", "match", "Acme Dental Group"),
        ("Bluegum Legal", "new", None),
        ("Harbour Logistics Pty Ltd", "choose", None),
    ]
    assert rows[2]["candidates"] == [{"contact_id": HARBOUR, "name": "Harbour Logistics", "account_number": "",
                                      "reason": "same name apart from punctuation, case or a legal suffix"}]


def test_link_then_sync_uses_the_linked_contact(run):
    run("audit")
    assert run("contacts", "link", "Harbour Logistics Pty Ltd", "Harbour Logistics") == (0, (
        "Linked \u201cHarbour Logistics\u201d for Harbour Logistics Pty Ltd: its invoices go to it from now on.\n"
        "Next: depot-sync sync INV-5003 (each is audited again first).\n"), "")
    code, out, _ = run("sync", "INV-5003", "--json")
    assert code == 0 and json.loads(out)[0]["status"] == "synced"
    state = json.loads(run("sandbox", "state")[1])
    assert [i["Contact"]["ContactID"] for i in state["xero"]["Invoices"]] == [HARBOUR]
    assert sorted(c["Name"] for c in state["xero"]["Contacts"]) == ["Acme Dental Group", "Harbour Logistics"]


def test_create_makes_the_contact_once(run):
    run("audit")
    code, out, _ = run("contacts", "create", "102")
    assert (code, out.splitlines()[0]) == (0, "Created the Xero contact \u201cHarbour Logistics Pty Ltd\u201d for "
                                              "Harbour Logistics Pty Ltd: its invoices go to it from now on.")
    assert run("contacts", "create", "102") == (2, "", (
        "depot-sync contacts create: Xero already has a contact called \u201cHarbour Logistics Pty Ltd\u201d; "
        "link it instead.\n"))
    state = json.loads(run("sandbox", "state")[1])
    assert sorted(c["Name"] for c in state["xero"]["Contacts"]) == [
        "Acme Dental Group", "Harbour Logistics", "Harbour Logistics Pty Ltd"]


@pytest.mark.parametrize("args, message", [
    (("link", "Nobody Ltd", "Harbour Logistics"),
     "depot-sync contacts link: No company of the invoices here is called \u201cNobody Ltd\u201d. Run depot-sync "
     "contacts --all for their names (audit the invoices first).\n"),
    (("link", "102", "Harbour"),
     "depot-sync contacts link: Xero has no contact called \u201cHarbour\u201d; the closest: "
     "\u201cHarbour Logistics\u201d.\n"),
    (("link", " ", "Harbour Logistics"), "depot-sync contacts link: Name the company (its Autotask name or id).\n"),
])
def test_a_request_that_cannot_be_done_is_one_line_and_exit_2(run, args, message):
    run("audit")
    assert run("contacts", *args) == (2, "", message)


def test_unlink(run):
    run("audit")
    run("contacts", "link", "102", "Harbour Logistics")
    assert run("contacts", "unlink", "102") == (
        0, "Forgot the Xero contact chosen for Harbour Logistics Pty Ltd; its next audit decides afresh.\n", "")
    assert run("contacts", "unlink", "102") == (
        0, "No Xero contact was chosen for Harbour Logistics Pty Ltd; nothing changed.\n", "")


def test_linking_reads_the_contact_directory_once(run):
    run("audit")
    before = len(json.loads(run("sandbox", "state")[1])["requests"])
    assert run("contacts", "link", "102", "Harbour Logistics")[0] == 0
    after = json.loads(run("sandbox", "state")[1])["requests"][before:]
    data = [(r["api"], r["method"], r["path"]) for r in after  # connecting (zone, token, tenants) aside
            if "/query" in r["path"] or "/api.xro/" in r["path"]]
    assert data == [
        ("autotask", "POST", "/ATServicesRest/V1.0/Companies/query"),
        ("xero", "GET", "/api.xro/2.0/Contacts"),
    ]


def test_the_reports_say_choose_contact_for_an_invoice_that_waits_for_one(run, tmp_path):
    run("audit")
    code, _, _ = run("report", "--since", "2026-11-01", "--csv", str(tmp_path / "r.csv"))
    rows = (tmp_path / "r.csv").read_text(encoding="utf-8-sig").splitlines()
    assert code == 0
    assert [r.split(",")[:4] for r in rows if r.startswith("INV-5003")] == [
        ["INV-5003", "Harbour Logistics Pty Ltd", "2026-11-01", "Choose contact"]]
