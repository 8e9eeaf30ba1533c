"""XeroClient.finishing against the sandbox: attachments once, email, mark sent, online link, refusals."""

from __future__ import annotations

import pytest

from depot_gui.sandbox import Sandbox
from depot_gui.xero import XeroClient
from depot_gui.xero.errors import (
    XeroAttachmentScopeMissing,
    XeroAttachmentsFull,
    XeroAttachmentTooLarge,
    XeroEmailLimitReached,
    XeroNoEmailAddress,
    XeroNotApproved,
)
from tests.sandbox.helpers import DEMO, SCOPE, TENANT, client, connect

ROOT = "http://sandbox.invalid"
PDF = b"%PDF-1.4 Autotask invoice 5001\n%%EOF\n"


def xero_client(sb, scope=SCOPE + " accounting.attachments") -> XeroClient:
    with client(sb) as c:
        token = connect(c, scope=scope)["access_token"]
    return XeroClient(lambda: token, TENANT, api_root=ROOT, transport=sb.transport(), sleep=lambda s: None)


@pytest.fixture
def sb():
    return Sandbox.open(DEMO)


def invoice(x: XeroClient, number: str, status="AUTHORISED", email="accounts@bluegum.example") -> str:
    contact = x.create_contact({"Name": f"Bluegum {number}", "EmailAddress": email}, f"contact-{number}")
    made = x.create_invoice({"Type": "ACCREC", "Contact": {"ContactID": contact["ContactID"]},
                             "InvoiceNumber": number, "Date": "2026-11-01", "DueDate": "2026-11-15",
                             "Status": status, "LineItems": [{"Description": "Seat", "Quantity": "1",
                                                              "UnitAmount": "100.00", "AccountCode": "200",
                                                              "TaxType": "OUTPUT"}]}, f"invoice-{number}")
    return made["InvoiceID"]


def test_attach_once_adds_then_finds_it(sb):
    x = xero_client(sb)
    inv = invoice(x, "INV-8001")
    att, added = x.finishing.attach_once(inv, "INV-5001.pdf", PDF, idempotency_key="att-INV-8001", label="INV-8001")
    assert (added, att.file_name, att.size, att.include_online, att.mime_type) == (
        True, "INV-5001.pdf", 37, True, "application/pdf")
    again, added = x.finishing.attach_once(inv, "INV-5001.pdf", PDF, idempotency_key="att-INV-8001-b",
                                           label="INV-8001")
    assert (added, again.attachment_id) == (False, att.attachment_id)
    assert [a.file_name for a in x.finishing.attachments(inv)] == ["INV-5001.pdf"]
    puts = [r for r in sb.state()["requests"] if r["method"] == "PUT" and "/Attachments/" in r["path"]]
    assert len(puts) == 1


def test_attachment_refusals(sb):
    x = xero_client(sb)
    inv = invoice(x, "INV-8002")
    with pytest.raises(XeroAttachmentTooLarge) as big:
        x.finishing.attach_once(inv, "big.pdf", b"x" * (10 * 1024 * 1024 + 1), idempotency_key="k1", label="INV-8002")
    assert big.value.user_message == ("The file big.pdf for invoice INV-8002 is 10485761 bytes, over Xero's limit "
                                      "of 10485760 bytes for one attachment: it was not attached.")
    for i in range(10):
        x.finishing.attach_once(inv, f"f{i}.pdf", PDF, idempotency_key=f"k-f{i}", label="INV-8002")
    with pytest.raises(XeroAttachmentsFull) as full:
        x.finishing.attach_once(inv, "INV-5001.pdf", PDF, idempotency_key="k2", label="INV-8002")
    assert full.value.user_message == ("Invoice INV-8002 already has 10 attachments in Xero, the most it allows: "
                                       "remove one in Xero to attach INV-5001.pdf.")
    narrow = xero_client(sb, scope=SCOPE)
    with pytest.raises(XeroAttachmentScopeMissing) as scope:
        narrow.finishing.attachments(inv)
    assert scope.value.user_message == ("Attaching files needs Xero's attachments permission "
                                        "(accounting.attachments): reconnect Xero in Settings › Connections and "
                                        "approve it.")


def test_email_marks_sent_once(sb):
    x = xero_client(sb)
    inv = invoice(x, "INV-8003")
    x.finishing.email(inv, idempotency_key="mail-INV-8003", label="INV-8003")
    x.finishing.email(inv, idempotency_key="mail-INV-8003", label="INV-8003")  # a retry: replayed, not re-sent
    assert x.get_invoice(inv)["SentToContact"] is True
    assert [e["To"] for e in sb.state()["xero"]["SentEmails"]] == [["accounts@bluegum.example"]]


def test_email_refusals(sb):
    x = xero_client(sb)
    with pytest.raises(XeroNotApproved) as draft:
        x.finishing.email(invoice(x, "INV-8004", status="DRAFT"), idempotency_key="m1", label="INV-8004")
    assert draft.value.user_message == ("Xero emails only approved invoices: invoice INV-8004 was not sent; "
                                        "approve it first.")
    with pytest.raises(XeroNoEmailAddress) as nobody:
        x.finishing.email(invoice(x, "INV-8005", email=""), idempotency_key="m2", label="INV-8005",
                          contact="Bluegum INV-8005")
    assert nobody.value.user_message == ("Bluegum INV-8005 has no email address in Xero, so invoice INV-8005 was "
                                         "not sent: add one to the contact in Xero, or mark the invoice as sent "
                                         "instead.")
    sb.set_option("xero_daily_email_limit", 0)
    with pytest.raises(XeroEmailLimitReached) as limit:
        x.finishing.email(invoice(x, "INV-8006"), idempotency_key="m3", label="INV-8006")
    assert limit.value.user_message == ("Xero's daily limit of invoice emails for this organisation is reached: "
                                        "invoice INV-8006 was not sent; send it tomorrow.")


def test_mark_sent_and_online_link(sb):
    x = xero_client(sb)
    inv = invoice(x, "INV-8007")
    assert x.finishing.mark_sent(inv, idempotency_key="sent-INV-8007", label="INV-8007")["SentToContact"] is True
    url = x.finishing.online_invoice_url(inv, label="INV-8007")
    assert url.startswith("https://in.xero.com/") and len(url) == 60
    draft = invoice(x, "INV-8008", status="DRAFT")
    with pytest.raises(XeroNotApproved) as not_yet:
        x.finishing.mark_sent(draft, idempotency_key="sent-INV-8008", label="INV-8008")
    assert not_yet.value.user_message == "Xero marks only approved invoices as sent: approve invoice INV-8008 first."
    with pytest.raises(XeroNotApproved) as no_link:
        x.finishing.online_invoice_url(draft, label="INV-8008")
    assert no_link.value.user_message == ("Xero has an online invoice only for approved invoices: invoice INV-8008 "
                                          "has none yet.")
