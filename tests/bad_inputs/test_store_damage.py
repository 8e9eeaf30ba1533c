"""Catalogue: a damaged local database is one clear line (exit 2), untouched until `repair`."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from depot_gui import __version__

from .conftest import DEMO, Before

DAMAGED = "is damaged ("
WAY_BACK = "Run `depot-sync repair`"


def _root_page(db: Path, table: str) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT rootpage FROM sqlite_master WHERE name=?", (table,)).fetchone()[0]
    finally:
        conn.close()


def _overwrite_page(db: Path, page: int, size: int = 4096) -> None:
    with open(db, "r+b") as fh:
        fh.seek((page - 1) * size)
        fh.write(b"\xff" * size)


def _sql(db: Path, *statements: str) -> None:
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        for s in statements:
            conn.execute(s)
    finally:
        conn.close()


def test_damaged_pages(cli, synced_dir):
    db = synced_dir / "depot.sqlite3"
    _overwrite_page(db, _root_page(db, "invoices"))
    before = Before(synced_dir)
    ran = cli("--data-dir", synced_dir, "status")
    assert ran.code == 2
    assert ran.line.startswith(f"depot-sync: the local database {db} is damaged (")
    assert WAY_BACK in ran.line
    before.assert_unchanged()


def test_not_a_database(cli, synced_dir):
    db = synced_dir / "depot.sqlite3"
    with open(db, "r+b") as fh:
        fh.write(b"this is no SQLite file at all!!!")
    before = Before(synced_dir)
    ran = cli("--data-dir", synced_dir, "status")
    assert ran.code == 2
    assert ran.line == (
        f"depot-sync: the local database {db} is damaged (file is not a database). Run `depot-sync repair` (or "
        "Repair local database in the window): it keeps the damaged file aside and rebuilds the invoice states from "
        "Autotask and Xero."
    )
    before.assert_unchanged()


def test_damaged_schema_missing_table(cli, synced_dir):
    _sql(synced_dir / "depot.sqlite3", "DROP TABLE audits")
    before = Before(synced_dir)
    ran = cli("--data-dir", synced_dir, "status")
    assert ran.code == 2
    assert "is damaged (the table audits is missing)" in ran.line
    before.assert_unchanged()


def test_damaged_schema_missing_column(cli, synced_dir):
    _sql(synced_dir / "depot.sqlite3", "ALTER TABLE invoices DROP COLUMN xero_status")
    before = Before(synced_dir)
    ran = cli("--data-dir", synced_dir, "--sandbox", DEMO, "audit")
    assert ran.code == 2
    assert "is damaged (the table invoices lacks the column xero_status)" in ran.line
    before.assert_unchanged()


@pytest.mark.parametrize("version", [-5, 999999])
def test_impossible_user_version(cli, synced_dir, version):
    _sql(synced_dir / "depot.sqlite3", f"PRAGMA user_version={version}")
    before = Before(synced_dir)
    ran = cli("--data-dir", synced_dir, "status")
    assert ran.code == 2
    assert f"is damaged (impossible schema version {version})" in ran.line
    before.assert_unchanged()


def test_newer_schema_says_update(cli, synced_dir):
    _sql(synced_dir / "depot.sqlite3", "PRAGMA user_version=7")
    before = Before(synced_dir)
    ran = cli("--data-dir", synced_dir, "status")
    assert ran.code == 2
    db = synced_dir / "depot.sqlite3"
    assert ran.line == (f"depot-sync: The local database {db} was written by a newer Depot GUI (database schema 7; this "
                        f"Depot GUI {__version__} knows schemas up to 6); update the app")
    before.assert_unchanged()


@pytest.mark.parametrize(
    ("column", "value", "problem"),
    [
        ("causes", "{not json", "causes '{not json' is not JSON"),
        ("autotask_total", "lots", "autotask_total 'lots' is not an amount"),
        ("status", "Синхр", "status 'Синхр' is not a status"),
    ],
)
def test_damaged_row(cli, synced_dir, column, value, problem):
    _sql(synced_dir / "depot.sqlite3", f"UPDATE invoices SET {column}='{value}' WHERE invoice_number='INV-5003'")
    before = Before(synced_dir)
    ran = cli("--data-dir", synced_dir, "status")
    assert ran.code == 2
    assert f"is damaged (the row of invoice 5003 is unreadable: {problem})" in ran.line
    before.assert_unchanged()


def test_stored_tolerance_not_a_number_is_reported(cli, synced_dir):
    _sql(synced_dir / "depot.sqlite3", "INSERT OR REPLACE INTO settings(key, value) VALUES('tolerance', 'three')")
    before = Before(synced_dir)
    ran = cli("--data-dir", synced_dir, "settings", "show")
    assert ran.code == 2
    assert ran.line == (
        "depot-sync: the stored setting tolerance = 'three' is not valid ('three' is not a number; use a value "
        "like 3.00); set it again with `depot-sync settings set tolerance VALUE` or in Settings"
    )
    ran = cli("--data-dir", synced_dir, "--sandbox", DEMO, "audit", "INV-5005")
    assert ran.code == 2 and "stored setting tolerance" in ran.line
    before.assert_unchanged()
    ran = cli("--data-dir", synced_dir, "settings", "set", "tolerance", "2.50")
    assert ran.code == 0
    assert "tolerance = 2.50" in ran.out.splitlines()
