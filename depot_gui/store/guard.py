"""SQLite errors as the store's own: locked, full, damaged or unusable, each one clear sentence.

Every read and write of ``Store`` goes through :func:`store_error`, so no ``sqlite3`` exception
(and no traceback) reaches a user; a damaged file is always a ``StoreDamaged`` naming it.
"""

from __future__ import annotations

import os
import sqlite3

from depot_gui.store.records import StoreDamaged, StoreError, StoreLocked

_DAMAGED_NAMES = ("SQLITE_CORRUPT", "SQLITE_NOTADB")
_DAMAGED_TEXT = ("malformed", "not a database", "no such table", "no such column", "file is encrypted")


def store_error(exc: sqlite3.Error, path: str, waited: float = 15.0) -> StoreError:
    """The StoreError subclass and sentence for an sqlite3 error on the database at ``path``
    (``waited``: the seconds a lock was waited for)."""
    name = str(getattr(exc, "sqlite_errorname", "") or "")
    text = str(exc)
    low = text.lower()
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in low:
        holder = lock_holder(path) or "another program (another Depot GUI window or depot-sync, or a backup tool)"
        return StoreLocked(
            f"the local database {path} is locked by {holder} and stayed locked for {waited:g} seconds; "
            "close the other program (or let it finish) and try again"
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


def lock_holder(path: str) -> str:
    """'process 1234 (depot-sync audit)' holding a lock on the database or its WAL/SHM files, where
    the system says (Linux's /proc/locks); '' when it cannot be known."""
    if not hasattr(os, "major") or not os.path.exists("/proc/locks"):  # Windows, macOS: not knowable this way
        return ""
    try:
        inodes = {}
        for suffix in ("", "-wal", "-shm"):
            try:
                st = os.stat(f"{path}{suffix}")
            except OSError:
                continue
            inodes[(os.major(st.st_dev), os.minor(st.st_dev), st.st_ino)] = suffix
        with open("/proc/locks", encoding="ascii", errors="replace") as f:
            lines = f.read().splitlines()
    except OSError:
        return ""
    for line in lines:
        parts = line.split()
        if "->" in parts or len(parts) < 6 or not parts[4].isdigit():
            continue  # a waiter, not the holder
        pid, dev = int(parts[4]), parts[5].split(":")
        if pid == os.getpid() or len(dev) != 3:
            continue
        try:
            key = (int(dev[0], 16), int(dev[1], 16), int(dev[2]))
        except ValueError:
            continue
        if key in inodes:
            return f"process {pid}{_command(pid)}"
    return ""


def _command(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            words = [w.decode(errors="replace") for w in f.read().split(b"\0") if w]
    except OSError:
        return ""
    if not words:
        return ""
    words[0] = os.path.basename(words[0])
    return f" ({' '.join(' '.join(words).split())[:60]})"
