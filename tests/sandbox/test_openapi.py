"""Sandbox responses validate against Xero's official OpenAPI spec (components.schemas)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from ..xero_openapi import validate


@pytest.fixture
def spec(xero_spec):
    return xero_spec


def plain(r, status=200):
    """The body as JSON with numbers as floats/ints (what a schema validator expects), once the
    status code is the expected one: an error body must never pass as a valid answer."""
    assert r.status_code == status, r.text
    return json.loads(r.text, parse_float=float)


INVOICE = {"Type": "ACCREC", "Contact": {"Name": "Bluegum Legal"}, "InvoiceNumber": "INV-OA", "Date": "2026-11-01",
           "DueDate": "2026-11-15", "Status": "AUTHORISED", "Reference": "AT-5005",
           "LineItems": [{"Description": "Seat", "Quantity": 3, "UnitAmount": "33.3333", "AccountCode": "200",
                          "TaxType": "OUTPUT"}]}


def test_invoices_put_and_get(spec, xero):
    _, c = xero
    r = c.put("/api.xro/2.0/Invoices?unitdp=4", json={"Invoices": [INVOICE]})
    validate(spec, "Invoices", plain(r))
    validate(spec, "Invoices", plain(c.get("/api.xro/2.0/Invoices", params={"page": 1})))
    inv_id = r.json()["Invoices"][0]["InvoiceID"]
    validate(spec, "Invoices", plain(c.get(f"/api.xro/2.0/Invoices/{inv_id}")))


def test_validation_error_body(spec, xero):
    _, c = xero
    assert c.put("/api.xro/2.0/Invoices", json={"Invoices": [INVOICE]}).status_code == 200
    r = c.put("/api.xro/2.0/Invoices", json={"Invoices": [INVOICE]})
    validate(spec, "Error", plain(r, 400))


def test_contacts_accounts_tax_rates(spec, xero):
    _, c = xero
    r = c.put("/api.xro/2.0/Contacts", json={"Contacts": [{"Name": "Harbour Logistics", "ContactNumber": "AT-1"}]})
    validate(spec, "Contacts", plain(r))
    validate(spec, "Contacts", plain(c.get("/api.xro/2.0/Contacts")))
    validate(spec, "Accounts", plain(c.get("/api.xro/2.0/Accounts")))
    validate(spec, "TaxRates", plain(c.get("/api.xro/2.0/TaxRates")))
    validate(spec, "Organisations", plain(c.get("/api.xro/2.0/Organisation")))


def test_credit_notes(spec, xero):
    _, c = xero
    note = dict(INVOICE, Type="ACCRECCREDIT", CreditNoteNumber="CN-1")
    note.pop("InvoiceNumber")
    note.pop("DueDate")
    r = c.put("/api.xro/2.0/CreditNotes", json={"CreditNotes": [note]})
    validate(spec, "CreditNotes", plain(r))


def test_numbers_not_strings(xero):
    _, c = xero
    r = c.put("/api.xro/2.0/Invoices?unitdp=4", json={"Invoices": [INVOICE]})
    assert r.status_code == 200, r.text
    inv = json.loads(r.text, parse_float=Decimal)["Invoices"][0]
    assert isinstance(inv["Total"], Decimal) and inv["LineItems"][0]["UnitAmount"] == Decimal("33.3333")


def test_validator_really_checks(spec):
    with pytest.raises(AssertionError):
        validate(spec, "Invoices", {"Invoices": [{"Status": "BOGUS"}]})


def test_only_the_status_code_tells_an_error_from_an_answer(spec, xero):
    # Every property of Invoices is optional, so Xero's 400 body validates as "Invoices" too:
    # the status code is checked first (plain) or an error would pass as a valid answer.
    _, c = xero
    assert c.put("/api.xro/2.0/Invoices", json={"Invoices": [INVOICE]}).status_code == 200
    r = c.put("/api.xro/2.0/Invoices", json={"Invoices": [INVOICE]})
    validate(spec, "Invoices", json.loads(r.text, parse_float=float))
    with pytest.raises(AssertionError):
        plain(r)


def test_part_paid_and_paid_invoices_validate(spec, xero):
    sb, c = xero
    r = c.put("/api.xro/2.0/Invoices?unitdp=4", json={"Invoices": [INVOICE]})
    inv_id = plain(r)["Invoices"][0]["InvoiceID"]
    sb.pay_invoice("INV-OA", "50.00", on="2026-11-18")
    validate(spec, "Invoices", plain(c.get("/api.xro/2.0/Invoices", params={"IDs": inv_id})))
    sb.pay_invoice("INV-OA")
    paid = plain(c.get(f"/api.xro/2.0/Invoices/{inv_id}"))
    validate(spec, "Invoices", paid)
    assert (paid["Invoices"][0]["Status"], len(paid["Invoices"][0]["Payments"])) == ("PAID", 2)


def test_attachments_and_online_invoice_validate(spec, demo):
    from .helpers import SCOPE, client, connect, xero_headers
    c = client(demo)
    c.headers.update(xero_headers(connect(c, scope=SCOPE + " accounting.attachments")["access_token"]))
    inv_id = plain(c.put("/api.xro/2.0/Invoices?unitdp=4", json={"Invoices": [INVOICE]}))["Invoices"][0]["InvoiceID"]
    url = f"/api.xro/2.0/Invoices/{inv_id}/Attachments/AT-5005.pdf?IncludeOnline=true"
    added = plain(c.put(url, content=b"%PDF-1.4\n%%EOF\n", headers={"Content-Type": "application/pdf"}))
    validate(spec, "Attachments", added)
    assert added["Attachments"][0]["IncludeOnline"] is True
    validate(spec, "Attachments", plain(c.post(url, content=b"%PDF-1.4 v2\n%%EOF\n")))
    validate(spec, "Attachments", plain(c.get(f"/api.xro/2.0/Invoices/{inv_id}/Attachments")))
    validate(spec, "OnlineInvoices", plain(c.get(f"/api.xro/2.0/Invoices/{inv_id}/OnlineInvoice")))
    validate(spec, "Invoices", plain(c.get(f"/api.xro/2.0/Invoices/{inv_id}")))
    too_big = c.put(url, content=b"x" * (10 * 1024 * 1024 + 1))
    validate(spec, "Error", plain(too_big, 413))
    draft = plain(c.put("/api.xro/2.0/Invoices", json={"Invoices": [dict(INVOICE, InvoiceNumber="INV-OB",
                                                                          Status="DRAFT")]}))
    draft_id = draft["Invoices"][0]["InvoiceID"]
    validate(spec, "Error", plain(c.get(f"/api.xro/2.0/Invoices/{draft_id}/OnlineInvoice"), 400))
    validate(spec, "Error", plain(c.post(f"/api.xro/2.0/Invoices/{inv_id}/Email", json={}), 400))  # no email address
    c.close()
