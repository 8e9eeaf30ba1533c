"""Payments back on the demo tenant: Xero's payment state read in batches, Autotask's paidDate written once."""

from __future__ import annotations

import pytest

from depot_gui.sync.payments.payments_back import OFF_MESSAGE, READ_ONLY_MESSAGE
from depot_gui.sync.session.session import Session


@pytest.fixture
def session(tmp_path, demo_scenario):
    with Session.open(tmp_path / "data", demo_scenario) as s:
        s.set_setting("xero_status", "authorised")  # Xero takes payments only on approved invoices
        yield s


def requests(session, api=None, method=None):
    return [r for r in session.sandbox.state()["requests"]
            if (api is None or r["api"] == api) and (method is None or r["method"] == method)]


def at_paid_date(session, autotask_id):
    inv = next(i for i in session.sandbox.state()["autotask"]["entities"]["Invoices"] if i["id"] == autotask_id)
    return inv.get("paidDate")


def synced(session, *numbers):
    for n in numbers:
        [o] = session.syncer().sync([n])
        assert o.ok, o.message


def test_paid_invoice_gets_autotask_paid_date_once(session):
    synced(session, "INV-5001")
    session.sandbox.pay_invoice("INV-5001", on="2026-11-18")
    report = session.payments().run()
    [check] = report.checks
    assert (check.invoice_number, check.row.state, check.row.written, check.wrote_now) == (
        "INV-5001", "paid", "written", True)
    assert check.row.message == "Paid in full in Xero on 2026-11-18. Autotask's paid date set to 2026-11-18."
    assert at_paid_date(session, 5001) == "2026-11-18T00:00:00"
    assert session.store.invoice(5001).payment_state == "paid"
    assert report.summary() == "Payments checked for 1 invoices: 1 paid. Autotask paid date written for 1."
    calls = len(requests(session))
    again = session.payments().run()  # paid in full is final: not read again, nothing written again
    assert [(c.row.state, c.row.written, c.wrote_now) for c in again.checks] == [("paid", "written", False)]
    assert again.checks[0].row == check.row
    assert again.summary() == "Payments checked for 1 invoices: 1 paid (1 paid earlier, not read again)."
    assert len(requests(session)) == calls
    patches = len(requests(session, "autotask", "PATCH"))
    recheck = session.payments(recheck_paid=True).run()  # read again: still paid, Autotask not asked again
    assert [(c.row.state, c.row.written, c.wrote_now) for c in recheck.checks] == [("paid", "written", False)]
    assert recheck.checks[0].row.message == "Paid in full in Xero on 2026-11-18. Autotask's paid date is 2026-11-18."
    assert len(requests(session, "autotask", "PATCH")) == patches  # written once, never again


def test_part_paid_writes_nothing(session):
    session.sandbox.mutate_autotask("Invoices", 5001, {"dueDate": "2026-12-15T00:00:00"})
    synced(session, "INV-5001")
    session.sandbox.pay_invoice("INV-5001", "500.00")
    before = len(requests(session, "autotask"))
    [check] = session.payments().run().checks
    assert (check.row.state, check.row.written, check.wrote_now) == ("part_paid", "", False)
    assert (check.row.amount_paid, check.row.amount_due, check.row.due_date) == ("500.00", "1133.50", "2026-12-15")
    assert check.row.message == "Part paid: AUD 500.00 of AUD 1,633.50 paid, AUD 1,133.50 still due, due on 2026-12-15."
    assert len(requests(session, "autotask")) == before  # Autotask is not even asked
    assert at_paid_date(session, 5001) is None
    assert session.store.invoice(5001).payment_state == "part_paid"


def test_overdue_and_draft_unpaid(session):
    synced(session, "INV-5001")  # due 2026-11-15; the scenario's today is 2026-11-20
    session.set_setting("xero_status", "draft")
    synced(session, "INV-5005")
    checks = {c.invoice_number: c.row for c in session.payments().run().checks}
    assert (checks["INV-5001"].state, checks["INV-5001"].message) == (
        "overdue", "Overdue: AUD 1,633.50 of AUD 1,633.50 was due on 2026-11-15.")
    assert (checks["INV-5005"].state, checks["INV-5005"].message) == (
        "unpaid", "Unpaid: the Xero invoice is not approved yet.")
    assert [(r.invoice_number, r.payment_state) for r in session.store.invoices() if r.status == "synced"] == [
        ("INV-5001", "overdue"), ("INV-5005", "unpaid")]


def test_paid_date_set_in_autotask_is_never_overwritten(session):
    synced(session, "INV-5001")
    session.sandbox.mutate_autotask("Invoices", 5001, {"paidDate": "2026-11-17T00:00:00"})
    session.sandbox.pay_invoice("INV-5001", on="2026-11-19")
    patches = len(requests(session, "autotask", "PATCH"))
    [check] = session.payments().run().checks
    assert (check.row.state, check.row.written, check.wrote_now, check.row.autotask_paid_date) == (
        "paid", "kept", False, "2026-11-17")
    assert check.row.message == ("Paid in full in Xero on 2026-11-19. Autotask already has paid date 2026-11-17; "
                                 "left as it is.")
    assert at_paid_date(session, 5001) == "2026-11-17T00:00:00"
    assert len(requests(session, "autotask", "PATCH")) == patches


def test_read_only_paid_date_is_not_written_and_said(session):
    synced(session, "INV-5001")
    session.sandbox.set_option("autotask_paid_date_writable", False)
    session.sandbox.pay_invoice("INV-5001", on="2026-11-18")
    patches = len(requests(session, "autotask", "PATCH"))
    report = session.payments().run()
    [check] = report.checks
    assert (check.row.state, check.row.written, check.wrote_now, report.paid_date_read_only) == (
        "paid", "read_only", False, True)
    assert check.row.message == "Paid in full in Xero on 2026-11-18. " + READ_ONLY_MESSAGE
    assert READ_ONLY_MESSAGE in report.summary()
    assert len(requests(session, "autotask", "PATCH")) == patches
    assert at_paid_date(session, 5001) is None
    session.sandbox.set_option("autotask_paid_date_writable", True)  # the admin grants it: next check writes
    [check] = session.payments().run().checks
    assert (check.row.written, check.wrote_now) == ("written", True)
    assert at_paid_date(session, 5001) == "2026-11-18T00:00:00"


def test_setting_off_makes_no_calls(session):
    synced(session, "INV-5001")
    session.sandbox.pay_invoice("INV-5001")
    session.set_setting("payments_back", "off")
    before = len(requests(session))
    report = session.payments().run()
    assert (report.enabled, report.checks, report.summary()) == (False, [], OFF_MESSAGE)
    assert len(requests(session)) == before
    assert session.store.invoice(5001).payment_state is None
    assert at_paid_date(session, 5001) is None


def test_a_document_without_our_mark_is_not_read(session):
    synced(session, "INV-5001")
    xero_id = session.store.invoice(5001).xero_invoice_id
    with session.sandbox.store.transaction() as data:  # someone retypes the Reference in Xero
        books = next(iter(data["xero"]["tenants"].values()))
        doc = next(d for d in books["Invoices"] if d["InvoiceID"] == xero_id)
        doc["Reference"] = "PO 77"
    session.sandbox.pay_invoice("INV-5001")
    [check] = session.payments().run().checks
    assert (check.row.state, check.row.written) == (None, "")
    assert check.row.message == ("The Xero document under this number does not carry Depot GUI's mark for this "
                                 "Autotask invoice, so its payments are not read.")
    assert at_paid_date(session, 5001) is None
