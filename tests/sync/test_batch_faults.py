"""Exactly once over batches: a fault at every Xero request of a batched sync, a crash after
Xero's answer, a batch with one invalid invoice, the daily limit. 0 duplicates, 0 lost."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from depot_gui.sandbox.scale import write_scale_scenario
from depot_gui.sync.session.connections import sandbox_connections
from depot_gui.sync.invoices.audit import Auditor
from depot_gui.sync.session.session import Session
from depot_gui.sync.invoices.syncer import Syncer

from .power_cut import sync_until_power_cut

KINDS = [
    {"kind": "timeout_after_commit"},
    {"kind": "status", "status": 503},
    {"kind": "status", "status": 429, "retryAfter": 2},
    {"kind": "drop"},
]
NUMBERS = ["ME-00001", "ME-00002", "ME-00003", "ME-00004"]  # ME-00004 is a credit; company 2 has no contact


@pytest.fixture(scope="module")
def scenario(tmp_path_factory, demo_scenario):
    return write_scale_scenario(demo_scenario, tmp_path_factory.mktemp("sc") / "s.json", 4, 2, credit_every=4)


def open_syncer(data_dir, scenario):
    session = Session.open(data_dir, scenario)
    session._conn = sandbox_connections(session.sandbox, session.store, sleep=lambda s: None)
    return session, Syncer(Auditor(session.store, session._conn), reconcile_delays=(0.0,), sleep=lambda s: None)


def copies(session) -> Counter:
    xs = session.sandbox.state()["xero"]
    found = Counter(d["InvoiceNumber"] for d in xs["Invoices"] if d["Status"] != "DELETED")
    found.update(d["CreditNoteNumber"] for d in xs.get("CreditNotes", []) if d["Status"] != "DELETED")
    return found


def all_synced_once(session) -> list[str]:
    """Problems: a number not in Xero exactly once, or not recorded as synced with that document."""
    problems = []
    found = copies(session)
    xs = session.sandbox.state()["xero"]
    ids = {d["InvoiceNumber"]: d["InvoiceID"] for d in xs["Invoices"]}
    ids.update({d["CreditNoteNumber"]: d["CreditNoteID"] for d in xs.get("CreditNotes", [])})
    for n in NUMBERS:
        row = session.store.invoice_by_number(n)
        if found[n] != 1 or row is None or row.status != "synced" or row.xero_invoice_id != ids.get(n):
            problems.append(f"{n}: copies={found[n]} local={row.status if row else None}")
    return problems


@pytest.fixture(scope="module")
def batch_requests(tmp_path_factory, scenario):
    """The Xero requests one clean batched sync of the four sends."""
    session, syncer = open_syncer(tmp_path_factory.mktemp("probe"), scenario)
    with session:
        before = len(session.sandbox.state()["requests"])
        outcomes = syncer.sync(NUMBERS)
        assert [o.action for o in outcomes] == ["created"] * 4
        assert not all_synced_once(session)
        return [(r["api"], r["method"], r["path"]) for r in session.sandbox.state()["requests"][before:]]


def test_a_batched_sync_of_four_costs_eleven_xero_calls(batch_requests):
    xero = [f"{m} {p.split('/2.0/')[-1]}" for a, m, p in batch_requests if a == "xero"]
    assert sorted(xero) == sorted([
        "GET Accounts", "GET TaxRates", "GET Contacts", "GET Invoices", "GET CreditNotes",  # the audit
        "GET Organisation",  # its base currency, once per organisation (kept in the store)
        "GET Invoices", "GET CreditNotes",  # right before writing: what changed since the audit
        "PUT Contacts", "PUT Invoices", "PUT CreditNotes",  # one batch each
    ]), xero


@pytest.mark.slow
def test_fault_at_every_xero_request_of_a_batched_sync(tmp_path, scenario, batch_requests):
    seen: Counter = Counter()
    cases = []
    for api, method, path in batch_requests:
        seen[(api, method, path)] += 1
        if api == "xero":
            cases += [{"api": api, "method": method, "path": "^" + re.escape(path) + "$",
                       "nth": seen[(api, method, path)], **k} for k in KINDS]
    assert len(cases) == 44  # 11 Xero requests x 4 fault kinds
    failures = []
    for n, fault in enumerate(cases):
        session, syncer = open_syncer(tmp_path / f"case{n}", scenario)
        with session:
            session.sandbox.add_fault(fault)
            first = syncer.sync(NUMBERS)
            if not all(o.ok for o in first):
                assert all(o.message for o in first if not o.ok)
                syncer.sync(NUMBERS)
            problems = all_synced_once(session)
            if problems:
                failures.append(f"{fault}: {problems} first={[o.action for o in first]}")
    assert not failures, "\n".join(failures)


def test_crash_after_xero_answered_a_batch(tmp_path, scenario, monkeypatch):
    session, syncer = open_syncer(tmp_path / "d", scenario)
    with session:
        sync_until_power_cut(monkeypatch, session, syncer, NUMBERS)
        assert Counter(a.state for a in session.store.attempts.all()) == {"intent": 3}  # the invoice batch of three
    session, syncer = open_syncer(tmp_path / "d", scenario)
    with session:
        outcomes = syncer.sync(NUMBERS)
        assert all(o.ok for o in outcomes), [o.message for o in outcomes]
        assert not all_synced_once(session)
        # this desk's three creates landed (a look-up confirmed them), and the credit note was sent now
        assert Counter(a.state for a in session.store.attempts.all()) == {"created": 4}


def test_a_batch_with_one_invalid_invoice(tmp_path, scenario):
    session, syncer = open_syncer(tmp_path / "d", scenario)
    with session:
        xero = session._conn.xero
        real = xero.bulk.create_invoices

        def one_bad(invoices, key):
            bad = [dict(i) for i in invoices]
            bad[1] = {**bad[1], "LineItems": [{**bad[1]["LineItems"][0], "AccountCode": "999"}]}
            return real(bad, key)

        xero.bulk.create_invoices = one_bad
        outcomes = {o.result.invoice_number: o for o in syncer.sync(NUMBERS)}
        assert [outcomes[n].action for n in NUMBERS] == ["created", "failed", "created", "created"]
        assert outcomes["ME-00002"].message.startswith("Xero refused the invoice: ")
        assert session.store.invoice_by_number("ME-00002").status == "error"
        xero.bulk.create_invoices = real
        [again] = syncer.sync(["ME-00002"])
        assert again.action == "created"
        assert not all_synced_once(session)


def test_the_daily_limit_ends_the_batch_cleanly(tmp_path, scenario):
    session, syncer = open_syncer(tmp_path / "d", scenario)
    with session:
        # A Starter organisation with 9 calls left today: the audit and the look-up take 8 (the
        # organisation's base currency read once), the contacts' batch the 9th; the invoices' batch
        # gets Xero's 429 "day".
        session.sandbox.set_option("xero_daily_limit", 9)
        before = len(session.sandbox.state()["requests"])
        outcomes = {o.result.invoice_number: o for o in syncer.sync(NUMBERS)}
        log = session.sandbox.state()["requests"][before:]
        statuses = {session.store.invoice_by_number(n).status for n in NUMBERS}
    assert statuses == {"ready"}
    # Warned before sending: 1 call left, 3 needed (contacts, invoices, credit notes).
    assert syncer.warnings == [
        "Xero allows 1 more call today for this organisation and sending these 4 invoices needs about 3: "
        "about 0 of them fit today; the rest stay ready and say when the limit resets."]
    assert sum(1 for r in log if r["method"] == "PUT" and r["path"].endswith("/Invoices")) == 1  # no retry loop
    assert not any(r["method"] == "PUT" and r["path"].endswith("/CreditNotes") for r in log)  # nothing more sent
    for n in NUMBERS:
        assert outcomes[n].action == "failed" and "still ready" in outcomes[n].message, outcomes[n].message
        assert "daily API limit" in outcomes[n].message and "resets at" in outcomes[n].message



def test_a_document_not_ours_that_appears_before_the_write_is_never_in_the_batch(tmp_path, scenario):
    session, syncer = open_syncer(tmp_path / "d", scenario)
    with session:
        xero = session._conn.xero
        real = syncer._sync_many

        def someone_else_first(ready, outcomes):
            # Between the audit and the write, another app creates ME-00003 (without our mark).
            xero.bulk.create_invoices([{"Type": "ACCREC", "InvoiceNumber": "ME-00003", "Contact": {"Name": "Walk-in"},
                                        "LineItems": [{"Description": "x", "Quantity": 1, "UnitAmount": 5,
                                                       "AccountCode": "200"}]}], "someone-else-1")
            return real(ready, outcomes)

        syncer._sync_many = someone_else_first
        outcomes = {o.result.invoice_number: o for o in syncer.sync(NUMBERS)}
        found = copies(session)
    assert outcomes["ME-00003"].action == "refused" and outcomes["ME-00003"].result.status == "conflict"
    assert [outcomes[n].action for n in ("ME-00001", "ME-00002", "ME-00004")] == ["created"] * 3
    assert found["ME-00003"] == 1  # only the other app's document
