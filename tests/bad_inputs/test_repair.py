"""`depot-sync repair`: the damaged file kept aside, synced invoices still synced, no Xero write."""

from __future__ import annotations

import json
import shutil
import sqlite3

import pytest

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


def test_repair_that_could_not_rebuild_for_want_of_a_connection_exits_2(cli, tmp_path):
    data = tmp_path / "d"
    data.mkdir()
    (data / "depot.sqlite3").write_bytes(b"not a database, not at all" * 200)
    ran = cli("--data-dir", data, "repair")  # no sandbox, never connected
    assert ran.code == 2
    assert ran.line == (
        "depot-sync repair: The invoice states were not rebuilt: Autotask is not connected yet: run the setup wizard "
        "in Depot GUI, or `depot-sync connect autotask`. The database is usable again; run repair once Autotask "
        "and Xero are connected.")
    (kept,) = [p for p in data.glob("depot.sqlite3.damaged-*") if not p.name.endswith(("-wal", "-shm"))]
    assert ran.out.splitlines() == [
        "The local database was damaged (file is not a database).",
        f"The damaged file is kept as {kept}.",
        "No usable backup was found: the audit history and sync attempts are lost (they remain only in the "
        "damaged file).",
        "Settings not restored (back at the backup's value or the default; set them again with `depot-sync "
        "settings set` or in Settings): tolerance, service_adjustments, xero_status, number_prefix, "
        "numbering, attach_autotask_pdf, send_from_xero, default_account, rounding_account, contact_match, "
        "exchange_rate, payments_back, audit_months, fresh_minutes, mapping.accounts, mapping.tax_types, "
        "mapping.tracking.",
        "Contact choices could not be read from the damaged file and no copy was kept: those made after the backup "
        "are lost (choose them again with `depot-sync contacts link` or in Xero contacts…).",
    ]


@pytest.mark.parametrize("method, path, status, reason", [
    ("POST", "Invoices/query", 403,  # while rebuilding
     "The Autotask API user is not allowed to access Invoices: give its security level access to Invoices in "
     "Autotask (Admin › Security Levels)."),
    ("GET", "zoneInformation", 401,  # while connecting: set up, but refused
     "Autotask refused the API user's credentials: check the username, secret and integration code."),
])
def test_repair_that_could_not_rebuild_because_autotask_refused_exits_1(cli, tmp_path, method, path, status, reason):
    scenario = json.loads(DEMO.read_text())
    scenario["faults"] = [{"api": "autotask", "method": method, "path": path, "nth": 1, "times": 50,
                           "kind": "status", "status": status}]
    (tmp_path / "refused.json").write_text(json.dumps(scenario))
    ran = cli("--data-dir", tmp_path / "d", "--sandbox", tmp_path / "refused.json", "repair")
    assert ran.code == 1
    assert ran.line == (f"depot-sync repair: The invoice states were not rebuilt: {reason} The database itself is "
                        "sound; run repair once what is said above is fixed.")
    assert ran.out == f"The local database {tmp_path / 'd' / 'depot.sqlite3'} is sound.\n"


def _choices_set(cli, data_dir) -> None:
    for key, value in (("tolerance", "5.00"), ("xero_status", "authorised"), ("service_adjustments", "on")):
        assert cli("--data-dir", data_dir, "settings", "set", key, value).code == 0
    for company in ("Acme Dental Group", "Bluegum Legal"):
        ran = cli("--data-dir", data_dir, "--sandbox", DEMO, "contacts", "link", company, "Acme Dental Group")
        assert ran.code == 0, ran.err


def _links(data_dir) -> list[tuple]:
    conn = sqlite3.connect(data_dir / "depot.sqlite3")
    try:
        return conn.execute("SELECT company_name, contact_name, decision FROM contact_links "
                            "WHERE decision != 'auto' ORDER BY company_id").fetchall()
    finally:
        conn.close()


CHOSEN = [("Acme Dental Group", "Acme Dental Group", "link"), ("Bluegum Legal", "Acme Dental Group", "link")]


@pytest.mark.parametrize("table", ["settings", "contact_links"])
def test_repair_restores_settings_and_contact_choices_from_the_kept_copy(cli, synced_dir, table):
    _choices_set(cli, synced_dir)
    assert _links(synced_dir) == CHOSEN
    db = synced_dir / "depot.sqlite3"
    _overwrite_page(db, _root_page(db, table))
    ran = cli("--data-dir", synced_dir, "--sandbox", DEMO, "repair")
    assert ran.code == 0, ran.err
    copy, damaged = "the copy kept beside the database (depot-choices.json)", "the damaged file"
    settings_from, links_from = (copy, damaged) if table == "settings" else (damaged, copy)
    lines = ran.out.splitlines()
    assert f"Settings restored: 14, from {settings_from}." in lines
    assert f"Contact choices restored: 3, from {links_from}." in lines
    assert "not restored" not in ran.out
    shown = cli("--data-dir", synced_dir, "settings", "show").out.splitlines()
    assert {"tolerance = 5.00", "xero_status = approved", "service_adjustments = on"} <= set(shown)
    assert _links(synced_dir) == CHOSEN


def test_repair_names_each_setting_it_could_not_restore(cli, synced_dir):
    _choices_set(cli, synced_dir)
    (synced_dir / "depot-choices.json").unlink()  # no copy, and the damaged file's settings unreadable
    db = synced_dir / "depot.sqlite3"
    _overwrite_page(db, _root_page(db, "settings"))
    ran = cli("--data-dir", synced_dir, "--sandbox", DEMO, "repair")
    assert ran.code == 0, ran.err
    assert ("Settings not restored (back at the backup's value or the default; set them again with "
            "`depot-sync settings set` or in Settings): tolerance, service_adjustments, xero_status, number_prefix, "
            "numbering, attach_autotask_pdf, send_from_xero, default_account, rounding_account, contact_match, "
            "exchange_rate, payments_back, audit_months, fresh_minutes, mapping.accounts, mapping.tax_types, "
            "mapping.tracking.") in ran.out.splitlines()
    assert "Contact choices restored: 3, from the damaged file." in ran.out.splitlines()


def test_repair_says_when_the_kept_copy_itself_is_unreadable(cli, synced_dir):
    _choices_set(cli, synced_dir)
    (synced_dir / "depot-choices.json").write_text("{half a copy")
    db = synced_dir / "depot.sqlite3"
    _overwrite_page(db, _root_page(db, "settings"))
    ran = cli("--data-dir", synced_dir, "--sandbox", DEMO, "repair")
    assert ran.code == 0, ran.err
    lines = ran.out.splitlines()
    assert any(line.startswith("Settings not restored (back at the backup's value or the default; ") for line in lines)
    assert ("Note: the copy depot-choices.json could not be read (Expecting property name enclosed in double quotes: "
            "line 1 column 2 (char 1)).") in lines
    assert "tolerance = 3.00" in cli("--data-dir", synced_dir, "settings", "show").out.splitlines()  # the backup's
