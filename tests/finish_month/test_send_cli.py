"""`depot-sync send INVOICE... [--mark-sent] [--yes] [--json]` on the demo tenant."""

from __future__ import annotations

import io
import json

import pytest

from depot_gui.cli.commands import main

from tests.finish_month.send_helpers import approved, emails, give_email, open_session


class Terminal(io.StringIO):
    """A stdin that is a terminal, holding what the person types."""

    def isatty(self) -> bool:
        return True


def run(capsys, *args):
    capsys.readouterr()
    code = main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def base(tmp_path, demo_scenario):
    data = tmp_path / "d"
    with open_session(data, demo_scenario) as s:
        approved(s, ["INV-5001", "INV-5003"])
        give_email(s, "Acme Dental Group", "accounts@acme.example")
    return ("--data-dir", data, "--sandbox", demo_scenario)


def sandbox_emails(base):
    with open_session(base[1], base[3]) as s:
        return emails(s)


def test_without_a_terminal_and_without_yes_nothing_is_read_or_sent(base, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("y\n"))
    code, out, err = run(capsys, *base, "send", "INV-5001")
    assert (code, out) == (2, "")
    assert err == ("depot-sync send: asks before sending, and there is no terminal to ask in: run it in a terminal, "
                   "or add --yes to send without asking\n")
    assert sandbox_emails(base) == []


def test_off_by_default_refuses_in_one_line(tmp_path, demo_scenario, capsys):
    code, out, err = run(capsys, "--data-dir", tmp_path / "e", "--sandbox", demo_scenario, "send", "INV-5001", "--yes")
    assert (code, out) == (2, "")
    assert err == ("depot-sync send: Sending from Xero is off: turn it on in Settings (Send approved invoices from "
                   "Xero) or with `depot-sync settings set send_from_xero email` (or mark_sent).\n")


def test_the_question_names_the_recipients_and_no_sends_nothing(base, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", Terminal("n\n"))
    code, out, err = run(capsys, *base, "send", "INV-5001", "INV-5003")
    assert code == 0
    assert out.splitlines() == [
        "Email 1 invoice from Xero?",
        "INV-5001  Acme Dental Group  AUD 1,633.50  to accounts@acme.example",
        "Total AUD 1,633.50 (1 invoice)",
        "Xero emails each invoice to the addresses named and marks it sent.",
        "",
        "Not sent:",
        "The Xero contact Harbour Logistics Pty Ltd has no email address, so INV-5003 is not sent: add one to the "
        "contact in Xero, or mark the invoice as sent instead.",
        "",
        "Invoice emails left today: 1,000 of Xero's 1,000 a day for this organisation (emails sent from Xero "
        "itself count too).",
        "Nothing was sent.",
    ]
    assert err == "Email 1 invoice? [y/N] "
    assert sandbox_emails(base) == []


def test_yes_emails_and_a_second_send_sends_nothing_more(base, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", Terminal("y\n"))
    code, out, _ = run(capsys, *base, "send", "INV-5001", "INV-5003")
    assert code == 1  # INV-5003 was not sent
    assert out.splitlines()[-6:] == [
        "Invoice   Result    To",
        "INV-5001  emailed   accounts@acme.example",
        "INV-5003  not sent",
        "The Xero contact Harbour Logistics Pty Ltd has no email address, so INV-5003 is not sent: add one to the "
        "contact in Xero, or mark the invoice as sent instead.",
        "Emailed from Xero: 1 of 2 invoices. 1 not sent.",
        "Invoice emails left today: 999 of Xero's 1,000 a day for this organisation (emails sent from Xero itself "
        "count too).",
    ]
    code, out, err = run(capsys, *base, "send", "INV-5001", "--yes", "--json")
    assert code == 0
    [row] = json.loads(out)
    assert row == {"invoice_number": "INV-5001", "autotask_id": 5001, "xero_invoice_id": row["xero_invoice_id"],
                   "how": "email", "result": "already_sent", "sent": True, "recipients": [], "currency": "AUD",
                   "total": "1633.50", "message": "INV-5001 is already marked as sent in Xero: it is not sent again."}
    assert err.splitlines()[-2:] == [
        "depot-sync: Emailed from Xero: 0 of 1 invoice. 1 already sent.",
        "depot-sync: Invoice emails left today: 999 of Xero's 1,000 a day for this organisation (emails sent from "
        "Xero itself count too).",
    ]
    assert sandbox_emails(base) == [("INV-5001", ["accounts@acme.example"])]


def test_mark_sent_json(base, capsys):
    code, out, err = run(capsys, *base, "send", "INV-5003", "--mark-sent", "--yes", "--json")
    assert code == 0
    assert [(r["invoice_number"], r["how"], r["result"], r["sent"], r["message"]) for r in json.loads(out)] == [
        ("INV-5003", "mark_sent", "marked_sent", True, "INV-5003: Marked as sent in Xero (no email).")]
    assert err.splitlines()[-1] == "depot-sync: Marked as sent in Xero: 1 of 1 invoice."
    assert sandbox_emails(base) == []
    code, out, _ = run(capsys, *base, "status", "--json")
    assert code == 0
    assert [(r["invoice_number"], r["sent_from_xero"]) for r in json.loads(out)] == [
        ("INV-5001", None), ("INV-5003", "mark_sent")]


def test_a_blank_name_is_refused(base, capsys):
    code, out, err = run(capsys, *base, "send", " ", "--yes")
    assert (code, out) == (2, "")
    assert err == ("depot-sync send: an invoice name is empty; name each invoice (a blank name never means all)\n")


def test_each_invoice_is_sent_in_its_own_organisation(tmp_path, capsys):
    from tests.conftest import DEMO_PATH

    scenario = json.loads(DEMO_PATH.read_text())
    scenario["xero"]["tenants"].append({"tenantId": "9b2e4c1d-7a3f-4e8b-b5d6-0c1f2e3a4b5c",
                                        "tenantName": "Acme MSP NZ Ltd", "tenantType": "ORGANISATION"})
    two = tmp_path / "two.json"
    two.write_text(json.dumps(scenario))
    base = ("--data-dir", tmp_path / "d", "--sandbox", two)
    assert run(capsys, *base, "orgs", "route", "Acme Dental Group", "Acme MSP NZ Ltd")[0] == 0
    for key, value in (("xero_status", "approved"), ("send_from_xero", "mark_sent")):
        assert run(capsys, *base, "settings", "set", key, value)[0] == 0
    assert run(capsys, *base, "sync", "INV-5001", "INV-5003")[0] == 0
    code, out, _ = run(capsys, *base, "send", "INV-5001", "INV-5003", "--yes", "--json")
    assert code == 0
    assert [(r["invoice_number"], r["result"]) for r in json.loads(out)] == [
        ("INV-5001", "marked_sent"), ("INV-5003", "marked_sent")]
    code, out, _ = run(capsys, *base, "send", "INV-5001", "INV-5003", "--yes", "--json")
    assert [(r["invoice_number"], r["result"]) for r in json.loads(out)] == [
        ("INV-5001", "already_sent"), ("INV-5003", "already_sent")]  # each read again in its own organisation


def test_names_not_sendable_are_said_each_and_an_unknown_one_has_no_amount(base, capsys):
    assert run(capsys, *base, "audit", "INV-5002")[0] == 0  # known here, a mismatch, never in Xero
    code, out, err = run(capsys, *base, "send", "NOPE-1", "INV-5002", "INV-5003", "--mark-sent", "--yes", "--json")
    assert code == 1
    assert [(r["invoice_number"], r["result"], r["currency"], r["total"], r["message"]) for r in json.loads(out)] == [
        ("INV-5002", "not_sent", "AUD", "5951.55",
         "INV-5002 is not in Xero yet (mismatch): sync it first; only approved invoices in Xero are sent."),
        ("INV-5003", "marked_sent", "AUD", "2970.00", "INV-5003: Marked as sent in Xero (no email)."),
        ("NOPE-1", "not_sent", None, None,
         "NOPE-1 is not known here: audit and sync it first; only approved invoices in Xero are sent."),
    ]
    assert err.splitlines()[-1] == "depot-sync: Marked as sent in Xero: 1 of 3 invoices. 2 not sent."


def test_with_two_organisations_the_emails_left_name_each_organisation(tmp_path, capsys):
    from tests.conftest import DEMO_PATH

    nz = "9b2e4c1d-7a3f-4e8b-b5d6-0c1f2e3a4b5c"
    scenario = json.loads(DEMO_PATH.read_text())
    scenario["xero"]["tenants"].append({"tenantId": nz, "tenantName": "Acme MSP NZ Ltd", "tenantType": "ORGANISATION"})
    two = tmp_path / "two.json"
    two.write_text(json.dumps(scenario))
    base = ("--data-dir", tmp_path / "d", "--sandbox", two)
    assert run(capsys, *base, "orgs", "route", "Acme Dental Group", "Acme MSP NZ Ltd")[0] == 0
    for key, value in (("xero_status", "approved"), ("send_from_xero", "email")):
        assert run(capsys, *base, "settings", "set", key, value)[0] == 0
    assert run(capsys, *base, "sync", "INV-5001", "INV-5003")[0] == 0
    with open_session(tmp_path / "d", two) as s:
        conn = s.connections()
        for tenant, name in ((nz, "Acme Dental Group"), (conn.tenant_id, "Harbour Logistics Pty Ltd")):
            x = conn.for_tenant(tenant).xero
            contact = next(c for c in x.get("Contacts", "Contacts") if c["Name"] == name)
            x.call("POST", "Contacts", body={"Contacts": [{"ContactID": contact["ContactID"],
                                                          "EmailAddress": "accounts@example.com"}]},
                   idempotency_key=f"test-email-{contact['ContactID']}")
    code, out, _ = run(capsys, *base, "send", "INV-5001", "INV-5003", "--yes")
    assert code == 0
    assert out.splitlines()[-2:] == [
        "Invoice emails left today: 999 of Xero's 1,000 a day for Acme MSP NZ Ltd (emails sent from Xero itself "
        "count too).",
        "Invoice emails left today: 999 of Xero's 1,000 a day for Acme MSP Pty Ltd (emails sent from Xero itself "
        "count too).",
    ]
