"""State at memory speed: exact numbers from the C encoder, no write for a read, a bounded request log."""

from __future__ import annotations

import json
import os
from decimal import Decimal

from depot_gui.sandbox import Sandbox
from depot_gui.sandbox.http.messages import dumps
from depot_gui.sandbox.state import read_saved

from .helpers import AT_HEADERS, DEMO, client, connect, xero_headers

V = "/atservicesrest/v1.0"


def test_decimals_are_written_as_their_digits():
    doc = {"a": Decimal("1.10"), "b": [Decimal("-0.00"), Decimal("1E+2"), Decimal("1E-7"), 3, 2.5, None, True],
           "c": "caf\u00e9"}
    assert dumps(doc) == '{"a":1.10,"b":[-0.00,100,0.0000001,3,2.5,null,true],"c":"caf\\u00e9"}'


def test_a_string_that_looks_like_a_marked_number_stays_a_string():
    assert dumps({"s": "\x00decimal:5", "d": Decimal("3")}) == '{"s":"\\u0000decimal:5","d":3}'
    assert dumps(["\x00decimal:7"]) == '["\\u0000decimal:7"]'


def test_reading_the_state_does_not_write_the_file(tmp_path):
    sb = Sandbox.open(DEMO, tmp_path)
    client(sb, headers=AT_HEADERS).get(f"{V}/Invoices/5001")
    files = [tmp_path / "state.json", tmp_path / "state.journal"]
    before = [(st.st_ino, st.st_mtime_ns, st.st_size) for st in map(os.stat, files)]
    sb.state()
    sb.now()
    Sandbox.open(DEMO, tmp_path).state()
    assert [(st.st_ino, st.st_mtime_ns, st.st_size) for st in map(os.stat, files)] == before


def test_changes_of_two_processes_to_different_parts_are_all_kept(tmp_path):
    a, b = Sandbox.open(DEMO, tmp_path), Sandbox.open(DEMO, tmp_path)
    xa = client(a)
    xa.headers.update(xero_headers(connect(xa)["access_token"]))
    client(b, headers=AT_HEADERS).patch(f"{V}/Invoices", json={"id": 5001, "webServiceDate": "2026-11-20T09:01:00"})
    assert xa.put("/api.xro/2.0/Contacts", json={"Contacts": [{"Name": "Made In A"}]}).status_code == 200
    client(b, headers=AT_HEADERS).patch(f"{V}/Invoices", json={"id": 5002, "webServiceDate": "2026-11-20T09:02:00"})
    saved = read_saved(tmp_path / "state.json")  # the file and its journal, as another process reads them
    changes = saved["autotask"]["changes"]["Invoices"]
    assert (changes["5001"]["webServiceDate"], changes["5002"]["webServiceDate"]) == (
        "2026-11-20T09:01:00", "2026-11-20T09:02:00")
    names = [c["Name"] for t in saved["xero"]["tenants"].values() for c in t["Contacts"]]
    assert names.count("Made In A") == 1
    assert [r["method"] for r in Sandbox.open(DEMO, tmp_path).state()["requests"]][-3:] == ["PATCH", "PUT", "PATCH"]


def test_the_request_log_keeps_the_newest(tmp_path, monkeypatch):
    monkeypatch.setattr("depot_gui.sandbox.state.REQUEST_LOG_LIMIT", 3)
    sb = Sandbox.open(DEMO, tmp_path)
    c = client(sb, headers=AT_HEADERS)
    for i in (5001, 5002, 5003, 5004, 5005):
        c.get(f"{V}/Invoices/{i}")
    want = [f"{V}/Invoices/5003", f"{V}/Invoices/5004", f"{V}/Invoices/5005"]
    assert [r["path"] for r in sb.state()["requests"]] == want
    assert [r["path"] for r in Sandbox.open(DEMO, tmp_path).state()["requests"]] == want
    assert [r["path"] for r in read_saved(tmp_path / "state.json")["requests"]] == want
    sb.save()
    assert [r["path"] for r in json.loads((tmp_path / "state.json").read_text())["requests"]] == want


def test_the_request_log_of_a_sandbox_in_memory_is_bounded_too(monkeypatch):
    monkeypatch.setattr("depot_gui.sandbox.state.REQUEST_LOG_LIMIT", 2)
    sb = Sandbox.open(DEMO)
    c = client(sb, headers=AT_HEADERS)
    for i in (5001, 5002, 5003):
        c.get(f"{V}/Invoices/{i}")
    assert [r["path"] for r in sb.state()["requests"]] == [f"{V}/Invoices/5002", f"{V}/Invoices/5003"]
