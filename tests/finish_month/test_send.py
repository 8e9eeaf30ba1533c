"""Sending approved invoices from Xero (issue 24 item 3) against the sandbox: who, once, and the daily limit."""

from __future__ import annotations

import re

import pytest

from depot_gui.core.sending import EMAIL, MARK_SENT

from tests.finish_month.send_helpers import approved, emails, give_email, open_session, sender, xero_requests


@pytest.fixture
def session(tmp_path, demo_scenario):
    s = open_session(tmp_path / "d", demo_scenario)
    approved(s, ["INV-5001", "INV-5003", "INV-5004"])
    give_email(s, "Acme Dental Group", "accounts@acme.example",
               [{"FirstName": "Ann", "EmailAddress": "ann@acme.example", "IncludeInEmails": True},
                {"FirstName": "Bob", "EmailAddress": "bob@acme.example", "IncludeInEmails": False}])
    yield s
    s.close()


def test_the_question_names_each_recipient_the_count_and_the_total(session):
    plan = sender(session).prepare(["INV-5004", "INV-5001", "INV-5003", "INV-5002", "INV-7777"], EMAIL)
    assert plan.question.title == "Email 2 invoices from Xero?"
    assert plan.question.button == "Email 2 invoices"
    assert plan.question.details.splitlines() == [
        "INV-5001  Acme Dental Group  AUD 1,633.50  to accounts@acme.example, ann@acme.example",
        "INV-5004  Acme Dental Group  AUD 1,333.75  to accounts@acme.example, ann@acme.example",
        "Total AUD 2,967.25 (2 invoices)",
        "Xero emails each invoice to the addresses named and marks it sent.",
        "",
        "Not sent:",
        "INV-5002 is not known here: audit and sync it first; only approved invoices in Xero are sent.",
        "The Xero contact Harbour Logistics Pty Ltd has no email address, so INV-5003 is not sent: add one to the "
        "contact in Xero, or mark the invoice as sent instead.",
        "INV-7777 is not known here: audit and sync it first; only approved invoices in Xero are sent.",
        "",
        "Invoice emails left today: 1,000 of Xero's 1,000 a day for this organisation (emails sent from Xero "
        "itself count too).",
    ]


def test_reading_who_to_send_to_costs_one_invoice_and_one_contact_call(session):
    before = len(session.sandbox.state()["requests"])
    sender(session).prepare(["INV-5001", "INV-5003", "INV-5004"], EMAIL)
    calls = xero_requests(session, before)
    assert [(m, p.split("?")[0]) for m, p in calls] == [("GET", "/api.xro/2.0/Invoices"),
                                                         ("GET", "/api.xro/2.0/Contacts")]


def test_each_invoice_is_emailed_once_and_a_second_send_says_it_was_sent(session):
    s = sender(session)
    outcomes = s.send(s.prepare(["INV-5001", "INV-5004", "INV-5003"], EMAIL))
    assert [(o.item.invoice_number, o.result) for o in outcomes] == [
        ("INV-5001", "emailed"), ("INV-5003", "not_sent"), ("INV-5004", "emailed")]
    assert outcomes[0].message == "INV-5001: Emailed by Xero to accounts@acme.example, ann@acme.example."
    again = s.send(s.prepare(["INV-5001"], EMAIL))
    assert [(o.result, o.message) for o in again] == [
        ("already_sent", "INV-5001 is already marked as sent in Xero: it is not sent again.")]
    assert emails(session) == [("INV-5001", ["accounts@acme.example", "ann@acme.example"]),
                               ("INV-5004", ["accounts@acme.example", "ann@acme.example"])]
    row = session.store.finishing.get(5001)
    assert (row.sent_how, row.sent_message) == ("email", "")
    assert session.store.finishing.get(5003).sent_how == ""
    assert [(a.action, a.state) for a in session.store.attempts.all(5001) if a.action == "email"] == [("email", "sent")]
    assert s.planner.emails_left(session.connections().tenant_id) == 998


def test_mark_sent_sends_no_email_and_needs_no_address(session):
    s = sender(session)
    plan = s.prepare(["INV-5003"], MARK_SENT)
    assert (plan.question.title, plan.question.details.splitlines()) == (
        "Mark 1 invoice as sent in Xero?",
        ["INV-5003  Harbour Logistics Pty Ltd  AUD 2,970.00", "Total AUD 2,970.00 (1 invoice)",
         "No email is sent: Xero only records them as sent."])
    [o] = s.send(plan)
    assert (o.result, o.message) == ("marked_sent", "INV-5003: Marked as sent in Xero (no email).")
    assert emails(session) == []
    assert session.store.finishing.get(5003).sent_how == "mark_sent"


def test_a_draft_is_not_sent(tmp_path, demo_scenario):
    with open_session(tmp_path / "d", demo_scenario) as s:
        approved(s, ["INV-5001"], status="draft")
        give_email(s, "Acme Dental Group", "accounts@acme.example")
        send = sender(s)
        plan = send.prepare(["INV-5001"], EMAIL)
        assert plan.question.title == "No invoice can be emailed"
        [o] = send.send(plan)
        assert (o.result, o.message) == (
            "not_sent", "INV-5001 is a draft in Xero: approve it in Xero first; only approved invoices are sent.")
        assert emails(s) == []
        assert not any(p.endswith("/Email") for _, p in xero_requests(s))


def test_the_daily_email_limit_stops_the_batch_and_the_next_question_says_none_are_left(session):
    session.sandbox.set_option("xero_daily_email_limit", 1)
    give_email(session, "Harbour Logistics Pty Ltd", "ap@harbour.example")
    s = sender(session)
    outcomes = s.send(s.prepare(["INV-5001", "INV-5003", "INV-5004"], EMAIL))
    assert [(o.item.invoice_number, o.result) for o in outcomes] == [
        ("INV-5001", "emailed"), ("INV-5003", "not_sent"), ("INV-5004", "not_sent")]
    assert outcomes[1].message == ("Xero's daily limit of invoice emails for this organisation is reached: invoice "
                                   "INV-5003 was not sent; send it tomorrow.")
    assert outcomes[2].message == ("INV-5004 is not sent today: Xero's daily limit of invoice emails for this "
                                   "organisation would be passed; send it tomorrow (the limit resets at midnight "
                                   "UTC), or mark it as sent instead.")
    assert emails(session) == [("INV-5001", ["accounts@acme.example", "ann@acme.example"])]
    before = len(session.sandbox.state()["requests"])
    plan = s.prepare(["INV-5004"], EMAIL)
    assert plan.question.details.splitlines()[-1] == (
        "Xero's daily limit of 1,000 invoice emails for this organisation is reached: no more emails today (the "
        "limit resets at midnight UTC).")
    [o] = s.send(plan)
    assert o.result == "not_sent"
    assert not any(p.endswith("/Email") for _, p in xero_requests(session, before))


def test_an_email_whose_answer_never_came_is_settled_by_reading_xero(session):
    """A crash after Xero emailed: the intent is open; the next send reads Xero and never emails again."""
    s = sender(session)
    plan = s.prepare(["INV-5001"], EMAIL)
    [item] = plan.sendable
    key = "depot-mail-crashed"
    session.store.attempts.begin(5001, "INV-5001", key, "email",
                                 {"tenant_id": item.tenant_id, "xero_invoice_id": item.xero_invoice_id}, "test")
    session.connections().xero.finishing.email(item.xero_invoice_id, idempotency_key=key, label="INV-5001")
    [o] = s.send(plan)
    assert (o.result, o.message) == ("emailed", "INV-5001: Emailed by Xero to accounts@acme.example, "
                                                "ann@acme.example.")
    assert emails(session) == [("INV-5001", ["accounts@acme.example", "ann@acme.example"])]
    assert [(a.idempotency_key, a.state) for a in session.store.attempts.all(5001) if a.action == "email"] == [
        (key, "sent")]
    assert session.store.attempts.open(5001) == []  # the sync's reconciling never sees a send attempt


UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
FAULTS = [{"kind": "timeout_after_commit"}, {"kind": "status", "status": 503},
          {"kind": "status", "status": 429, "retryAfter": 2}, {"kind": "drop"}]


def _prepared(tmp_path, scenario, name):
    s = open_session(tmp_path / name, scenario)
    approved(s, ["INV-5001"])
    give_email(s, "Acme Dental Group", "accounts@acme.example")
    return s


@pytest.mark.parametrize("how", [EMAIL, MARK_SENT])
def test_a_fault_at_every_request_of_a_send_never_sends_twice(tmp_path, demo_scenario, how):
    with _prepared(tmp_path, demo_scenario, "probe") as probe:
        s = sender(probe)
        plan = s.prepare(["INV-5001"], how)
        before = len(probe.sandbox.state()["requests"])
        assert [o.result for o in s.send(plan)] == ["emailed" if how == EMAIL else "marked_sent"]
        requests = [(r["method"], r["path"]) for r in probe.sandbox.state()["requests"][before:]]
    writes = [(m, p) for m, p in requests if m != "GET"]
    assert len(writes) == 1 and len(requests) == 2  # the read right before sending, then the one write
    failures = []
    for n, (method, path) in enumerate(requests):
        for kind in FAULTS:
            where = UUID.join(re.escape(part) for part in re.split(UUID, path.split("?")[0]))  # own ids per dir
            fault = {"api": "xero", "method": method, "path": "^" + where + "$", "nth": 1, **kind}
            with _prepared(tmp_path, demo_scenario, f"case-{how}-{n}-{kind['kind']}-{kind.get('status')}") as case:
                s = sender(case)
                plan = s.prepare(["INV-5001"], how)
                case.sandbox.add_fault(fault)
                [first] = s.send(plan)
                final = first if first.ok else s.send(s.prepare(["INV-5001"], how))[0]
                fired = any(r.get("fault") == kind["kind"] for r in case.sandbox.state()["requests"])
                sent = case.store.finishing.get(5001)
                mails = emails(case)
                ok = (fired and final.ok and sent is not None and sent.sent
                      and mails == ([("INV-5001", ["accounts@acme.example"])] if how == EMAIL else [])
                      and (first.ok or first.message))
                if not ok:
                    failures.append(f"{fault}: first={first.result}:{first.message[:80]} final={final.result} "
                                    f"emails={len(mails)} fired={fired}")
    assert not failures, "\n".join(failures)
