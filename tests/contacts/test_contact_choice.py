"""After a contact choice the company's waiting invoices are audited again (never sent)."""

from __future__ import annotations

import pytest

from depot_gui.sync.contacts.recheck import recheck_company, waiting_ids
from depot_gui.sync.contacts.desk import ContactDesk
from depot_gui.sync.session.session import Session

from .test_linked_on_purpose import harbour


@pytest.fixture
def session(tmp_path):
    with Session.open(tmp_path / "data", harbour(tmp_path)) as s:
        s.connections()
        s.auditor().audit()
        yield s


def test_waiting_ids_are_the_companys_unsynced_invoices(session):
    assert waiting_ids(session.store, 102) == [5003]
    assert waiting_ids(session.store, 101) == [5002, 5005]
    assert waiting_ids(session.store, 999) == []


def test_link_then_recheck_makes_the_invoice_ready_and_sends_nothing(session):
    desk = ContactDesk(session.store, session.connections())
    row = desk.link(desk.company("102"), desk.contact("Harbour Logistics"))
    done = recheck_company(session.auditor(), row)
    assert [(r.invoice_number, r.status) for r in done.results] == [("INV-5003", "ready")]
    assert done.message() == ("Harbour Logistics Pty Ltd now goes to the Xero contact \u201cHarbour Logistics\u201d. "
                              "INV-5003 is ready to sync (not sent yet).")
    assert session.store.invoice(5003).status == "ready"
    assert session.sandbox.state()["xero"]["Invoices"] == []


def test_forget_then_recheck_makes_it_wait_again(session):
    desk = ContactDesk(session.store, session.connections())
    company = desk.company("102")
    desk.link(company, desk.contact("Harbour Logistics"))
    recheck_company(session.auditor(), [c for c in desk.companies(include_linked=True) if c.company_id == 102][0])
    desk.unlink(company)
    row = [c for c in desk.companies() if c.company_id == 102][0]
    done = recheck_company(session.auditor(), row)
    assert done.message() == ("Harbour Logistics Pty Ltd: choose: 1 close contact in Xero. "
                              "Not ready: INV-5003 (select one to see why).")
    assert session.store.invoice(5003).status == "error"
