"""Month-end at scale: Xero calls do not grow per invoice (counted in the sandbox's request log).

A regression that adds a call per invoice or per company fails here: the counts are pinned.
"""

from __future__ import annotations

import pytest

from depot_gui.sandbox.scale import write_scale_scenario
from depot_gui.sync.session.session import Session


def xero_calls(session, since):
    return [f"{r['method']} {r['path']}" for r in session.sandbox.state()["requests"][since:] if r["api"] == "xero"]


@pytest.fixture
def month_end(tmp_path, demo_scenario):
    def open_(n, companies, **kw):
        scenario = write_scale_scenario(demo_scenario, tmp_path / f"s{n}.json", n, companies, **kw)
        session = Session.open(tmp_path / f"d{n}", scenario)
        session.connections()
        return session
    return open_


def test_audit_of_200_invoices_over_40_companies_costs_10_xero_calls_then_4(month_end):
    with month_end(200, 40) as s:
        start = len(s.sandbox.state()["requests"])
        results = s.auditor().audit()
        first = xero_calls(s, start)
        assert len(results) == 200 and {r.status for r in results} == {"ready"}
        # the contacts are the organisation's whole directory, in one call (1,000 a page); the
        # organisation (its base currency) once, kept in the store
        assert sorted(first) == sorted(
            ["GET /api.xro/2.0/Accounts", "GET /api.xro/2.0/TaxRates", "GET /api.xro/2.0/Contacts",
             "GET /api.xro/2.0/Organisation", "GET /api.xro/2.0/CreditNotes"] + ["GET /api.xro/2.0/Invoices"] * 5
        ), first
        again_start = len(s.sandbox.state()["requests"])
        again = s.auditor().audit()
        second = xero_calls(s, again_start)
        assert [r.status for r in again] == [r.status for r in results]
        # accounts, contacts, invoices and credit notes changed since the first audit; tax rates once a session
        assert sorted(second) == ["GET /api.xro/2.0/Accounts", "GET /api.xro/2.0/Contacts",
                                  "GET /api.xro/2.0/CreditNotes", "GET /api.xro/2.0/Invoices"]


def test_the_cache_sees_what_changed_in_xero_between_audits(month_end):
    with month_end(4, 2, contacts_every=2, credit_every=0) as s:
        first = {r.invoice_number: r for r in s.auditor().audit()}
        assert first["ME-00002"].draft.contact.exists is False  # company 2 has no Xero contact yet
        xero = s.connections().xero
        s.sandbox.advance_clock(5)
        created = xero.bulk.create_contacts([{"Name": "Scale Client 002 Pty Ltd"}], "test-contact-1")[0].answer
        doc = first["ME-00001"].draft.payload("DRAFT")
        xero.bulk.create_invoices([doc], "test-invoice-1")
        second = {r.invoice_number: r for r in s.auditor().audit()}
    assert second["ME-00002"].draft.contact.contact_id == created["ContactID"]
    assert second["ME-00001"].status == "synced"
    assert second["ME-00003"].status == "ready"


def test_forgetting_the_cache_reads_everything_again(month_end):
    with month_end(10, 5) as s:
        s.auditor().audit()
        s.store.xero_cache.forget()
        start = len(s.sandbox.state()["requests"])
        s.auditor().audit()
        calls = xero_calls(s, start)
    assert calls.count("GET /api.xro/2.0/Accounts") == 1 and calls.count("GET /api.xro/2.0/Invoices") == 1
    # accounts, tax rates, contacts by OR, the organisation, invoices by number (no credits among these 10)
    assert sorted(calls) == ["GET /api.xro/2.0/Accounts", "GET /api.xro/2.0/Contacts", "GET /api.xro/2.0/Invoices",
                             "GET /api.xro/2.0/Organisation", "GET /api.xro/2.0/TaxRates"]


def test_rows_are_reported_as_they_are_recorded(month_end):
    with month_end(60, 6, credit_every=0) as s:
        auditor = s.auditor()
        seen: list[list[int]] = []
        auditor.on_recorded = seen.append
        auditor.audit()
        assert [len(ids) for ids in seen] == [25, 25, 10]
        syncer = s.syncer()
        reported: list[list[int]] = []
        syncer.auditor.on_recorded = reported.append
        syncer.sync(["ME-00001", "ME-00002", "ME-00003"])
    # the sync's own audit (one report), then its one batch
    assert [len(ids) for ids in reported] == [3, 3]
