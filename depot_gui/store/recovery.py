"""A damaged database: find out, keep it aside (renamed, never deleted), start again from a backup.

What is read back from a damaged file is only the settings (validated like any stored value);
the invoice states are rebuilt from Autotask and Xero by ``depot_gui.sync.maintenance.repair``.
"""

from __future__ import annotations

import shutil
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

from depot_gui.store.backup import backups
from depot_gui.store.db import Store
from depot_gui.store.paths import Paths
from depot_gui.store.records import BadStoredSetting, StoreDamaged
from depot_gui.store.rows import settings_from

SIDECARS = ("-wal", "-shm")


def diagnose(path: Path) -> StoreDamaged | None:
    """Open the database at ``path``, read every page and every row: the damage found, or None."""
    try:
        store = Store(path)
    except StoreDamaged as exc:
        return exc
    try:
        store.check()
        store.invoices()
        store.attempts.all()
        store.payments.all()
        store.raw_settings()
    except StoreDamaged as exc:
        return exc
    finally:
        store.close()
    return None


def set_aside(paths: Paths, now: datetime | None = None) -> list[Path]:
    """Rename the database and its WAL/SHM files to ``depot.sqlite3.damaged-<UTC time>``; the new names."""
    stamp = (now or datetime.now(timezone.utc)).strftime("%Y%m%dT%H%M%SZ")
    base = paths.database.with_name(f"{paths.database.name}.damaged-{stamp}")
    n = 1
    while base.exists():
        n += 1
        base = paths.database.with_name(f"{paths.database.name}.damaged-{stamp}-{n}")
    moved = []
    for suffix in ("", *SIDECARS):
        source = Path(f"{paths.database}{suffix}")
        if source.exists():
            target = Path(f"{base}{suffix}")
            source.rename(target)
            moved.append(target)
    return moved


def restore_backup(paths: Paths) -> Path | None:
    """Copy the newest undamaged backup to the database's place; the backup used, or None."""
    for candidate in backups(paths.backups):
        if diagnose(candidate) is None:
            tmp = paths.database.with_name(paths.database.name + ".restoring")
            shutil.copyfile(candidate, tmp)
            tmp.replace(paths.database)
            return candidate
    return None


def salvage_settings(path: Path) -> dict[str, str]:
    """The settings rows still readable in a damaged file, each value checked; {} when none."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1)
        try:
            rows = conn.execute("SELECT key, value FROM settings").fetchall()
        finally:
            conn.close()
    except sqlite3.Error:
        return {}
    good: dict[str, str] = {}
    for key, value in rows:
        if not isinstance(key, str) or not isinstance(value, str):
            continue
        try:
            settings_from({}, {key: value})
        except BadStoredSetting:  # a value that does not parse is left behind
            continue
        good[key] = value
    return good
