"""Xero's XML request bodies (what pyxero sends): read into the same dicts as JSON, answered in JSON."""

from __future__ import annotations

import json
import time
from decimal import Decimal

import pytest

from depot_gui.sandbox.xero.xml_body import XmlBodyError, read_xml

from .helpers import client, connect, xero_headers
from .test_xero import API, invoice, line, loads, messages

XML = {"Content-Type": "application/xml"}
ACME = "9a0b1c2d-0000-4000-8000-000000000100"

INVOICE_XML = f"""<Invoice><Type>ACCREC</Type><Contact><ContactID>{ACME}</ContactID></Contact>
<InvoiceNumber>INV-X1</InvoiceNumber><Date>2026-11-01T00:00:00</Date><DueDate>2026-11-15T00:00:00</DueDate>
<Status>DRAFT</Status><LineAmountTypes>Exclusive</LineAmountTypes>
<LineItems><LineItem><Description>Line</Description><Quantity>1</Quantity><UnitAmount>45.45</UnitAmount>
<AccountCode>200</AccountCode><TaxType>OUTPUT</TaxType></LineItem>
<LineItem><Description>Line</Description><Quantity>1</Quantity><UnitAmount>45.45</UnitAmount>
<AccountCode>200</AccountCode><TaxType>OUTPUT</TaxType></LineItem></LineItems></Invoice>"""


def test_reader_types_like_the_json_path():
    [el] = read_xml(INVOICE_XML.encode(), "Invoices")
    assert el["Contact"] == {"ContactID": ACME}
    assert el["Date"] == "2026-11-01T00:00:00"
    assert [ln["UnitAmount"] for ln in el["LineItems"]] == [Decimal("45.45")] * 2
    assert all(type(ln["Quantity"]) is Decimal for ln in el["LineItems"])  # never float
    one = read_xml(b"<Invoices><Invoice><LineItems><LineItem><Quantity>2</Quantity></LineItem></LineItems>"
                   b"<SentToContact>true</SentToContact></Invoice></Invoices>", "Invoices")
    assert one == [{"LineItems": [{"Quantity": Decimal("2")}], "SentToContact": True}]
    contact = read_xml(b"<Contacts><Contact><Name>N</Name><Addresses><Address><AddressType>POBOX</AddressType>"
                       b"</Address></Addresses><Phones/></Contact></Contacts>", "Contacts")
    assert contact == [{"Name": "N", "Addresses": [{"AddressType": "POBOX"}], "Phones": []}]


@pytest.mark.parametrize("body", [
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>'
    b"<Invoice><Reference>&lol2;</Reference></Invoice>",
    b'<!DOCTYPE Invoice SYSTEM "file:///etc/passwd"><Invoice/>',
    b"<!ENTITY x 'y'><Invoice/>",
    b"<Invoice><Reference>unclosed</Invoice>",
    b"<Payment/>",
    '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x [<!ENTITY a "b">]><Invoice/>'.encode("utf-16"),
])
def test_reader_refuses_dtds_entities_and_junk(body):
    with pytest.raises(XmlBodyError):
        read_xml(body, "Invoices")


def test_xml_invoice_put_matches_json_maths(xero):
    _, c = xero
    r = c.put(f"{API}/Invoices", content=INVOICE_XML.encode(), headers=XML)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/json")
    inv = loads(r)["Invoices"][0]
    assert loads(r)["Status"] == "OK"
    assert (inv["SubTotal"], inv["TotalTax"], inv["Total"]) == (Decimal("90.90"), Decimal("9.10"), Decimal("100.00"))
    assert inv["DateString"].startswith("2026-11-01") and inv["Status"] == "DRAFT"
    # The same invoice in JSON is a duplicate number: both paths reach the same rules.
    r = c.put(f"{API}/Invoices", json={"Invoices": [invoice("INV-X1")]})
    assert r.status_code == 400 and any("must be unique" in m for m in messages(r))
    # A list body, and POST updating the DRAFT by number.
    upd = INVOICE_XML.replace("<Quantity>1</Quantity>", "<Quantity>2</Quantity>", 1)
    r = c.post(f"{API}/Invoices", content=f"<Invoices>{upd}</Invoices>".encode(), headers=XML)
    assert r.status_code == 200, r.text
    assert loads(r)["Invoices"][0]["SubTotal"] == Decimal("136.35")
    assert len(loads(c.get(f"{API}/Invoices", params={"InvoiceNumbers": "INV-X1"}))["Invoices"]) == 1


def test_xml_contact_and_credit_note(xero):
    _, c = xero
    r = c.put(f"{API}/Contacts", content=b"<Contact><Name>XML Pty</Name><IsCustomer>true</IsCustomer></Contact>",
              headers={"Content-Type": "application/xml; charset=utf-8"})
    assert r.status_code == 200, r.text
    assert loads(r)["Contacts"][0]["Name"] == "XML Pty"
    note = (f"<CreditNotes><CreditNote><Type>ACCRECCREDIT</Type><Contact><Name>XML Pty</Name></Contact>"
            f"<CreditNoteNumber>CN-X1</CreditNoteNumber><Date>2026-11-01T00:00:00</Date><Status>DRAFT</Status>"
            f"<LineItems><LineItem><Description>Refund</Description><Quantity>1.5</Quantity>"
            f"<UnitAmount>10.00</UnitAmount><AccountCode>200</AccountCode><TaxType>OUTPUT</TaxType></LineItem>"
            f"</LineItems></CreditNote></CreditNotes>")
    r = c.put(f"{API}/CreditNotes", content=note.encode(), headers=XML)
    assert r.status_code == 200, r.text
    cn = loads(r)["CreditNotes"][0]
    assert (cn["SubTotal"], cn["Total"]) == (Decimal("15.00"), Decimal("16.50"))
    assert cn["Contact"]["Name"] == "XML Pty"


def test_xml_bomb_and_bad_xml_get_400_quickly(xero):
    _, c = xero
    bomb = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            + "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">'
                      for i in range(1, 10))
            + ']><Invoice><Reference>&lol9;</Reference></Invoice>')
    start = time.monotonic()
    for body in (bomb, "<Invoice><Type>ACCREC</Invoice>", "<Invoices></Invoices>"):
        r = c.put(f"{API}/Invoices", content=body.encode(), headers=XML)
        assert r.status_code == 400, r.text
        assert json.loads(r.text)["Type"] == "PostDataInvalidException"
    assert time.monotonic() - start < 2
    assert loads(c.get(f"{API}/Invoices", params={"InvoiceNumbers": "INV-X1"}))["Invoices"] == []


def test_json_bodies_unchanged(demo):
    c = client(demo)
    c.headers.update(xero_headers(connect(c)["access_token"]))
    r = c.put(f"{API}/Invoices", json={"Invoices": [invoice("INV-J1", [line()])]})
    assert r.status_code == 200, r.text
