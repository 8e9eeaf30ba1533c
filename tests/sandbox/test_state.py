"""State: persistence across Sandbox.open() on one directory, reset on a new scenario, clock anchor."""

from __future__ import annotations

import json
import shutil

from depot_gui.sandbox import Sandbox

from .helpers import AT_HEADERS, DEMO, client, connect, xero_headers

V = "/atservicesrest/v1.0"


def test_effects_survive_a_new_process(tmp_path):
    first = Sandbox.open(DEMO, tmp_path)
    c = client(first, headers=AT_HEADERS)
    f = {"filter": [{"op": "eq", "field": "invoiceID", "value": 5003}]}
    assert len(c.post(f"{V}/BillingItems/query", json=f).json()["items"]) == 2
    c.patch(f"{V}/Invoices", json={"id": 5003, "webServiceDate": "2026-11-20T09:01:00"})
    x = client(first)
    tokens = connect(x)
    second = Sandbox.open(DEMO, tmp_path)
    c2 = client(second, headers=AT_HEADERS)
    assert len(c2.post(f"{V}/BillingItems/query", json=f).json()["items"]) == 3  # pending count persisted
    assert c2.get(f"{V}/Invoices/5003").json()["item"]["webServiceDate"] == "2026-11-20T09:01:00"
    x2 = client(second, headers=xero_headers(tokens["access_token"]))
    assert x2.get("/api.xro/2.0/Organisation").status_code == 200  # the token issued by the first process
    assert len(second.state()["requests"]) == len(first.state()["requests"])


def test_interleaved_processes_see_each_other(tmp_path):
    a = Sandbox.open(DEMO, tmp_path)
    b = Sandbox.open(DEMO, tmp_path)
    ca, cb = client(a, headers=AT_HEADERS), client(b, headers=AT_HEADERS)
    ca.patch(f"{V}/Invoices", json={"id": 5001, "webServiceDate": "2026-11-20T09:01:00"})
    assert cb.get(f"{V}/Invoices/5001").json()["item"]["webServiceDate"] == "2026-11-20T09:01:00"
    cb.patch(f"{V}/Invoices", json={"id": 5002, "webServiceDate": "2026-11-20T09:02:00"})
    assert ca.get(f"{V}/Invoices/5002").json()["item"]["webServiceDate"] == "2026-11-20T09:02:00"
    assert [r["path"] for r in a.state()["requests"]] == [f"{V}/Invoices", f"{V}/Invoices/5001", f"{V}/Invoices",
                                                         f"{V}/Invoices/5002"]


def test_state_resets_when_the_scenario_changes(tmp_path):
    scen = tmp_path / "s.json"
    shutil.copy(DEMO, scen)
    sb = Sandbox.open(scen, tmp_path / "d")
    client(sb, headers=AT_HEADERS).patch(f"{V}/Invoices", json={"id": 5001, "webServiceDate": "2026-11-20T09:01:00"})
    data = json.loads(scen.read_text())
    data["description"] = "changed"
    scen.write_text(json.dumps(data))
    fresh = Sandbox.open(scen, tmp_path / "d")
    assert client(fresh, headers=AT_HEADERS).get(f"{V}/Invoices/5001").json()["item"]["webServiceDate"] is None
    assert fresh.state()["requests"][-1]["path"] == f"{V}/Invoices/5001"
    assert len(fresh.state()["requests"]) == 1


def test_clock_starts_at_scenario_now_and_keeps_its_anchor(tmp_path):
    sb = Sandbox.open(DEMO, tmp_path)
    t1 = sb.now()
    assert t1.isoformat().startswith("2026-11-20T09:00")
    sb.advance_clock(3600)
    assert Sandbox.open(DEMO, tmp_path).now().isoformat().startswith("2026-11-20T10:00")


def test_state_file_is_valid_json_with_numbers(tmp_path):
    sb = Sandbox.open(DEMO, tmp_path)
    c = client(sb)
    c.headers.update(xero_headers(connect(c)["access_token"]))
    c.put("/api.xro/2.0/Invoices", json={"Invoices": [{
        "Type": "ACCREC", "Contact": {"Name": "Bluegum Legal"}, "InvoiceNumber": "INV-S", "DueDate": "2026-12-01",
        "LineItems": [{"Description": "x", "Quantity": 1, "UnitAmount": "0.10", "AccountCode": "200"}]}]})
    assert '"Total":0.11' in (tmp_path / "state.journal").read_text()  # the change, appended
    assert '"Total":0.11' not in (tmp_path / "state.json").read_text()
    sb.save()  # (also at close and at exit): one file again
    assert '"Total":0.11' in (tmp_path / "state.json").read_text()
    assert not (tmp_path / "state.journal").exists()
    assert not list(tmp_path.glob("*.tmp"))


def test_state_shape(demo):
    st = demo.state()
    assert {"name", "now", "autotask", "xero", "requests"} <= st.keys()
    assert "secret" not in st["autotask"]["apiUser"]
    assert st["autotask"]["entities"]["Invoices"][0]["id"] == 5001
    assert st["xero"]["clientId"] == "SANDBOXXEROCLIENTID"


def test_mutate_autotask_hook(tmp_path):
    from decimal import Decimal
    sb = Sandbox.open(DEMO, tmp_path)
    sb.mutate_autotask("Invoices", 5001, {"invoiceTotal": Decimal("1655.5")})
    c = client(Sandbox.open(DEMO, tmp_path), headers=AT_HEADERS)
    assert '"invoiceTotal":1655.5' in c.get(f"{V}/Invoices/5001").text


def test_persisted_timestamps_survive_reload(tmp_path):
    from .helpers import CLIENT_ID
    sb = Sandbox.open(DEMO, tmp_path)
    c = client(sb)
    tokens = connect(c)
    h = xero_headers(tokens["access_token"])
    assert c.get("/api.xro/2.0/Organisation", headers=h).status_code == 200
    r1 = c.post("/connect/token", data={"grant_type": "refresh_token", "client_id": CLIENT_ID,
                                        "refresh_token": tokens["refresh_token"]})
    assert r1.status_code == 200
    other = Sandbox.open(DEMO, tmp_path)
    c2 = client(other)
    assert c2.get("/api.xro/2.0/Organisation", headers=h).status_code == 200
    assert c2.post("/connect/token", data={"grant_type": "refresh_token", "client_id": CLIENT_ID,
                                           "refresh_token": tokens["refresh_token"]}).status_code == 200
    other.advance_clock(1801)
    r = c2.get("/api.xro/2.0/Organisation", headers=h)
    assert r.status_code == 401 and r.json()["Detail"].startswith("TokenExpired")
