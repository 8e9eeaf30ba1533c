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
from depot_gui.store.choices import LINK_COLUMNS
from depot_gui.store.contact_links import link_row
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
    settings, _ = salvage_choices(path)
    return valid_settings(settings or {})[0]


def salvage_choices(path: Path) -> tuple[dict[str, str] | None, list[dict] | None]:
    """The settings and contact links a damaged file still gives, each None when its table cannot be read."""
    settings = _rows(path, "SELECT key, value FROM settings")
    links = _rows(path, f"SELECT {', '.join(LINK_COLUMNS)} FROM contact_links")
    return (None if settings is None else {k: v for k, v in settings if isinstance(k, str) and isinstance(v, str)},
            None if links is None else [dict(zip(LINK_COLUMNS, r)) for r in links])


def _rows(path: Path, sql: str) -> list[tuple] | None:
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1)
        try:
            return conn.execute(sql).fetchall()
        finally:
            conn.close()
    except sqlite3.Error:
        return None


def valid_settings(settings: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """The values that parse as stored settings, and the keys of those that do not."""
    good: dict[str, str] = {}
    bad: list[str] = []
    for key, value in settings.items():
        try:
            settings_from({}, {key: value})
        except BadStoredSetting:  # a value that does not parse is left behind
            bad.append(key)
            continue
        good[key] = value
    return good, bad


def valid_links(links: list[dict]) -> tuple[list[dict], list[str]]:
    """The contact links that can be kept, and the company names of those that cannot."""
    good: list[dict] = []
    bad: list[str] = []
    for r in links:
        try:
            if set(r) < set(LINK_COLUMNS):
                raise ValueError("columns missing")
            link_row(r)  # type: ignore[arg-type]  # a mapping with the row's keys
            if not isinstance(r["tenant_id"], str) or not r["contact_id"]:
                raise ValueError("no organisation or contact")
        except (ValueError, KeyError, TypeError):
            bad.append(str(r.get("company_name") or r.get("company_id") or "a company"))
            continue
        good.append({c: r[c] for c in LINK_COLUMNS})
    return good, bad
