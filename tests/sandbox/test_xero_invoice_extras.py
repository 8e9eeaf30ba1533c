"""Xero's invoice attachments, invoice email, SentToContact and online invoice, through HTTP."""

from __future__ import annotations

import pytest

from .helpers import SCOPE, TENANT, client, connect, xero_headers

API = "/api.xro/2.0"
PDF = b"%PDF-1.4 invoice 5001\n%%EOF\n"


@pytest.fixture
def xa(demo):
    """(sandbox, client) whose grant includes accounting.attachments."""
    c = client(demo)
    tokens = connect(c, scope=SCOPE + " accounting.attachments")
    c.headers.update(xero_headers(tokens["access_token"]))
    yield demo, c
    c.close()


def make_invoice(c, number="INV-7001", status="AUTHORISED", email="accounts@bluegum.example", persons=None,
                 type_="ACCREC"):
    contact = {"Name": f"Bluegum {number}", "EmailAddress": email}
    if persons is not None:
        contact["ContactPersons"] = persons
    r = c.put(f"{API}/Contacts", json={"Contacts": [contact]})
    assert r.status_code == 200, r.text
    contact_id = r.json()["Contacts"][0]["ContactID"]
    inv = {"Type": type_, "Contact": {"ContactID": contact_id}, "InvoiceNumber": number, "Date": "2026-11-01",
           "DueDate": "2026-11-15", "Status": status,
           "LineItems": [{"Description": "Seat", "Quantity": "1", "UnitAmount": "100.00", "AccountCode": "200",
                          "TaxType": "OUTPUT"}]}
    r = c.put(f"{API}/Invoices", json={"Invoices": [inv]})
    assert r.status_code == 200, r.text
    return r.json()["Invoices"][0]["InvoiceID"]


def attach(c, inv_id, name="INV-5001.pdf", body=PDF, online=True, method="PUT", **headers):
    url = f"{API}/Invoices/{inv_id}/Attachments/{name}" + ("?IncludeOnline=true" if online else "")
    return c.request(method, url, content=body, headers={"Content-Type": "application/pdf", **headers})


def messages(r):
    return [m["Message"] for el in r.json()["Elements"] for m in el["ValidationErrors"]]


# -- attachments -----------------------------------------------------------------------------------

def test_attachment_put_list_and_read_back(xa):
    sb, c = xa
    inv_id = make_invoice(c)
    r = attach(c, inv_id)
    assert r.status_code == 200, r.text
    att = r.json()["Attachments"][0]
    assert (att["FileName"], att["MimeType"], att["ContentLength"], att["IncludeOnline"]) == (
        "INV-5001.pdf", "application/pdf", 28, True)
    assert att["Url"] == f"http://sandbox.invalid/api.xro/2.0/Invoices/{inv_id}/Attachments/INV-5001.pdf"
    listed = c.get(f"{API}/Invoices/{inv_id}/Attachments").json()["Attachments"]
    assert [(a["AttachmentID"], a["FileName"]) for a in listed] == [(att["AttachmentID"], "INV-5001.pdf")]
    got = c.get(f"{API}/Invoices/{inv_id}/Attachments/INV-5001.pdf")
    assert (got.status_code, got.content, got.headers["content-type"]) == (200, PDF, "application/pdf")
    assert c.get(f"{API}/Invoices/{inv_id}/Attachments/{att['AttachmentID']}").content == PDF
    assert c.get(f"{API}/Invoices/{inv_id}").json()["Invoices"][0]["HasAttachments"] is True


def test_same_file_name_is_replaced_never_added_twice(xa):
    sb, c = xa
    inv_id = make_invoice(c)
    first = attach(c, inv_id).json()["Attachments"][0]
    second = attach(c, inv_id, body=b"%PDF-1.4 v2\n").json()["Attachments"][0]
    assert second["AttachmentID"] == first["AttachmentID"]
    listed = c.get(f"{API}/Invoices/{inv_id}/Attachments").json()["Attachments"]
    assert [(a["FileName"], a["ContentLength"]) for a in listed] == [("INV-5001.pdf", 12)]
    assert list(sb.state()["xero"]["Attachments"]) == [inv_id.lower()]


def test_idempotency_key_replays_the_attachment(xa):
    _, c = xa
    inv_id = make_invoice(c)
    a = attach(c, inv_id, **{"Idempotency-Key": "att-1"})
    b = attach(c, inv_id, **{"Idempotency-Key": "att-1"})
    assert (b.status_code, b.headers.get("Idempotent-Replayed"), b.text) == (200, "true", a.text)


def test_post_updates_and_include_online_only_on_sales_invoices(xa):
    _, c = xa
    inv_id = make_invoice(c)
    assert attach(c, inv_id, method="POST", online=False).json()["Attachments"][0].get("IncludeOnline") is None
    bill = make_invoice(c, number="BILL-1", type_="ACCPAY")
    r = attach(c, bill)
    assert (r.status_code, messages(r)) == (400, ["IncludeOnline can only be set for a sales invoice (ACCREC)."])
    assert attach(c, bill, online=False).status_code == 200


def test_size_and_count_limits(xa):
    sb, c = xa
    inv_id = make_invoice(c)
    r = attach(c, inv_id, body=b"x" * (10 * 1024 * 1024 + 1))
    assert r.status_code == 413
    assert r.json()["Message"] == "The attachment is 10485761 bytes; the limit is 10485760 bytes."
    assert attach(c, inv_id, body=b"x" * (10 * 1024 * 1024)).status_code == 200
    for i in range(9):
        assert attach(c, inv_id, name=f"f{i}.pdf").status_code == 200
    r = attach(c, inv_id, name="eleventh.pdf")
    assert (r.status_code, messages(r)) == (400, ["A document can have at most 10 attachments."])
    assert attach(c, inv_id, name="f0.pdf").status_code == 200  # replacing one is still allowed
    r = attach(c, inv_id, name="empty.pdf", body=b"")
    assert messages(r) == ["The attachment is empty.", "A document can have at most 10 attachments."]


def test_attachments_need_their_scope(xero):
    _, c = xero  # granted without accounting.attachments
    inv_id = make_invoice(c)
    r = attach(c, inv_id)
    assert (r.status_code, r.json()["Detail"]) == (
        403, "AuthorizationUnsuccessful: the accounting.attachments scope was not granted")
    assert r.headers["WWW-Authenticate"] == 'Bearer error="insufficient_scope"'
    assert c.get(f"{API}/Invoices/{inv_id}/Attachments").status_code == 403


def test_attachment_on_unknown_invoice_or_file(xa):
    _, c = xa
    assert attach(c, "00000000-0000-4000-8000-000000000000").status_code == 404
    inv_id = make_invoice(c)
    assert c.get(f"{API}/Invoices/{inv_id}/Attachments/nothing.pdf").status_code == 404
    assert c.delete(f"{API}/Invoices/{inv_id}/Attachments/x.pdf").status_code == 405


# -- email, SentToContact, online invoice ----------------------------------------------------------

def test_email_marks_sent_and_records_the_recipients(xero):
    sb, c = xero
    persons = [{"FirstName": "Ann", "EmailAddress": "ann@bluegum.example", "IncludeInEmails": True},
               {"FirstName": "Bob", "EmailAddress": "bob@bluegum.example", "IncludeInEmails": False}]
    inv_id = make_invoice(c, persons=persons)
    r = c.post(f"{API}/Invoices/{inv_id}/Email", json={})
    assert (r.status_code, r.content) == (204, b"")
    assert c.get(f"{API}/Invoices/{inv_id}").json()["Invoices"][0]["SentToContact"] is True
    sent = sb.state()["xero"]["SentEmails"]
    assert [(e["InvoiceNumber"], e["To"]) for e in sent] == [
        ("INV-7001", ["accounts@bluegum.example", "ann@bluegum.example"])]


@pytest.mark.parametrize("status, ok", [("DRAFT", False), ("SUBMITTED", True), ("AUTHORISED", True)])
def test_email_status_rules(xero, status, ok):
    _, c = xero
    inv_id = make_invoice(c, status=status)
    r = c.post(f"{API}/Invoices/{inv_id}/Email", json={})
    if ok:
        assert r.status_code == 204
    else:
        assert (r.status_code, messages(r)) == (400, [
            "An invoice with status DRAFT cannot be emailed; it must be SUBMITTED, AUTHORISED or PAID."])


def test_email_needs_an_address_and_a_sales_invoice(xero):
    _, c = xero
    r = c.post(f"{API}/Invoices/{make_invoice(c, email='')}/Email", json={})
    assert (r.status_code, messages(r)) == (400, ["The contact has no email address."])
    r = c.post(f"{API}/Invoices/{make_invoice(c, number='BILL-2', type_='ACCPAY')}/Email", json={})
    assert messages(r) == ["Only sales invoices (ACCREC) can be emailed."]


def test_daily_email_limit_resets_next_utc_day(xero):
    sb, c = xero
    sb.set_option("xero_daily_email_limit", 2)
    ids = [make_invoice(c, number=f"INV-71{i}") for i in range(3)]
    assert [c.post(f"{API}/Invoices/{i}/Email", json={}).status_code for i in ids] == [204, 204, 400]
    r = c.post(f"{API}/Invoices/{ids[2]}/Email", json={})
    assert messages(r) == ["Daily Email Rate Limit Exceeded: the organisation has sent 2 invoice emails today."]
    assert c.get(f"{API}/Invoices/{ids[2]}").json()["Invoices"][0]["SentToContact"] is False
    sb.advance_clock(24 * 3600)
    c.headers.update(xero_headers(connect(c)["access_token"]))  # the old token expired meanwhile
    assert c.post(f"{API}/Invoices/{ids[2]}/Email", json={}).status_code == 204


def test_sent_to_contact_by_post_only_once_approved(xero):
    _, c = xero
    draft = make_invoice(c, number="INV-7101", status="DRAFT")
    r = c.post(f"{API}/Invoices/{draft}", json={"Invoices": [{"SentToContact": True}]})
    assert (r.status_code, messages(r)) == (400, ["SentToContact can only be set on an approved invoice."])
    approved = make_invoice(c, number="INV-7102")
    r = c.post(f"{API}/Invoices/{approved}", json={"Invoices": [{"SentToContact": True}]})
    assert (r.status_code, r.json()["Invoices"][0]["SentToContact"]) == (200, True)


def test_online_invoice_only_once_not_a_draft(xero):
    _, c = xero
    draft = make_invoice(c, number="INV-7201", status="DRAFT")
    r = c.get(f"{API}/Invoices/{draft}/OnlineInvoice")
    assert (r.status_code, messages(r)) == (400, [
        "An invoice with status DRAFT has no online invoice; approve it first."])
    approved = make_invoice(c, number="INV-7202")
    url = c.get(f"{API}/Invoices/{approved}/OnlineInvoice").json()["OnlineInvoices"][0]["OnlineInvoiceUrl"]
    assert url.startswith("https://in.xero.com/") and len(url) == len("https://in.xero.com/") + 40
    assert c.get(f"{API}/Invoices/INV-7202/OnlineInvoice").json()["OnlineInvoices"][0]["OnlineInvoiceUrl"] == url
    assert c.post(f"{API}/Invoices/{approved}/OnlineInvoice", json={}).status_code == 405
