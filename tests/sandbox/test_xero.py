"""Xero Accounting simulator: Xero's maths, validation rules, idempotency, limits, reads, updates."""

from __future__ import annotations

import json
import threading
import time
from decimal import Decimal

import pytest

from depot_gui.sandbox import Sandbox

from .helpers import SCENARIOS, TENANT, client, connect, xero_headers

API = "/api.xro/2.0"


def line(desc="Line", qty="1", unit="45.45", account="200", tax="OUTPUT", **extra):
    d = {"Description": desc, "Quantity": qty, "UnitAmount": unit, "AccountCode": account, "TaxType": tax}
    d.update(extra)
    return d


def invoice(number="INV-9001", lines=None, **extra):
    d = {"Type": "ACCREC", "Contact": {"ContactID": "9a0b1c2d-0000-4000-8000-000000000100"},
         "InvoiceNumber": number, "Date": "2026-11-01", "DueDate": "2026-11-15", "Status": "AUTHORISED",
         "LineAmountTypes": "Exclusive", "LineItems": lines if lines is not None else [line(), line()]}
    d.update(extra)
    return d


def put(c, inv, key=None, params="unitdp=4"):
    headers = {"Idempotency-Key": key} if key else {}
    return c.put(f"{API}/Invoices?{params}", json={"Invoices": [inv]}, headers=headers)


def loads(r):
    return json.loads(r.text, parse_float=Decimal)


def messages(r):
    return [m["Message"] for el in loads(r)["Elements"] for m in el["ValidationErrors"]]


def test_two_lines_45_45_at_10_percent(xero):
    _, c = xero
    r = put(c, invoice())
    assert r.status_code == 200, r.text
    inv = loads(r)["Invoices"][0]
    assert [ln["TaxAmount"] for ln in inv["LineItems"]] == [Decimal("4.55"), Decimal("4.55")]
    assert (inv["SubTotal"], inv["TotalTax"], inv["Total"]) == (Decimal("90.90"), Decimal("9.10"), Decimal("100.00"))
    assert '"TotalTax":9.10' in r.text  # numbers, not strings


def test_rounding_guide_example_15_percent():
    sb = Sandbox.open(SCENARIOS / "clean.json")
    c = client(sb)
    c.headers.update(xero_headers(connect(c)["access_token"]))
    lines = [line(unit=u, tax="OUTPUT2") for u in ("25.06", "25.61", "25.63")]
    inv = loads(put(c, invoice(lines=lines)))["Invoices"][0]
    assert [ln["TaxAmount"] for ln in inv["LineItems"]] == [Decimal("3.76"), Decimal("3.84"), Decimal("3.84")]
    assert (inv["SubTotal"], inv["TotalTax"], inv["Total"]) == (Decimal("76.30"), Decimal("11.44"), Decimal("87.74"))


def test_unit_amount_precision_follows_unitdp(xero):
    _, c = xero
    lines = [line(unit="33.3333", qty="3")]
    inv4 = loads(put(c, invoice("INV-A", lines)))["Invoices"][0]
    assert inv4["LineItems"][0]["UnitAmount"] == Decimal("33.3333")
    assert inv4["LineItems"][0]["LineAmount"] == Decimal("100.00")
    inv2 = loads(put(c, invoice("INV-B", lines), params=""))["Invoices"][0]
    assert inv2["LineItems"][0]["UnitAmount"] == Decimal("33.33")
    assert inv2["LineItems"][0]["LineAmount"] == Decimal("99.99")
    got = loads(c.get(f"{API}/Invoices/{inv4['InvoiceID']}"))["Invoices"][0]
    assert got["LineItems"][0]["UnitAmount"] == Decimal("33.33")  # shown at 2 dp without unitdp=4
    got = loads(c.get(f"{API}/Invoices/{inv4['InvoiceID']}?unitdp=4"))["Invoices"][0]
    assert got["LineItems"][0]["UnitAmount"] == Decimal("33.3333")


def test_inclusive_and_notax(xero):
    _, c = xero
    inc = loads(put(c, invoice("INV-I", [line(unit="55.00")], LineAmountTypes="Inclusive")))["Invoices"][0]
    assert (inc["SubTotal"], inc["TotalTax"], inc["Total"]) == (Decimal("50.00"), Decimal("5.00"), Decimal("55.00"))
    nt = loads(put(c, invoice("INV-N", [line(unit="55.00")], LineAmountTypes="NoTax")))["Invoices"][0]
    assert (nt["TotalTax"], nt["Total"]) == (Decimal("0.00"), Decimal("55.00"))


def test_client_totals_ignored_and_line_total_checked(xero):
    _, c = xero
    inv = loads(put(c, invoice("INV-T", Total=1, SubTotal=1, TotalTax=1)))["Invoices"][0]
    assert inv["Total"] == Decimal("100.00")
    r = put(c, invoice("INV-L", [line(LineAmount="-11.25", unit="11.25")]))
    assert r.status_code == 400
    assert messages(r) == ["The line total -11.25 does not match the expected line total 11.25"]
    ok = put(c, invoice("INV-L", [line(LineAmount="11.25", unit="11.25")]))
    assert ok.status_code == 200


def test_unique_accrec_number(xero):
    _, c = xero
    assert put(c, invoice()).status_code == 200
    r = put(c, invoice())
    assert r.status_code == 400 and messages(r) == ["Invoice # must be unique."]
    body = loads(r)
    assert body["ErrorNumber"] == 10 and body["Type"] == "ValidationException"
    assert body["Message"] == "A validation exception occurred"
    assert body["Elements"][0]["InvoiceNumber"] == "INV-9001"  # the element is echoed


def test_number_free_again_after_delete(xero):
    _, c = xero
    first = loads(put(c, invoice(Status="DRAFT")))["Invoices"][0]
    r = c.post(f"{API}/Invoices/{first['InvoiceID']}", json={"Invoices": [{"Status": "DELETED"}]})
    assert r.status_code == 200 and loads(r)["Invoices"][0]["Status"] == "DELETED"
    assert put(c, invoice()).status_code == 200


def test_negative_quantity_rejected(xero):
    _, c = xero
    r = put(c, invoice(lines=[line(qty="-3", unit="12.50")]))
    assert r.status_code == 400
    assert messages(r) == ["The quantity value '-3.0000' is invalid. Quantity must not be less than zero."]
    ok = put(c, invoice("INV-NEG", [line(qty="30", unit="45"), line(qty="3", unit="-12.50")]))
    assert ok.status_code == 200 and loads(ok)["Invoices"][0]["SubTotal"] == Decimal("1312.50")


def test_negative_total_only_as_draft(xero):
    _, c = xero
    lines = [line(unit="-10.00")]
    assert put(c, invoice("INV-N1", lines)).status_code == 400
    r = put(c, invoice("INV-N2", lines, Status="DRAFT"))
    assert r.status_code == 200 and loads(r)["Invoices"][0]["Total"] == Decimal("-11.00")


@pytest.mark.parametrize("bad_line,needle", [
    (line(account="999"), "Account code '999' is not a valid code for this document."),
    (line(tax="NOPE"), "The TaxType code 'NOPE' does not exist"),
])
def test_account_and_tax_type_must_exist(xero, bad_line, needle):
    _, c = xero
    r = put(c, invoice(lines=[bad_line]))
    assert r.status_code == 400 and needle in messages(r)[0]


def test_archived_account_and_deleted_tax_rate_refused():
    sb = Sandbox.open(SCENARIOS / "clean.json")
    c = client(sb)
    c.headers.update(xero_headers(connect(c)["access_token"]))
    assert "archived" in messages(put(c, invoice(lines=[line(account="299")])))[0]
    assert "TAX001" in messages(put(c, invoice(lines=[line(tax="TAX001")])))[0]


def test_tax_type_defaults_from_account(xero):
    _, c = xero
    inv = loads(put(c, invoice(lines=[{"Description": "x", "Quantity": 1, "UnitAmount": 10, "AccountCode": "200"}])))
    assert inv["Invoices"][0]["LineItems"][0]["TaxType"] == "OUTPUT"
    assert inv["Invoices"][0]["TotalTax"] == Decimal("1.00")


def test_contact_by_name_found_or_created(xero):
    sb, c = xero
    found = loads(put(c, invoice("INV-C1", Contact={"Name": "acme dental group"})))["Invoices"][0]
    assert found["Contact"]["ContactID"] == "9a0b1c2d-0000-4000-8000-000000000100"
    made = loads(put(c, invoice("INV-C2", Contact={"Name": "Harbour Logistics Pty Ltd"})))["Invoices"][0]
    again = loads(put(c, invoice("INV-C3", Contact={"Name": "Harbour Logistics Pty Ltd"})))["Invoices"][0]
    assert made["Contact"]["ContactID"] == again["Contact"]["ContactID"]
    names = [x["Name"] for x in sb.state()["xero"]["Contacts"]]
    assert names.count("Harbour Logistics Pty Ltd") == 1
    r = put(c, invoice("INV-C4", Contact={"ContactID": "00000000-0000-4000-8000-000000000000"}))
    assert r.status_code == 400


def test_read_only_noise_from_xero_python_accepted(xero):
    _, c = xero
    inv = invoice(HasAttachments=False, HasErrors=False, Date="/Date(1793491200000)/",
                  DueDate="/Date(1794700800000+0000)/")
    inv["Contact"]["HasValidationErrors"] = False
    got = loads(put(c, inv))["Invoices"][0]
    assert got["DateString"] == "2026-11-01T00:00:00" and got["DueDateString"] == "2026-11-15T00:00:00"
    assert got["Date"] == "/Date(1793491200000+0000)/"


def test_summarize_errors_false_returns_200_per_element(xero):
    _, c = xero
    body = {"Invoices": [invoice("INV-OK"), invoice("INV-BAD", [line(qty="-1")])]}
    r = c.put(f"{API}/Invoices?unitdp=4&summarizeErrors=False", json=body)
    assert r.status_code == 200
    els = loads(r)["Invoices"]
    assert [e["StatusAttributeString"] for e in els] == ["OK", "ERROR"]
    assert els[1]["HasErrors"] is True and "Quantity" in els[1]["ValidationErrors"][0]["Message"]
    numbers = [i["InvoiceNumber"] for i in loads(c.get(f"{API}/Invoices"))["Invoices"]]
    assert numbers == ["INV-OK"]


def test_summarised_batch_still_creates_valid_siblings(xero):
    _, c = xero
    body = {"Invoices": [invoice("INV-OK"), invoice("INV-BAD", [line(qty="-1")])]}
    r = c.put(f"{API}/Invoices", json=body)
    assert r.status_code == 400 and len(loads(r)["Elements"]) == 1
    assert [i["InvoiceNumber"] for i in loads(c.get(f"{API}/Invoices"))["Invoices"]] == ["INV-OK"]


def test_idempotency_replay_and_conflict(xero):
    sb, c = xero
    first = put(c, invoice(), key="key-1")
    again = put(c, invoice(), key="key-1")
    assert again.status_code == 200 and again.json()["Invoices"][0]["InvoiceID"] == first.json()["Invoices"][0][
        "InvoiceID"]
    assert len(loads(c.get(f"{API}/Invoices"))["Invoices"]) == 1
    conflict = put(c, invoice("INV-OTHER"), key="key-1")
    assert conflict.status_code == 400
    err1 = put(c, invoice(lines=[line(qty="-1")]), key="key-err")
    err2 = put(c, invoice(lines=[line(qty="-1")]), key="key-err")
    assert err1.status_code == err2.status_code == 400 and err1.json() == err2.json()
    assert put(c, invoice("INV-LONG"), key="k" * 129).status_code == 400
    sb.advance_clock(361)
    dup = put(c, invoice(), key="key-1")  # window passed: the key is forgotten, Xero's own rule applies
    assert dup.status_code == 400 and messages(dup) == ["Invoice # must be unique."]


def test_rate_limit_60_per_minute(xero):
    sb, c = xero
    statuses = [c.get(f"{API}/Organisation") for _ in range(61)]
    assert all(r.status_code == 200 for r in statuses[:60])
    assert statuses[0].headers["x-minlimit-remaining"] == "59"
    assert statuses[59].headers["x-minlimit-remaining"] == "0"
    assert statuses[0].headers["x-daylimit-remaining"] == "4999" and "x-appminlimit-remaining" in statuses[0].headers
    last = statuses[60]
    assert last.status_code == 429 and last.headers["x-rate-limit-problem"] == "minute"
    assert 1 <= int(last.headers["retry-after"]) <= 60
    sb.advance_clock(61)
    assert c.get(f"{API}/Organisation").status_code == 200


def test_daily_limit_option():
    sb = Sandbox.open(SCENARIOS / "clean.json", xero_daily_limit=2)
    c = client(sb)
    c.headers.update(xero_headers(connect(c)["access_token"]))
    assert [c.get(f"{API}/Organisation").status_code for _ in range(3)] == [200, 200, 429]
    assert c.get(f"{API}/Organisation").headers["x-rate-limit-problem"] == "day"


def test_five_concurrent_calls_per_tenant(xero):
    sb, c = xero
    sb.add_fault({"api": "xero", "method": "GET", "path": "/Organisation$", "kind": "delay", "seconds": 0.4,
                  "nth": 1, "times": 5})
    tok = c.headers["authorization"]
    results = []

    def slow():
        with client(sb, headers={"Authorization": tok, "xero-tenant-id": TENANT}) as cc:
            results.append(cc.get(f"{API}/Organisation").status_code)

    threads = [threading.Thread(target=slow) for _ in range(5)]
    for t in threads:
        t.start()
    time.sleep(0.15)
    r = c.get(f"{API}/Accounts")
    for t in threads:
        t.join()
    assert r.status_code == 429 and r.headers["x-rate-limit-problem"] == "concurrent" and "retry-after" in r.headers
    assert results == [200] * 5


def test_get_invoice_filters_and_paging(xero):
    _, c = xero
    contact2 = {"Name": "Bluegum Legal"}
    for i in range(1, 6):
        put(c, invoice(f"INV-{i:04d}", Reference=f"AT-{i}", Status="DRAFT" if i % 2 else "AUTHORISED",
                       Contact=contact2 if i == 5 else invoice()["Contact"]))
    get = lambda **p: loads(c.get(f"{API}/Invoices", params=p))["Invoices"]  # noqa: E731
    assert [i["InvoiceNumber"] for i in get(InvoiceNumbers="INV-0002,INV-0004")] == ["INV-0002", "INV-0004"]
    assert len(get(Statuses="DRAFT")) == 3
    assert [i["Reference"] for i in get(where='Reference=="AT-3"')] == ["AT-3"]
    assert len(get(where='Type=="ACCREC"&&Status!="DELETED"')) == 5
    assert len(get(where='Status=="DRAFT" AND Contact.ContactID==Guid("9a0b1c2d-0000-4000-8000-000000000100")')) == 2
    ids = [i["InvoiceID"] for i in get()]
    assert [i["InvoiceID"] for i in get(IDs=",".join(ids[:2]))] == ids[:2]
    contact_id = get(InvoiceNumbers="INV-0005")[0]["Contact"]["ContactID"]
    assert len(get(ContactIDs=contact_id)) == 1
    assert len(get(searchTerm="at-")) == 5
    r = loads(c.get(f"{API}/Invoices", params={"page": 2, "pageSize": 2}))
    assert r["pagination"] == {"page": 2, "pageSize": 2, "pageCount": 3, "itemCount": 5}
    assert [i["InvoiceNumber"] for i in r["Invoices"]] == ["INV-0003", "INV-0004"]
    assert "LineItems" not in get(summaryOnly="True")[0]
    # raw where with + for spaces, as clients encode it
    raw = c.get(f"{API}/Invoices?where=Status%3D%3D%22DRAFT%22+AND+Reference%3D%3D%22AT-1%22")
    assert [i["Reference"] for i in loads(raw)["Invoices"]] == ["AT-1"]
    assert c.get(f"{API}/Invoices", params={"where": 'Status=="DRAFT" &&'}).status_code == 400


def test_get_invoice_by_id_and_number(xero):
    _, c = xero
    made = loads(put(c, invoice()))["Invoices"][0]
    assert loads(c.get(f"{API}/Invoices/{made['InvoiceID']}"))["Invoices"][0]["InvoiceNumber"] == "INV-9001"
    assert loads(c.get(f"{API}/Invoices/INV-9001"))["Invoices"][0]["InvoiceID"] == made["InvoiceID"]
    assert c.get(f"{API}/Invoices/00000000-0000-4000-8000-000000000000").status_code == 404
    assert c.get(f"{API.upper()}/INVOICES/{made['InvoiceID']}").status_code == 200


def test_updates_and_status_transitions(xero):
    _, c = xero
    draft = loads(put(c, invoice(Status="DRAFT")))["Invoices"][0]
    url = f"{API}/Invoices/{draft['InvoiceID']}?unitdp=4"
    changed = c.post(url, json={"Invoices": [{"LineItems": [line(unit="100.00")]}]})
    assert changed.status_code == 200 and loads(changed)["Invoices"][0]["Total"] == Decimal("110.00")
    approved = c.post(url, json={"Invoices": [{"Status": "AUTHORISED"}]})
    assert loads(approved)["Invoices"][0]["Status"] == "AUTHORISED"
    refused = c.post(url, json={"Invoices": [{"LineItems": [line(unit="1.00")]}]})
    assert refused.status_code == 400
    same = c.post(url, json={"Invoices": [{"Reference": "AT-1", "LineItems": [
        dict(line(unit="100.00"), LineItemID=loads(changed)["Invoices"][0]["LineItems"][0]["LineItemID"])]}]})
    assert same.status_code == 200  # unchanged content on an approved invoice is fine
    assert c.post(url, json={"Invoices": [{"Status": "DELETED"}]}).status_code == 400
    assert c.post(url, json={"Invoices": [{"Status": "DRAFT"}]}).status_code == 400
    voided = c.post(url, json={"Invoices": [{"Status": "VOIDED"}]})
    assert loads(voided)["Invoices"][0]["Status"] == "VOIDED"
    assert put(c, invoice()).status_code == 400  # a voided invoice still holds its number


def test_post_create_or_update(xero):
    _, c = xero
    created = c.post(f"{API}/Invoices", json={"Invoices": [invoice(Status="DRAFT")]})
    assert created.status_code == 200
    updated = c.post(f"{API}/Invoices", json={"Invoices": [invoice(Status="DRAFT", Reference="R2")]})
    assert loads(updated)["Invoices"][0]["InvoiceID"] == loads(created)["Invoices"][0]["InvoiceID"]
    assert len(loads(c.get(f"{API}/Invoices"))["Invoices"]) == 1


def test_contacts(xero):
    _, c = xero
    found = loads(c.get(f"{API}/Contacts", params={"where": 'Name=="Acme Dental Group"'}))["Contacts"]
    assert [x["AccountNumber"] for x in found] == ["C100"]
    assert len(loads(c.get(f"{API}/Contacts", params={"where": 'AccountNumber=="C100"'}))["Contacts"]) == 1
    made = c.put(f"{API}/Contacts", json={"Contacts": [{"Name": "Harbour Logistics", "ContactNumber": "AT-102"}]},
                 headers={"Idempotency-Key": "c-1"})
    assert made.status_code == 200
    cid = made.json()["Contacts"][0]["ContactID"]
    dup = c.put(f"{API}/Contacts", json={"Contacts": [{"Name": "harbour logistics"}]})
    assert dup.status_code == 400 and "already assigned" in messages(dup)[0]
    assert loads(c.get(f"{API}/Contacts", params={"where": 'ContactNumber=="AT-102"'}))["Contacts"][0][
        "ContactID"] == cid
    assert len(loads(c.get(f"{API}/Contacts", params={"searchTerm": "HARBOUR"}))["Contacts"]) == 1
    assert loads(c.get(f"{API}/Contacts/{cid}"))["Contacts"][0]["Name"] == "Harbour Logistics"
    upsert = c.post(f"{API}/Contacts", json={"Contacts": [{"Name": "Harbour Logistics", "EmailAddress": "a@b"}]})
    assert upsert.json()["Contacts"][0]["ContactID"] == cid
    c.post(f"{API}/Contacts/{cid}", json={"Contacts": [{"ContactStatus": "ARCHIVED"}]})
    assert loads(c.get(f"{API}/Contacts", params={"searchTerm": "harbour"}))["Contacts"] == []
    assert len(loads(c.get(f"{API}/Contacts", params={"searchTerm": "harbour", "includeArchived": "true"}))[
        "Contacts"]) == 1


def test_settings_reads(xero):
    _, c = xero
    accounts = loads(c.get(f"{API}/Accounts"))["Accounts"]
    assert {a["Code"] for a in accounts} == {"200", "260", "860"}
    rounding = loads(c.get(f"{API}/Accounts", params={"where": 'SystemAccount=="ROUNDING"'}))["Accounts"]
    assert [a["Code"] for a in rounding] == ["860"]
    rates = loads(c.get(f"{API}/TaxRates"))["TaxRates"]
    assert next(r for r in rates if r["TaxType"] == "OUTPUT")["EffectiveRate"] == Decimal("10.0")
    org = loads(c.get(f"{API}/Organisation"))
    assert org["Status"] == "OK" and org["Organisations"][0]["Name"] == "Acme MSP Pty Ltd"
    assert loads(c.get(f"{API}/Items"))["Items"] == []
    assert c.get(f"{API}/Nothing").status_code == 404


def test_envelope_and_headers(xero):
    _, c = xero
    r = c.get(f"{API}/Invoices")
    body = r.json()
    assert r.headers["content-type"].startswith("application/json")
    assert body["Status"] == "OK" and body["DateTimeUTC"].startswith("/Date(") and body["ProviderName"]
    assert "date" in r.headers


def test_credit_notes(xero):
    _, c = xero
    note = {"Type": "ACCRECCREDIT", "Contact": {"ContactID": "9a0b1c2d-0000-4000-8000-000000000100"},
            "CreditNoteNumber": "CN-5004", "Date": "2026-11-01", "Status": "AUTHORISED",
            "LineItems": [line(qty="3", unit="12.50")]}
    r = c.put(f"{API}/CreditNotes?unitdp=4", json={"CreditNotes": [note]})
    assert r.status_code == 200, r.text
    cn = loads(r)["CreditNotes"][0]
    assert (cn["SubTotal"], cn["TotalTax"], cn["Total"]) == (Decimal("37.50"), Decimal("3.75"), Decimal("41.25"))
    assert c.put(f"{API}/CreditNotes", json={"CreditNotes": [note]}).status_code == 400
    assert [n["CreditNoteNumber"] for n in loads(c.get(f"{API}/CreditNotes"))["CreditNotes"]] == ["CN-5004"]
    assert c.put(f"{API}/CreditNotes", json={"CreditNotes": [dict(note, Type="ACCREC")]}).status_code == 400


def test_existing_scenario_invoice_blocks_its_number():
    sb = Sandbox.open(SCENARIOS / "clean.json")
    c = client(sb)
    c.headers.update(xero_headers(connect(c)["access_token"]))
    existing = loads(c.get(f"{API}/Invoices", params={"InvoiceNumbers": "INV-4999"}))["Invoices"][0]
    assert existing["Total"] == Decimal("495.00")
    assert messages(put(c, invoice("INV-4999"))) == ["Invoice # must be unique."]
    # the second tenant carries no books of its own, so it starts with a copy of the top-level ones
    # (scenario.md, "Several organisations"); from then on each tenant's numbers are its own
    other = xero_headers(c.headers["authorization"][7:], "7d2b9c1e-1111-4a2b-8c3d-4e5f60718293")
    other_client = client(sb, headers=other)
    assert [i["InvoiceNumber"] for i in loads(other_client.get(f"{API}/Invoices"))["Invoices"]] == ["INV-4999"]
    assert messages(put(other_client, invoice("INV-4999"))) == ["Invoice # must be unique."]
    assert put(other_client, invoice("INV-5000")).status_code == 200
    assert put(c, invoice("INV-5000")).status_code == 200


def test_state_lists_created_invoices(xero):
    sb, c = xero
    put(c, invoice())
    st = sb.state()
    assert [i["InvoiceNumber"] for i in st["xero"]["Invoices"]] == ["INV-9001"]
    assert st["xero"]["Invoices"][0]["Total"] == Decimal("100.00")
    assert {"api": "xero", "method": "PUT", "path": f"{API}/Invoices", "status": 200, "query": "unitdp=4",
            "elements": 1} in st["requests"]
