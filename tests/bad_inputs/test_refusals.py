"""Catalogue: what repair, audit and sync refuse, each one sentence with its reason on stderr, also
when no log can be written (a read-only data dir): a newer version's database, a folder where the
database belongs, a database another process keeps locked."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import sys

import pytest

from depot_gui.cli.common import last_resort
from depot_gui.store.db import Store

from .conftest import DEMO, Before, fingerprint


def _set_version(db, version: int) -> None:
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute(f"PRAGMA user_version={version}")
    conn.close()


def test_repair_of_a_newer_versions_database_says_which_and_changes_nothing(cli, synced_dir):
    db = synced_dir / "depot.sqlite3"
    _set_version(db, 9)
    before = Before(synced_dir)
    ran = cli("--data-dir", synced_dir, "--sandbox", DEMO, "repair")
    assert ran.code == 2
    assert re.fullmatch(
        rf"depot-sync: The local database {re.escape(str(db))} was written by a newer Depot GUI \(database schema 9; "
        r"this Depot GUI \S+ knows schemas up to 6\); update the app; repair changed nothing", ran.line)
    assert ran.out == ""
    before.assert_unchanged()


def test_a_folder_where_the_database_belongs(cli, synced_dir):
    db = synced_dir / "depot.sqlite3"
    for side in ("", "-wal", "-shm"):
        if os.path.exists(f"{db}{side}"):
            os.unlink(f"{db}{side}")
    db.mkdir()
    before = Before(synced_dir)
    for command in ("status", "audit"):
        ran = cli("--data-dir", synced_dir, "--sandbox", DEMO, command)
        assert ran.code == 2
        assert ran.line == (f"depot-sync: the local database {db} is damaged (it is a folder, not a file). Run "
                            "`depot-sync repair` (or Repair local database in the window): it keeps the damaged file "
                            "aside and rebuilds the invoice states from Autotask and Xero.")
        before.assert_unchanged()
    ran = cli("--data-dir", synced_dir, "--sandbox", DEMO, "repair")
    assert ran.code == 0, ran.err
    assert ran.out.splitlines()[0] == "The local database was damaged (it is a folder, not a file)."
    (kept,) = synced_dir.glob("depot.sqlite3.damaged-*")
    assert kept.is_dir() and db.is_file()
    assert "2 synced (INV-5001, INV-5003). Nothing was written to Xero or Autotask." in ran.out


def _hold_write_lock(db):
    """Another process that starts a write on the database and keeps it (until killed)."""
    code = ("import sqlite3, sys, time\n"
            f"c = sqlite3.connect({str(db)!r}, isolation_level=None)\n"
            "c.execute('BEGIN IMMEDIATE'); c.execute(\"INSERT INTO settings VALUES('held', 'x')\")\n"
            "print('held', flush=True); time.sleep(120)\n")
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "held"
    return proc


def test_repair_while_another_process_holds_the_write_lock_names_it(cli, synced_dir, monkeypatch):
    monkeypatch.setitem(Store.__init__.__kwdefaults__, "timeout", 0.1)  # each write of the repair waits it out
    db = synced_dir / "depot.sqlite3"
    holder = _hold_write_lock(db)
    try:
        ran = cli("--data-dir", synced_dir, "--sandbox", DEMO, "repair")
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()
    assert ran.code == 1
    named = f"process {holder.pid} (python" if sys.platform.startswith("linux") else "another program"
    assert ran.line.startswith(f"depot-sync repair: The invoice states were not rebuilt: The local database {db} is "
                               f"locked by {named}"), ran.line
    assert ran.line.endswith("and stayed locked for 0.1 seconds; close the other program (or let it finish) and try "
                             "again. The database itself is sound; run repair once what is said above is fixed.")
    assert list(synced_dir.glob("depot.sqlite3.damaged-*")) == []


def _read_only(data_dir) -> list[str]:
    """The command prefix that runs depot-sync without the right to write ``data_dir`` (made read-only)."""
    for p in [data_dir, *data_dir.rglob("*")]:
        p.chmod(p.stat().st_mode & ~0o222)
    if os.geteuid() != 0:
        return []
    if not shutil.which("setpriv"):
        pytest.fail("root without setpriv cannot be made to respect a read-only folder")
    return ["setpriv", "--inh-caps=-dac_override,-dac_read_search", "--bounding-set=-dac_override,-dac_read_search"]


@pytest.mark.parametrize(("args", "line"), [
    (["--sandbox", str(DEMO), "audit"], "depot-sync: the sandbox state in {d}/sandbox cannot be written: it is "
     "read-only for your user; give your user write access to the data directory"),
    (["--sandbox", str(DEMO), "sync", "INV-5005"], "depot-sync: the sandbox state in {d}/sandbox cannot be written: it "
     "is read-only for your user; give your user write access to the data directory"),
    (["status"], "depot-sync: the local database {d}/depot.sqlite3 is read-only; give your user write access to it "
     "and its folder"),
    (["--sandbox", str(DEMO), "repair"], "depot-sync: the local database {d}/depot.sqlite3 is read-only; give your "
     "user write access to it and its folder; repair changed nothing"),
])
def test_a_read_only_data_dir_is_said_on_stderr(synced_dir, args, line):
    prefix = _read_only(synced_dir)
    files = fingerprint(synced_dir)
    try:
        p = subprocess.run([*prefix, sys.executable, "-m", "depot_gui.cli.commands", "--data-dir", str(synced_dir), *args],
                           capture_output=True, text=True, timeout=120)
    finally:
        for q in [synced_dir, *synced_dir.rglob("*")]:
            q.chmod(q.stat().st_mode | 0o200)
    assert p.returncode == 2
    assert p.stderr.splitlines() == [line.format(d=synced_dir)]
    assert fingerprint(synced_dir) == files


def test_an_unexpected_error_without_a_log_says_so(monkeypatch):
    import logging

    monkeypatch.setattr(logging.getLogger("depot_gui"), "handlers", [])  # no log file (a read-only data dir)
    assert last_resort(RuntimeError("boom")) == (
        "depot-sync: unexpected error (RuntimeError); nothing more was done. No log file could be written either; "
        "run the command again from a terminal to see it.")
    assert last_resort(PermissionError(13, "Permission denied", "/data/x")) == (
        "depot-sync: /data/x: Permission denied; give your user write access to it and its folder (is the data "
        "directory read-only?)")


def test_the_window_names_the_file_it_could_not_use():
    from depot_gui.ui.dialogs.errors import friendly_message

    assert friendly_message(PermissionError(13, "Permission denied", "/data/sandbox/state.lock")) == (
        "Depot GUI could not use /data/sandbox/state.lock: Permission denied; give your user write access to it and "
        "its folder.")
