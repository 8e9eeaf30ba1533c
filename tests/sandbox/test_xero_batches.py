"""The sandbox does what Xero does for month-end batches: per-element batch answers, where with
OR, If-Modified-Since on accounts/contacts/documents, the remaining-calls headers and the day limit."""

from __future__ import annotations

import json
from decimal import Decimal

from depot_gui.sandbox import Sandbox

from .helpers import SCENARIOS, client, connect, xero_headers

API = "/api.xro/2.0"
ACME = "9a0b1c2d-0000-4000-8000-000000000100"


def loads(r):
    return json.loads(r.text, parse_float=Decimal)


def inv(number, qty="1"):
    return {"Type": "ACCREC", "Contact": {"ContactID": ACME}, "InvoiceNumber": number, "Date": "2026-11-01",
            "DueDate": "2026-11-15", "Status": "DRAFT", "LineAmountTypes": "Exclusive",
            "LineItems": [{"Description": "x", "Quantity": qty, "UnitAmount": "10", "AccountCode": "200",
                           "TaxType": "OUTPUT"}]}


def test_batch_put_answers_per_element_and_creates_only_the_valid_ones(xero):
    _, c = xero
    body = {"Invoices": [inv("B-1"), inv("B-2", qty="-1"), inv("B-3"), inv("B-1")]}
    r = c.put(f"{API}/Invoices?unitdp=4&summarizeErrors=false", json=body)
    assert r.status_code == 200
    els = loads(r)["Invoices"]
    assert [e["StatusAttributeString"] for e in els] == ["OK", "ERROR", "OK", "ERROR"]
    assert [e["InvoiceNumber"] for e in els] == ["B-1", "B-2", "B-3", "B-1"]
    assert els[3]["ValidationErrors"] == [{"Message": "Invoice # must be unique."}]
    got = sorted(i["InvoiceNumber"] for i in loads(c.get(f"{API}/Invoices"))["Invoices"])
    assert got == ["B-1", "B-3"]


def test_batch_put_of_contacts_answers_per_element(xero):
    _, c = xero
    body = {"Contacts": [{"Name": "New One"}, {"Name": "Acme Dental Group"}, {"Name": "New Two"}]}
    r = c.put(f"{API}/Contacts?summarizeErrors=false", json=body)
    assert r.status_code == 200
    els = loads(r)["Contacts"]
    assert [e["StatusAttributeString"] for e in els] == ["OK", "ERROR", "OK"]
    assert "already assigned" in els[1]["ValidationErrors"][0]["Message"]


def test_where_with_or_clauses_finds_contacts_by_name_or_account_number(xero):
    _, c = xero
    c.put(f"{API}/Contacts", json={"Contacts": [{"Name": "Zeta Pty", "AccountNumber": "Z9"}]})
    where = 'Name=="Acme Dental Group" OR AccountNumber=="Z9" OR Name=="Nobody"'
    names = [x["Name"] for x in loads(c.get(f"{API}/Contacts", params={"where": where}))["Contacts"]]
    assert names == ["Acme Dental Group", "Zeta Pty"]


def test_if_modified_since_on_accounts_contacts_and_invoices(xero):
    sb, c = xero
    since = sb.now().strftime("%Y-%m-%dT%H:%M:%S")
    sb.advance_clock(5)
    assert loads(c.get(f"{API}/Accounts", headers={"If-Modified-Since": since}))["Accounts"] == []
    assert loads(c.get(f"{API}/Contacts", headers={"If-Modified-Since": since}))["Contacts"] == []
    assert len(loads(c.get(f"{API}/Accounts"))["Accounts"]) > 0
    c.put(f"{API}/Contacts", json={"Contacts": [{"Name": "Fresh Co"}]})
    c.put(f"{API}/Invoices", json={"Invoices": [inv("IMS-1")]})
    fresh = loads(c.get(f"{API}/Contacts", headers={"If-Modified-Since": since}))["Contacts"]
    assert [x["Name"] for x in fresh] == ["Fresh Co"]
    docs = loads(c.get(f"{API}/Invoices", headers={"If-Modified-Since": since}))["Invoices"]
    assert [d["InvoiceNumber"] for d in docs] == ["IMS-1"]
    sb.advance_clock(2)  # If-Modified-Since has whole seconds
    http_date = sb.now().strftime("%a, %d %b %Y %H:%M:%S GMT")
    sb.advance_clock(5)
    assert loads(c.get(f"{API}/Contacts", headers={"If-Modified-Since": http_date}))["Contacts"] == []


def test_contacts_summary_only_leaves_out_the_heavy_parts(xero):
    _, c = xero
    full = loads(c.get(f"{API}/Contacts"))["Contacts"][0]
    light = loads(c.get(f"{API}/Contacts", params={"summaryOnly": "true", "page": "1"}))["Contacts"][0]
    assert "Addresses" in full and "Addresses" not in light and light["Name"] == full["Name"]


def test_remaining_calls_headers_and_the_1000_day_limit():
    sb = Sandbox.open(SCENARIOS / "clean.json", xero_daily_limit=1000)
    c = client(sb)
    c.headers.update(xero_headers(connect(c)["access_token"]))
    first = c.get(f"{API}/Organisation")
    assert first.headers["x-daylimit-remaining"] == "999" and first.headers["x-minlimit-remaining"] == "59"
    sb.set_option("xero_minute_limit", 10**6)
    for _ in range(998):
        c.get(f"{API}/Organisation")
    last_ok = c.get(f"{API}/Organisation")
    assert last_ok.status_code == 200 and last_ok.headers["x-daylimit-remaining"] == "0"
    over = c.get(f"{API}/Organisation")
    assert over.status_code == 429 and over.headers["x-rate-limit-problem"] == "day"
    assert 86000 < int(over.headers["retry-after"]) <= 86400
    sb.advance_clock(86401)
    c.headers.update(xero_headers(connect(c)["access_token"]))  # the old token expired meanwhile
    assert c.get(f"{API}/Organisation").status_code == 200
