"""Catalogue: the data dir itself (first start races, backups, locks, unusable folders)."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from datetime import date

import pytest

from depot_gui.store.backup import KEEP, backups
from depot_gui.store.db import Store, StoreLocked
from depot_gui.store.opening import open_store
from depot_gui.store.paths import paths_for

from .conftest import Before


@pytest.mark.slow
def test_many_processes_start_on_one_fresh_data_dir(tmp_path):
    data = tmp_path / "fresh"
    procs = [
        subprocess.Popen([sys.executable, "-m", "depot_gui.cli.commands", "--data-dir", str(data), "status"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(10)
    ]
    results = [(p.wait(timeout=120), p.stdout.read(), p.stderr.read()) for p in procs]
    for p in procs:
        p.stdout.close()
        p.stderr.close()
    assert [r[0] for r in results] == [0] * 10, [r[2] for r in results]
    assert {r[1] for r in results} == {"No invoices.\n"}
    conn = sqlite3.connect(data / "depot.sqlite3")
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 6
    conn.close()


def test_daily_backup_keeps_the_last_seven(tmp_path):
    paths = paths_for(tmp_path / "d").ensure()
    paths.backups.mkdir()
    for day in range(1, 10):
        (paths.backups / f"depot-2026-01-0{day}.sqlite3").write_bytes(b"old")
    (paths.backups / "notes.txt").write_text("not a backup")
    store = open_store(paths, today=date(2026, 2, 1))
    store.close()
    names = [p.name for p in backups(paths.backups)]
    assert len(names) == KEEP
    assert names[0] == "depot-2026-02-01.sqlite3"
    assert names[-1] == "depot-2026-01-04.sqlite3"
    assert (paths.backups / "notes.txt").exists()
    copy = sqlite3.connect(paths.backups / "depot-2026-02-01.sqlite3")
    assert copy.execute("PRAGMA user_version").fetchone()[0] == 6
    copy.close()
    store = open_store(paths, today=date(2026, 2, 1))  # the same day: no second copy
    store.close()
    assert [p.name for p in backups(paths.backups)] == names


def test_locked_database_is_reported_as_locked(tmp_path):
    db = tmp_path / "depot.sqlite3"
    Store(db).close()
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        store = Store(db, timeout=0.1)
    except StoreLocked as exc:  # locked already while opening
        message = str(exc)
    else:
        with pytest.raises(StoreLocked) as caught:
            store.set_setting("tolerance", "2.00")
        message = str(caught.value)
        store.close()
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert message.startswith(f"the local database {db} is locked by another program")
    assert "disk space" not in message


def test_data_dir_that_is_a_file(cli, tmp_path):
    target = tmp_path / "file"
    target.write_text("I am a file")
    before = Before(tmp_path)
    ran = cli("--data-dir", target, "status")
    assert ran.code == 2
    assert ran.line.startswith(f"depot-sync: the data directory {target} cannot be used: ")
    before.assert_unchanged()


def test_data_dir_blank_never_means_the_real_one(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    for blank in ("", "   "):
        ran = cli("--data-dir", blank, "status")
        assert ran.code == 2
        assert ran.line == ("depot-sync: argument --data-dir: must not be empty; give a folder, or leave "
                            "--data-dir out for the standard one (see depot-sync --help)")
    assert not (tmp_path / "xdg").exists()


def test_errors_before_logging_starts_are_printed_once(tmp_path):
    for args in (["--data-dir", "", "status"], ["frobnicate"], ["sandbox", "serve", "--scenario", "x", "--port", "70000"]):
        p = subprocess.run([sys.executable, "-m", "depot_gui.cli.commands", *args], capture_output=True, text=True, timeout=60,
                           cwd=tmp_path)
        assert p.returncode == 2
        assert len(p.stderr.splitlines()) == 1, p.stderr
        assert p.stdout == ""


def test_a_backup_that_could_not_be_taken_is_said(cli, synced_dir):
    shutil.rmtree(synced_dir / "backups")
    (synced_dir / "backups").write_text("a file where the backups folder belongs")
    before = Before(synced_dir)
    ran = cli("--data-dir", synced_dir, "status")
    assert ran.code == 0
    assert ran.line == (f"depot-sync: warning: today's backup of the local database was not taken ({synced_dir / 'backups'}: "
                        "it is a file, not a folder); the database itself is fine, but repair can only go back to an "
                        "older backup")
    assert ran.out.startswith("Invoice ")
    before.assert_unchanged()


def test_a_read_only_backups_folder_is_said(synced_dir):
    import os
    import shutil as sh

    for old in backups(synced_dir / "backups"):
        old.unlink()  # today's copy is to be taken
    (synced_dir / "backups").chmod(0o555)
    prefix = []
    if os.geteuid() == 0:  # root writes anywhere: run without that right
        assert sh.which("setpriv"), "root without setpriv cannot be made to respect a read-only folder"
        prefix = ["setpriv", "--inh-caps=-dac_override,-dac_read_search", "--bounding-set=-dac_override,-dac_read_search"]
    before = Before(synced_dir)
    try:
        p = subprocess.run([*prefix, sys.executable, "-m", "depot_gui.cli.commands", "--data-dir", str(synced_dir),
                            "status"], capture_output=True, text=True, timeout=120)
    finally:
        (synced_dir / "backups").chmod(0o755)
    assert p.returncode == 0
    assert p.stderr.splitlines() == [
        f"depot-sync: warning: today's backup of the local database was not taken ({synced_dir / 'backups'}: the "
        "folder is read-only); the database itself is fine, but repair can only go back to an older backup"]
    before.assert_unchanged()
