"""The state file and its journal: a request appends what it changed; the file is written whole
again when the journal outgrows it, at close and at exit; a line cut short is no transaction."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from depot_gui.sandbox import Sandbox, StateDamaged

from .helpers import AT_HEADERS, DEMO, client

V = "/atservicesrest/v1.0"


def stamp(sb: Sandbox, invoice_id: int, when: str) -> None:
    r = client(sb, headers=AT_HEADERS).patch(f"{V}/Invoices", json={"id": invoice_id, "webServiceDate": when})
    assert r.status_code == 200


def stamped(sb: Sandbox) -> dict[str, str]:
    changes = sb.state()["autotask"]["entities"]["Invoices"]
    return {str(i["id"]): i["webServiceDate"] for i in changes if i.get("webServiceDate")}


def test_a_request_appends_one_line_and_leaves_the_state_file_alone(tmp_path):
    sb = Sandbox.open(DEMO, tmp_path)
    before = (tmp_path / "state.json").read_bytes()
    stamp(sb, 5001, "2026-11-20T09:01:00")
    stamp(sb, 5002, "2026-11-20T09:02:00")
    assert (tmp_path / "state.json").read_bytes() == before
    lines = (tmp_path / "state.journal").read_text().splitlines()
    assert len(lines) == 2
    assert [[r["method"] for r in json.loads(line)["log"]] for line in lines] == [["PATCH"], ["PATCH"]]
    second = json.loads(lines[1])
    assert second["set"] == {}  # no section whole: the record the PATCH changed, and the request count
    assert [place for place, _ in second["put"]] == [["autotask", "changes", "Invoices", "5002"], ["autotask", "hourly"]]
    assert second["put"][0][1] == {"webServiceDate": "2026-11-20T09:02:00"}
    assert stamped(Sandbox.open(DEMO, tmp_path)) == {"5001": "2026-11-20T09:01:00", "5002": "2026-11-20T09:02:00"}


def test_the_journal_is_folded_in_once_it_outgrows_the_state_file(tmp_path, monkeypatch):
    monkeypatch.setattr("depot_gui.sandbox.state.JOURNAL_MIN_BYTES", 0)
    sb = Sandbox.open(DEMO, tmp_path)
    document = (tmp_path / "state.json").stat().st_size
    k = 0
    while not (tmp_path / "state.journal").exists() or (tmp_path / "state.journal").stat().st_size <= document:
        k += 1
        client(sb, headers=AT_HEADERS).get(f"{V}/Invoices/5001")
    client(sb, headers=AT_HEADERS).get(f"{V}/Invoices/5002")  # the first save past the state file's size
    assert not (tmp_path / "state.journal").exists()
    saved = json.loads((tmp_path / "state.json").read_text())
    assert [r["path"] for r in saved["requests"]] == [f"{V}/Invoices/5001"] * k + [f"{V}/Invoices/5002"]
    assert saved["generation"] == 2


def test_a_last_line_cut_short_is_dropped_and_the_next_change_follows_the_whole_ones(tmp_path):
    sb = Sandbox.open(DEMO, tmp_path)
    stamp(sb, 5001, "2026-11-20T09:01:00")
    stamp(sb, 5002, "2026-11-20T09:02:00")
    journal = tmp_path / "state.journal"
    text = journal.read_bytes()
    journal.write_bytes(text[:-40])  # a process died writing its second line
    other = Sandbox.open(DEMO, tmp_path)
    assert stamped(other) == {"5001": "2026-11-20T09:01:00"}
    stamp(other, 5003, "2026-11-20T09:03:00")
    assert stamped(Sandbox.open(DEMO, tmp_path)) == {"5001": "2026-11-20T09:01:00", "5003": "2026-11-20T09:03:00"}
    assert len(journal.read_text().splitlines()) == 2


def test_a_damaged_whole_line_is_said_never_skipped(tmp_path):
    sb = Sandbox.open(DEMO, tmp_path)
    stamp(sb, 5001, "2026-11-20T09:01:00")
    journal = tmp_path / "state.journal"
    journal.write_text("not json\n" + journal.read_text())
    with pytest.raises(StateDamaged, match="state.journal is damaged"):
        Sandbox.open(DEMO, tmp_path)


def test_a_process_that_exits_leaves_one_whole_state_file_and_one_killed_leaves_its_journal(tmp_path):
    code = ("import os, sys, httpx2; from depot_gui.sandbox import Sandbox; "
            "sb = Sandbox.open(sys.argv[1], sys.argv[2]); "
            "c = httpx2.Client(transport=sb.transport(), base_url='http://sandbox.invalid', headers=%r); "
            "c.patch('%s/Invoices', json={'id': int(sys.argv[3]), 'webServiceDate': '2026-11-20T09:0' + sys.argv[3][-1] "
            "+ ':00'}); os._exit(0) if sys.argv[4] == 'kill' else None") % (AT_HEADERS, V)
    subprocess.run([sys.executable, "-c", code, str(DEMO), str(tmp_path), "5001", "exit"], check=True, timeout=60)
    assert not (tmp_path / "state.journal").exists()
    saved = json.loads((tmp_path / "state.json").read_text())
    assert saved["autotask"]["changes"]["Invoices"]["5001"]["webServiceDate"] == "2026-11-20T09:01:00"
    subprocess.run([sys.executable, "-c", code, str(DEMO), str(tmp_path), "5002", "kill"], check=True, timeout=60)
    assert (tmp_path / "state.journal").exists()
    assert stamped(Sandbox.open(DEMO, tmp_path)) == {"5001": "2026-11-20T09:01:00", "5002": "2026-11-20T09:02:00"}
