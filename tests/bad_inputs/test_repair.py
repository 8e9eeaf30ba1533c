"""`depot-sync repair`: the damaged file kept aside, synced invoices still synced, no Xero write."""

from __future__ import annotations

import json
import shutil
import sqlite3

from depot_gui.store.backup import backups

from .conftest import DEMO, xero_documents
from .test_store_damage import _overwrite_page, _root_page


def _requests(data_dir) -> list[dict]:
    return json.loads((data_dir / "sandbox" / "state.json").read_text())["requests"]


def _writes(requests: list[dict]) -> list[dict]:
    """Requests that could change Xero or Autotask data (token requests are identity, not data)."""
    return [r for r in requests if r["api"] in ("xero", "autotask") and r["method"] not in ("GET", "HEAD")
            and not (r["api"] == "autotask" and r["path"].lower().endswith("/query"))]


def test_repair_rebuilds_synced_states_without_a_write(cli, synced_dir):
    db = synced_dir / "depot.sqlite3"
    for old in backups(synced_dir / "backups"):
        old.unlink()  # no backup: everything comes from Autotask and Xero
    _overwrite_page(db, _root_page(db, "invoices"))
    damaged_bytes = db.read_bytes()
    xero_before = xero_documents(synced_dir)
    seen = len(_requests(synced_dir))

    ran = cli("--data-dir", synced_dir, "--sandbox", DEMO, "repair")
    assert ran.code == 0, ran.err
    assert ran.err == ""
    kept = sorted(synced_dir.glob("depot.sqlite3.damaged-*"))
    assert [p.name for p in kept if not p.name.endswith(("-wal", "-shm"))] == [kept[0].name]
    assert kept[0].read_bytes() == damaged_bytes
    assert "No usable backup was found: the audit history and sync attempts are lost" in ran.out
    assert "2 synced (INV-5001, INV-5003). Nothing was written to Xero or Autotask." in ran.out
    assert xero_documents(synced_dir) == xero_before
    assert _writes(_requests(synced_dir)[seen:]) == []

    ran = cli("--data-dir", synced_dir, "status", "--json")
    assert ran.code == 0
    rows = {r["invoice_number"]: r["status"] for r in json.loads(ran.out)}
    assert rows == {"INV-5001": "synced", "INV-5003": "synced"}


def test_repair_starts_from_the_newest_good_backup(cli, synced_dir):
    db = synced_dir / "depot.sqlite3"
    (newest,) = backups(synced_dir / "backups")
    older = newest.with_name("depot-2000-01-01.sqlite3")
    shutil.copyfile(newest, older)
    conn = sqlite3.connect(older)
    with conn:  # history only the backup holds
        conn.execute("INSERT INTO audits(autotask_id, at, status, difference, causes) VALUES(5002, '2000-01-01T09:00:00+00:00', 'mismatch', '4177.80', '[]')")
    conn.close()
    with open(newest, "r+b") as fh:  # today's copy damaged too: the older one is used
        fh.write(b"garbage" * 10)
    _overwrite_page(db, _root_page(db, "invoices"))
    ran = cli("--data-dir", synced_dir, "--sandbox", DEMO, "repair")
    assert ran.code == 0, ran.err
    assert "Started again from the backup depot-2000-01-01.sqlite3;" in ran.out
    conn = sqlite3.connect(db)
    try:
        history = conn.execute("SELECT autotask_id, at FROM audits WHERE at < '2001'").fetchall()
        statuses = dict(conn.execute("SELECT invoice_number, status FROM invoices").fetchall())
    finally:
        conn.close()
    assert history == [(5002, "2000-01-01T09:00:00+00:00")]
    assert statuses == {"INV-5001": "synced", "INV-5003": "synced"}


def test_repair_of_a_sound_database_moves_nothing(cli, synced_dir):
    ran = cli("--data-dir", synced_dir, "--sandbox", DEMO, "repair")
    assert ran.code == 0, ran.err
    assert ran.out.splitlines()[0] == f"The local database {synced_dir / 'depot.sqlite3'} is sound; the invoice states were checked again."
    assert list(synced_dir.glob("depot.sqlite3.damaged-*")) == []


def test_repair_records_a_document_without_our_mark_as_conflict(cli, synced_dir):
    state_file = synced_dir / "sandbox" / "state.json"
    state = json.loads(state_file.read_text())
    for tenant in state["xero"]["tenants"].values():
        for inv in tenant["Invoices"]:
            if inv.get("InvoiceNumber") == "INV-5003":
                inv["Reference"] = "typed in Xero by hand"
    state_file.write_text(json.dumps(state))
    db = synced_dir / "depot.sqlite3"
    _overwrite_page(db, _root_page(db, "invoices"))
    ran = cli("--data-dir", synced_dir, "--sandbox", DEMO, "repair")
    assert ran.code == 0, ran.err
    assert "not recorded as synced: INV-5003." in ran.out
    rows = {r["invoice_number"]: r["status"] for r in json.loads(cli("--data-dir", synced_dir, "status", "--json").out)}
    assert rows["INV-5001"] == "synced"
    assert rows["INV-5003"] == "conflict"


def test_repair_with_an_empty_data_dir_argument(cli, tmp_path):
    ran = cli("--data-dir", "", "repair")
    assert ran.code == 2
    assert ran.line.startswith("depot-sync: argument --data-dir: must not be empty")
