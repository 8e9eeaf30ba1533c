"""Daily copies of the database (SQLite online backup API), the last seven kept.

The copy is taken on the first open of each day, after every page has been read once
(``quick_check``): a damaged file is never copied over a good backup. Copies are written to a
temporary name and renamed, so a crash or a second process never leaves half a backup.
"""

from __future__ import annotations

import os
import re
import sqlite3
from datetime import date
from pathlib import Path

KEEP = 7
_NAME = re.compile(r"^depot-(\d{4}-\d{2}-\d{2})\.sqlite3$")


def backups(folder: Path) -> list[Path]:
    """The backup files in ``folder``, newest first."""
    if not folder.is_dir():
        return []
    found = [p for p in folder.iterdir() if _NAME.match(p.name)]
    return sorted(found, key=lambda p: p.name, reverse=True)


def daily_backup(store, folder: Path, today: date, keep: int = KEEP) -> Path | None:
    """Copy ``store``'s database to ``folder/depot-<today>.sqlite3`` unless today's exists.

    Checks the database first (StoreDamaged when a page is damaged); keeps the ``keep`` newest
    copies. Returns the new file, or None when today's copy was already there.
    """
    target = folder / f"depot-{today.isoformat()}.sqlite3"
    if target.exists():
        return None
    store.check()
    old = os.umask(0o077)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    finally:
        os.umask(old)
    tmp = folder / f".{target.name}.{os.getpid()}.tmp"
    try:
        dest = sqlite3.connect(tmp)
        try:
            store.copy_to(dest)
        finally:
            dest.close()
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    for stale in backups(folder)[keep:]:
        stale.unlink(missing_ok=True)
    return target
