"""SQLite errors as the store's own: locked, full, damaged or unusable, each one clear sentence.

Every read and write of ``Store`` goes through :func:`store_error`, so no ``sqlite3`` exception
(and no traceback) reaches a user; a damaged file is always a ``StoreDamaged`` naming it.
"""

from __future__ import annotations

import sqlite3

from depot_gui.store.records import StoreDamaged, StoreError, StoreLocked

_DAMAGED_NAMES = ("SQLITE_CORRUPT", "SQLITE_NOTADB")
_DAMAGED_TEXT = ("malformed", "not a database", "no such table", "no such column", "file is encrypted")


def store_error(exc: sqlite3.Error, path: str) -> StoreError:
    """The StoreError subclass and sentence for an sqlite3 error on the database at ``path``."""
    name = str(getattr(exc, "sqlite_errorname", "") or "")
    text = str(exc)
    low = text.lower()
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in low:
        return StoreLocked(
            f"the local database {path} is locked by another program (another Depot GUI window or depot-sync, "
            "or a backup tool) and stayed locked for 15 seconds; close the other program and try again"
        )
    if name.startswith("SQLITE_FULL") or "disk is full" in low:
        return StoreError(f"the local database {path} could not be written because the disk is full; free some space and try again")
    if name.startswith(_DAMAGED_NAMES) or any(t in low for t in _DAMAGED_TEXT):
        return StoreDamaged(path, text)
    if name.startswith("SQLITE_READONLY") or "readonly" in low:
        return StoreError(f"the local database {path} is read-only; give your user write access to it and its folder")
    if name.startswith("SQLITE_IOERR") or "i/o error" in low:
        return StoreError(f"the local database {path} could not be read or written (disk I/O error); check the disk")
    if name.startswith("SQLITE_CANTOPEN") or "unable to open" in low:
        return StoreError(f"the local database {path} cannot be opened; check that its folder exists and is yours")
    return StoreError(f"the local database {path} could not be used ({text})")
