"""Fault injection, in-process (httpx2 exceptions) and over loopback (real sockets)."""

from __future__ import annotations

import time

import httpx2
import pytest

from depot_gui.sandbox import Sandbox

from .helpers import AT_HEADERS, DEMO, SCENARIOS, client, connect, xero_headers

V = "/atservicesrest/v1.0"
API = "/api.xro/2.0"
INVOICE = {"Type": "ACCREC", "Contact": {"ContactID": "9a0b1c2d-0000-4000-8000-000000000100"},
           "InvoiceNumber": "INV-F1", "Date": "2026-11-01", "DueDate": "2026-11-15", "Status": "AUTHORISED",
           "LineItems": [{"Description": "x", "Quantity": 1, "UnitAmount": 10, "AccountCode": "200",
                          "TaxType": "OUTPUT"}]}


@pytest.fixture(params=["inprocess", "loopback"])
def setup(request):
    """(sandbox, base_url, transport or None) for both ways of reaching the sandbox."""
    sb = Sandbox.open(DEMO, hold_seconds=5)
    if request.param == "inprocess":
        yield sb, "http://sandbox.invalid", sb.transport()
    else:
        server = sb.serve("127.0.0.1", 0)
        try:
            yield sb, server.base_url, None
        finally:
            server.shutdown()


def make_client(setup, **kw):
    sb, base, transport = setup
    return httpx2.Client(base_url=base, transport=transport, **kw)


def xero_client(setup):
    c = make_client(setup, timeout=1.0)
    c.headers.update(xero_headers(connect(c)["access_token"]))
    return c


def last(sb):
    return sb.state()["requests"][-1]


def test_status_fault_changes_nothing(setup):
    sb = setup[0]
    c = xero_client(setup)
    sb.add_fault({"api": "xero", "method": "PUT", "path": "/Invoices$", "nth": 1, "kind": "status", "status": 429,
                  "retryAfter": 7})
    r = c.put(f"{API}/Invoices", json={"Invoices": [INVOICE]})
    assert r.status_code == 429 and r.headers["retry-after"] == "7"
    assert sb.state()["xero"]["Invoices"] == []
    assert last(sb) == {"api": "xero", "method": "PUT", "path": f"{API}/Invoices", "status": 429, "elements": 1,
                        "fault": "status"}
    assert c.put(f"{API}/Invoices", json={"Invoices": [INVOICE]}).status_code == 200  # nth=1 only


@pytest.mark.parametrize("status", [500, 503, 401])
def test_status_fault_bodies_per_api(setup, status):
    sb = setup[0]
    c = make_client(setup, headers=AT_HEADERS)
    sb.add_fault({"api": "autotask", "path": "/Invoices/5001", "kind": "status", "status": status})
    r = c.get(f"{V}/Invoices/5001")
    assert r.status_code == status and isinstance(r.json()["errors"], list)


def test_timeout_after_commit_applies_then_never_answers(setup):
    sb = setup[0]
    c = xero_client(setup)
    sb.add_fault({"api": "xero", "method": "PUT", "path": "/Invoices", "nth": 1, "kind": "timeout_after_commit"})
    started = time.monotonic()
    with pytest.raises(httpx2.ReadTimeout):
        c.put(f"{API}/Invoices", json={"Invoices": [INVOICE]}, headers={"Idempotency-Key": "t-1"})
    assert time.monotonic() - started < 4
    assert [i["InvoiceNumber"] for i in sb.state()["xero"]["Invoices"]] == ["INV-F1"]
    entry = [r for r in sb.state()["requests"] if r.get("fault")][-1]
    assert entry == {"api": "xero", "method": "PUT", "path": f"{API}/Invoices", "status": None,
                     "headers": {"Idempotency-Key": "t-1"}, "elements": 1, "fault": "timeout_after_commit"}
    replay = c.put(f"{API}/Invoices", json={"Invoices": [INVOICE]}, headers={"Idempotency-Key": "t-1"})
    assert replay.status_code == 200 and len(sb.state()["xero"]["Invoices"]) == 1


def test_drop_closes_without_applying(setup):
    sb = setup[0]
    c = xero_client(setup)
    sb.add_fault({"api": "xero", "method": "PUT", "path": "/Invoices", "kind": "drop"})
    with pytest.raises(httpx2.RemoteProtocolError):
        c.put(f"{API}/Invoices", json={"Invoices": [INVOICE]})
    assert sb.state()["xero"]["Invoices"] == []
    assert last(sb)["status"] is None and last(sb)["fault"] == "drop"


def test_delay_answers_late(setup):
    sb = setup[0]
    c = make_client(setup, headers=AT_HEADERS, timeout=2.0)
    sb.add_fault({"api": "autotask", "method": "GET", "path": "/Invoices/5001$", "kind": "delay", "seconds": 0.3})
    started = time.monotonic()
    assert c.get(f"{V}/Invoices/5001").status_code == 200
    assert time.monotonic() - started >= 0.3
    assert last(sb)["fault"] == "delay"


def test_delay_beyond_read_timeout_times_out(setup):
    sb = setup[0]
    c = make_client(setup, headers=AT_HEADERS, timeout=httpx2.Timeout(5.0, read=0.3))
    sb.add_fault({"api": "autotask", "method": "GET", "path": "/Invoices/5001$", "kind": "delay", "seconds": 1.0,
                  "nth": 1})
    with pytest.raises(httpx2.ReadTimeout):
        c.get(f"{V}/Invoices/5001")
    time.sleep(0.8)  # loopback: let the server finish the late answer
    assert c.get(f"{V}/Invoices/5001").status_code == 200


def test_nth_counts_matching_requests_only(setup):
    sb = setup[0]
    c = make_client(setup, headers=AT_HEADERS)
    sb.add_fault({"api": "autotask", "method": "GET", "path": r"/Invoices/\d+$", "nth": 3, "kind": "status",
                  "status": 500})
    codes = []
    for path in ("/Invoices/5001", "/Companies/100", "/Invoices/5002", "/Invoices/5003", "/Invoices/5004"):
        codes.append(c.get(f"{V}{path}").status_code)
    assert codes == [200, 200, 200, 500, 200]


def test_scenario_declared_faults_and_persistent_counters(tmp_path):
    sb = Sandbox.open(SCENARIOS / "restricted.json", tmp_path)
    c = client(sb, headers=AT_HEADERS)
    assert c.get(f"{V}/Invoices/5001").status_code == 200
    again = Sandbox.open(SCENARIOS / "restricted.json", tmp_path)  # another process, same data dir
    assert client(again, headers=AT_HEADERS).get(f"{V}/Invoices/5001").status_code == 500
    assert c.get(f"{V}/Invoices/5001").status_code == 200
    x = client(sb)
    x.headers.update(xero_headers(connect(x)["access_token"]))
    assert x.put(f"{API}/Invoices", json={"Invoices": [INVOICE]}).status_code == 503
    assert x.put(f"{API}/Invoices", json={"Invoices": [INVOICE]}).status_code == 200
