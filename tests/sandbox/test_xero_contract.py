"""The scenario contract's newer Xero rules, probed over HTTP as a client would: the ``partial_commit``
fault, what the request log keeps (query, meaning-changing headers, batch sizes), the OpenAPI spec's
length limits, and a bookkeeper deleting or editing a draft through the API (with the idempotency
replay that follows)."""

from __future__ import annotations

import json
from decimal import Decimal

import httpx2
import pytest

from depot_gui.sandbox import Sandbox

from .helpers import DEMO, bookkeeper, client, connect, xero_headers

API = "/api.xro/2.0"
ACME = "9a0b1c2d-0000-4000-8000-000000000100"


def loads(r):
    return json.loads(r.text, parse_float=Decimal)


def inv(number, unit="10", status="DRAFT", **extra):
    d = {"Type": "ACCREC", "Contact": {"ContactID": ACME}, "InvoiceNumber": number, "Date": "2026-11-01",
         "DueDate": "2026-11-15", "Status": status, "LineAmountTypes": "Exclusive",
         "LineItems": [{"Description": "Support", "Quantity": "1", "UnitAmount": unit, "AccountCode": "200",
                        "TaxType": "OUTPUT"}]}
    d.update(extra)
    return d


def messages(r):
    return [m["Message"] for el in loads(r)["Elements"] for m in el["ValidationErrors"]]


def numbers(sb, status=None):
    return [i["InvoiceNumber"] for i in sb.state()["xero"]["Invoices"] if status is None or i["Status"] == status]


# -- partial_commit -------------------------------------------------------------------------------

@pytest.mark.parametrize("way", ["inprocess", "loopback"])
def test_partial_commit_lands_the_first_k_then_no_answer(way):
    sb = Sandbox.open(DEMO, hold_seconds=3)
    server = sb.serve("127.0.0.1", 0) if way == "loopback" else None
    try:
        c = (httpx2.Client(base_url=server.base_url, timeout=1.0) if server
              else client(sb, timeout=1.0))
        c.headers.update(xero_headers(connect(c)["access_token"]))
        sb.add_fault({"api": "xero", "method": "PUT", "path": "/Invoices$", "nth": 1, "kind": "partial_commit",
                      "elements": 3})
        body = {"Invoices": [inv(f"P-{n}") for n in range(1, 11)]}
        with pytest.raises(httpx2.ReadTimeout):
            c.put(f"{API}/Invoices?summarizeErrors=false", json=body, headers={"Idempotency-Key": "batch-1"})
        assert numbers(sb) == ["P-1", "P-2", "P-3"]
        assert sb.state()["requests"][-1] == {
            "api": "xero", "method": "PUT", "path": f"{API}/Invoices", "status": None,
            "query": "summarizeErrors=false", "headers": {"Idempotency-Key": "batch-1"}, "elements": 10,
            "fault": "partial_commit"}
        # nothing was answered, so nothing is replayed: the same key and body is a fresh write, and
        # Xero's uniqueness rule refuses the three that landed
        r = c.put(f"{API}/Invoices?summarizeErrors=false", json=body, headers={"Idempotency-Key": "batch-1"})
        assert r.status_code == 200 and "idempotent-replayed" not in r.headers
        assert [e["StatusAttributeString"] for e in loads(r)["Invoices"]] == ["ERROR"] * 3 + ["OK"] * 7
        assert numbers(sb) == [f"P-{n}" for n in range(1, 11)]
        c.close()
    finally:
        if server:
            server.shutdown()


def test_partial_commit_of_zero_lands_nothing(xero):
    sb, c = xero
    sb.add_fault({"api": "xero", "method": "PUT", "path": "/Invoices$", "nth": 1, "kind": "partial_commit",
                  "elements": 0})
    with pytest.raises(httpx2.ReadTimeout):
        c.put(f"{API}/Invoices", json={"Invoices": [inv("Z-1"), inv("Z-2")]})
    assert numbers(sb) == []


def test_partial_commit_in_a_scenario_file_needs_elements(tmp_path):
    from depot_gui.sandbox.scenario import ScenarioError

    data = json.loads(DEMO.read_text())
    data["faults"] = [{"api": "xero", "method": "PUT", "path": "/Invoices", "nth": 1, "kind": "partial_commit"}]
    p = tmp_path / "s.json"
    p.write_text(json.dumps(data))
    with pytest.raises(ScenarioError) as err:
        Sandbox.open(p)
    assert str(err.value) == f'{p}: $.faults[0]: missing required key "elements"'
    data["faults"][0]["elements"] = 2
    p.write_text(json.dumps(data))
    assert Sandbox.open(p).state()["faults"][0]["elements"] == 2


# -- the request log ------------------------------------------------------------------------------

def test_request_log_keeps_query_headers_and_batch_sizes(xero):
    sb, c = xero
    before = len(sb.state()["requests"])
    c.get(f"{API}/Accounts", headers={"If-Modified-Since": "2026-11-01T00:00:00"})
    c.get(f"{API}/Invoices", params={"InvoiceNumbers": "A-1,A-2", "page": "1"})
    c.put(f"{API}/Invoices?unitdp=4", json={"Invoices": [inv("L-1"), inv("L-2")]}, headers={"Idempotency-Key": "k-7"})
    c.post(f"{API}/Contacts", json={"Contacts": [{"Name": "New One"}]})
    doc = loads(c.get(f"{API}/Invoices/L-1"))["Invoices"][0]
    c.post(f"{API}/Invoices/{doc['InvoiceID']}", json={"Status": "DELETED"})
    log = sb.state()["requests"][before:]
    assert log == [
        {"api": "xero", "method": "GET", "path": f"{API}/Accounts", "status": 200,
         "headers": {"If-Modified-Since": "2026-11-01T00:00:00"}},
        {"api": "xero", "method": "GET", "path": f"{API}/Invoices", "status": 200,
         "query": "InvoiceNumbers=A-1%2CA-2&page=1"},
        {"api": "xero", "method": "PUT", "path": f"{API}/Invoices", "status": 200, "query": "unitdp=4",
         "headers": {"Idempotency-Key": "k-7"}, "elements": 2},
        {"api": "xero", "method": "POST", "path": f"{API}/Contacts", "status": 200, "elements": 1},
        {"api": "xero", "method": "GET", "path": f"{API}/Invoices/L-1", "status": 200},
        {"api": "xero", "method": "POST", "path": f"{API}/Invoices/{doc['InvoiceID']}", "status": 200},
    ]


# -- lengths from the OpenAPI spec ----------------------------------------------------------------

def test_invoice_number_at_most_255(xero):
    sb, c = xero
    assert c.put(f"{API}/Invoices", json={"Invoices": [inv("N" * 255)]}).status_code == 200
    r = c.put(f"{API}/Invoices", json={"Invoices": [inv("M" * 256)]})
    assert r.status_code == 400 and loads(r)["Type"] == "ValidationException"
    assert messages(r) == ["InvoiceNumber must not be longer than 255 characters; it has 256."]
    assert numbers(sb) == ["N" * 255]


def test_contact_name_at_most_255_and_account_number_at_most_50(xero):
    sb, c = xero
    r = c.put(f"{API}/Contacts", json={"Contacts": [{"Name": "C" * 256, "AccountNumber": "A" * 51}]})
    assert r.status_code == 400 and loads(r)["Type"] == "ValidationException"
    assert messages(r) == ["AccountNumber must not be longer than 50 characters; it has 51.",
                           "Name must not be longer than 255 characters; it has 256."]
    ok = c.put(f"{API}/Contacts", json={"Contacts": [{"Name": "C" * 255, "AccountNumber": "A" * 50}]})
    assert ok.status_code == 200
    # a new contact named inside an invoice obeys the same rule
    r = c.put(f"{API}/Invoices", json={"Invoices": [inv("LONG-1", Contact={"Name": "D" * 600})]})
    assert messages(r) == ["Name must not be longer than 255 characters; it has 600."]
    assert [x["Name"] for x in sb.state()["xero"]["Contacts"] if len(x["Name"]) > 200] == ["C" * 255]
    assert numbers(sb) == []


# -- a bookkeeper's own changes -------------------------------------------------------------------

def test_bookkeeper_deletes_a_draft_and_the_reused_key_replays_the_old_answer(xero):
    sb, c = xero
    first = c.put(f"{API}/Invoices", json={"Invoices": [inv("INV-5001")]}, headers={"Idempotency-Key": "create-5001"})
    created = loads(first)["Invoices"][0]
    bk = bookkeeper(sb)
    r = bk.post(f"{API}/Invoices/{created['InvoiceID']}", json={"InvoiceID": created["InvoiceID"], "Status": "DELETED"})
    assert r.status_code == 200 and loads(r)["Invoices"][0]["Status"] == "DELETED"
    assert numbers(sb, "DRAFT") == []
    # the app sends the same create with the same key: Xero replays the first answer (a DRAFT that no
    # longer exists) and creates nothing
    again = c.put(f"{API}/Invoices", json={"Invoices": [inv("INV-5001")]}, headers={"Idempotency-Key": "create-5001"})
    assert again.headers["idempotent-replayed"] == "true"
    assert loads(again)["Invoices"][0]["Status"] == "DRAFT"
    assert loads(again)["Invoices"][0]["InvoiceID"] == created["InvoiceID"]
    assert [(i["InvoiceNumber"], i["Status"]) for i in sb.state()["xero"]["Invoices"]] == [("INV-5001", "DELETED")]
    # a read shows the truth, and a new key makes a new draft under the freed number
    got = loads(c.get(f"{API}/Invoices/{created['InvoiceID']}"))["Invoices"][0]
    assert got["Status"] == "DELETED"
    fresh = c.put(f"{API}/Invoices", json={"Invoices": [inv("INV-5001")]}, headers={"Idempotency-Key": "create-5001-b"})
    assert fresh.status_code == 200 and loads(fresh)["Invoices"][0]["InvoiceID"] != created["InvoiceID"]
    assert [(i["InvoiceNumber"], i["Status"]) for i in sb.state()["xero"]["Invoices"]] == [
        ("INV-5001", "DELETED"), ("INV-5001", "DRAFT")]


def test_bookkeeper_edits_a_draft_and_the_reused_update_key_replays(xero):
    sb, c = xero
    created = loads(c.put(f"{API}/Invoices", json={"Invoices": [inv("INV-5002")]}))["Invoices"][0]
    iid = created["InvoiceID"]
    update = {"InvoiceID": iid, "LineItems": inv("INV-5002")["LineItems"]}
    first = c.post(f"{API}/Invoices/{iid}", json={"Invoices": [update]}, headers={"Idempotency-Key": "upd-5002"})
    assert loads(first)["Invoices"][0]["Total"] == Decimal("11.00")
    bk = bookkeeper(sb)
    edit = dict(inv("INV-5002", unit="25")["LineItems"][0], Description="Support (agreed 25)")
    r = bk.post(f"{API}/Invoices/{iid}", json={"LineItems": [edit]})
    assert r.status_code == 200 and loads(r)["Invoices"][0]["Total"] == Decimal("27.50")
    again = c.post(f"{API}/Invoices/{iid}", json={"Invoices": [update]}, headers={"Idempotency-Key": "upd-5002"})
    assert again.headers["idempotent-replayed"] == "true"
    assert loads(again)["Invoices"][0]["Total"] == Decimal("11.00")  # the old answer...
    kept = sb.state()["xero"]["Invoices"][0]
    assert (kept["Total"], kept["LineItems"][0]["Description"]) == (Decimal("27.50"), "Support (agreed 25)")  # ...Xero keeps the edit


@pytest.mark.parametrize("status,change,ok", [
    ("DRAFT", {"Status": "DELETED"}, True),
    ("SUBMITTED", {"Status": "DELETED"}, True),
    ("AUTHORISED", {"Status": "DELETED"}, False),
    ("AUTHORISED", {"Status": "VOIDED"}, True),
    ("SUBMITTED", {"LineItems": [{"Description": "x", "Quantity": "2", "UnitAmount": "10", "AccountCode": "200",
                                  "TaxType": "OUTPUT"}]}, True),
    ("AUTHORISED", {"LineItems": [{"Description": "x", "Quantity": "2", "UnitAmount": "10", "AccountCode": "200",
                                   "TaxType": "OUTPUT"}]}, False),
])
def test_what_a_bookkeeper_may_change_per_status(xero, status, change, ok):
    sb, c = xero
    iid = loads(c.put(f"{API}/Invoices", json={"Invoices": [inv("S-1", status=status)]}))["Invoices"][0]["InvoiceID"]
    r = bookkeeper(sb).post(f"{API}/Invoices/{iid}", json=change)
    assert r.status_code == (200 if ok else 400), r.text
    kept = sb.state()["xero"]["Invoices"][0]
    if ok:
        assert kept["Status"] == change.get("Status", status)
        assert kept["Total"] == (Decimal("22.00") if "LineItems" in change else Decimal("11.00"))
    else:
        assert (kept["Status"], kept["Total"]) == (status, Decimal("11.00"))
