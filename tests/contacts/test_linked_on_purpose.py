"""Contacts linked on purpose (issue 14 part 2), through the real engine, clients, store and sandbox.

The demo tenant with one change: Xero already has "Harbour Logistics" while the Autotask
company of INV-5003 is "Harbour Logistics Pty Ltd" - the same name apart from a legal suffix.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from depot_gui.core.contacts import AUTO, CREATED, LINKED, ContactLink
from depot_gui.sync.contacts.desk import BROKEN, CHOOSE, NEW, ContactDesk, ContactError
from depot_gui.sync.session.session import Session

DEMO = Path(__file__).resolve().parents[2] / "tests" / "scenarios" / "demo.json"  # the five-invoice demo
HARBOUR = "9a0b1c2d-0000-4000-8000-000000000102"


def harbour(tmp_path: Path, **more) -> Path:
    data = json.loads(DEMO.read_text())
    data["xero"]["Contacts"].append({"ContactID": HARBOUR, "Name": "Harbour Logistics", "ContactStatus": "ACTIVE"})
    for c in more.get("contacts", []):
        data["xero"]["Contacts"].append(c)
    path = tmp_path / "scenario.json"
    path.write_text(json.dumps(data))
    return path


@pytest.fixture
def session(tmp_path):
    with Session.open(tmp_path / "data", harbour(tmp_path)) as s:
        s.connections()
        yield s


def xero_contacts(s: Session) -> list[str]:
    return sorted(c["Name"] for c in s.sandbox.state()["xero"]["Contacts"])


def invoice_contact(s: Session, number: str) -> str:
    state = s.sandbox.state()["xero"]
    doc = next(i for i in state["Invoices"] if i["InvoiceNumber"] == number)
    return doc["Contact"]["ContactID"]


def test_a_close_contact_makes_the_invoice_wait_and_nothing_is_created(session):
    r = session.auditor().audit(["INV-5003"])[0]
    assert r.status == "error"
    assert r.explanation.startswith(
        "Not synced yet: Xero has no contact named \u201cHarbour Logistics Pty Ltd\u201d, but has a close one: "
        "\u201cHarbour Logistics\u201d (same name apart from punctuation, case or a legal suffix)."
    )
    assert r.extra["contact_choice"] == {
        "company_id": 102, "company": "Harbour Logistics Pty Ltd",
        "candidates": [{"contact_id": HARBOUR, "name": "Harbour Logistics", "account_number": "",
                        "reason": "same name apart from punctuation, case or a legal suffix"}],
    }
    outcome = session.syncer().sync(["INV-5003"])[0]
    assert (outcome.action, outcome.result.status) == ("refused", "error")
    assert xero_contacts(session) == ["Acme Dental Group", "Harbour Logistics"]
    assert [i["InvoiceNumber"] for i in session.sandbox.state()["xero"]["Invoices"]] == []


def test_linking_sends_the_invoice_to_the_chosen_contact(session):
    session.auditor().audit(["INV-5003"])
    desk = ContactDesk(session.store, session.connections())
    row = desk.link(desk.company("Harbour Logistics Pty Ltd"), desk.contact("harbour logistics"))
    assert (row.state, row.contact_id, row.invoices) == (LINKED, HARBOUR, ("INV-5003",))
    assert session.auditor().audit(["INV-5003"])[0].status == "ready"
    assert session.syncer().sync(["INV-5003"])[0].result.status == "synced"
    assert invoice_contact(session, "INV-5003") == HARBOUR
    assert xero_contacts(session) == ["Acme Dental Group", "Harbour Logistics"]


def test_creating_makes_one_new_contact_once(session):
    session.auditor().audit(["INV-5003"])
    desk = ContactDesk(session.store, session.connections())
    company = desk.company("102")
    row = desk.create(company)
    assert (row.state, row.contact_name) == (CREATED, "Harbour Logistics Pty Ltd")
    with pytest.raises(ContactError) as again:
        desk.create(company)
    assert str(again.value) == ("Xero already has a contact called \u201cHarbour Logistics Pty Ltd\u201d; "
                                "link it instead.")
    assert session.syncer().sync(["INV-5003"])[0].result.status == "synced"
    assert invoice_contact(session, "INV-5003") == row.contact_id
    assert xero_contacts(session) == ["Acme Dental Group", "Harbour Logistics", "Harbour Logistics Pty Ltd"]


def test_the_list_shows_unlinked_companies_with_their_candidates(session):
    session.auditor().audit()
    rows = ContactDesk(session.store, session.connections()).companies()
    assert [(r.company_name, r.state, [c.name for c in r.candidates], r.invoices) for r in rows] == [
        ("Bluegum Legal", NEW, [], ("INV-5002", "INV-5005")),
        ("Harbour Logistics Pty Ltd", CHOOSE, ["Harbour Logistics"], ("INV-5003",)),
    ]
    everyone = ContactDesk(session.store, session.connections()).companies(include_linked=True)
    assert [(r.company_name, r.state) for r in everyone] == [
        ("Acme Dental Group", "match"), ("Bluegum Legal", NEW), ("Harbour Logistics Pty Ltd", CHOOSE),
    ]


def test_a_chosen_contact_archived_in_xero_stops_the_invoice_with_a_way_out(session):
    session.auditor().audit(["INV-5003"])
    desk = ContactDesk(session.store, session.connections())
    desk.link(desk.company("Harbour Logistics Pty Ltd"), desk.contact(HARBOUR))
    xero = session.connections().xero
    xero._write("POST", "Contacts", "Contacts", {"ContactID": HARBOUR, "ContactStatus": "ARCHIVED"},
                "test-archive-harbour", unitdp=False)
    session.sandbox.advance_clock(600)
    r = session.auditor().audit(["INV-5003"])[0]
    assert (r.status, r.explanation) == ("error", (
        "Not synced: the Xero contact \u201cHarbour Logistics\u201d chosen for Harbour Logistics Pty Ltd is archived "
        "in Xero. Restore it in Xero, or choose another contact for this company, then press Re-sync."))
    assert [c.state for c in ContactDesk(session.store, session.connections()).companies()
            if c.company_id == 102] == [BROKEN]
    with pytest.raises(ContactError):  # a new action, a new desk: archived, cannot be linked again
        ContactDesk(session.store, session.connections()).contact("Harbour Logistics")


def test_a_contact_a_sync_created_stays_the_companys_after_a_rename_in_xero(session):
    assert session.syncer().sync(["INV-5005"])[0].result.status == "synced"  # creates "Bluegum Legal"
    links = session.store.contact_links.of(session.connections().tenant_id)
    assert [(l.company_id, l.contact_name, l.decision) for l in links.values()] == [(101, "Bluegum Legal", AUTO)]
    made = links[101].contact_id
    xero = session.connections().xero
    xero._write("POST", "Contacts", "Contacts", {"ContactID": made, "Name": "Bluegum Legal Partners"},
                "test-rename-bluegum", unitdp=False)
    session.sandbox.advance_clock(600)
    r = session.auditor().audit(["INV-5002"])[0]
    assert r.draft.contact.contact_id == made


def test_links_are_per_organisation(session):
    tenant = session.connections().tenant_id
    session.store.contact_links.save(tenant, ContactLink(102, HARBOUR, "Harbour Logistics", LINKED, "Harbour"))
    assert list(session.store.contact_links.of(tenant)) == [102]
    assert session.store.contact_links.of("another-organisation") == {}
    assert session.store.contact_links.drop(tenant, 102) is True
    assert session.store.contact_links.of(tenant) == {}


def test_a_link_to_a_contact_archived_before_the_first_read_is_named_archived(tmp_path):
    old = "9a0b1c2d-0000-4000-8000-0000000000a1"
    scenario = harbour(tmp_path, contacts=[{"ContactID": old, "Name": "Bluegum Legal (old)",
                                            "ContactStatus": "ARCHIVED"}])
    with Session.open(tmp_path / "data", scenario) as s:
        tenant = s.connections().tenant_id
        s.store.contact_links.save(tenant, ContactLink(101, old, "Bluegum Legal (old)", LINKED, "Bluegum Legal"))
        r = s.auditor().audit(["INV-5005"])[0]
    assert r.explanation.startswith("Not synced: the Xero contact \u201cBluegum Legal (old)\u201d chosen for "
                                    "Bluegum Legal is archived in Xero.")


def test_the_directory_is_read_1000_a_call_then_only_what_changed(tmp_path):
    many = [{"ContactID": f"00000000-0000-4000-8000-{n:012d}", "Name": f"Customer {n:04d}",
             "ContactStatus": "ACTIVE", "UpdatedDateUTC": "2026-10-01T00:00:00"} for n in range(2500)]
    with Session.open(tmp_path / "data", harbour(tmp_path, contacts=many)) as s:
        s.connections()
        log = lambda since: [r["path"] for r in s.sandbox.state()["requests"][since:]  # noqa: E731
                             if r["api"] == "xero" and r["path"].lower().endswith("/contacts")]
        start = len(s.sandbox.state()["requests"])
        assert len(ContactDesk(s.store, s.connections()).directory()) == 2502
        assert len(log(start)) == 3
        s.sandbox.advance_clock(600)
        start = len(s.sandbox.state()["requests"])
        ContactDesk(s.store, s.connections()).directory()
        assert len(log(start)) == 1


def test_the_store_keeps_only_what_matching_needs_of_a_contact(tmp_path):
    person = {"ContactID": "9a0b1c2d-0000-4000-8000-0000000000b1", "Name": "Northwind Traders", "AccountNumber": "N1",
              "ContactStatus": "ACTIVE", "EmailAddress": "accounts@northwind.example",
              "Phones": [{"PhoneType": "DEFAULT", "PhoneNumber": "5550100"}]}
    with Session.open(tmp_path / "data", harbour(tmp_path, contacts=[person])) as s:
        tenant = s.connections().tenant_id
        found = [c for c in ContactDesk(s.store, s.connections()).directory() if c.name == "Northwind Traders"]
        cached = s.store.xero_cache.rows(tenant, "contact")[person["ContactID"]]
    assert [(c.contact_id, c.account_number) for c in found] == [(person["ContactID"], "N1")]
    assert sorted(cached) == ["AccountNumber", "ContactID", "ContactStatus", "Name", "UpdatedDateUTC"]
