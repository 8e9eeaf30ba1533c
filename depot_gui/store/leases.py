"""The cross-process invoice lease (``leases`` table): one writer of an invoice at a time."""

from __future__ import annotations

import os
import socket
import sqlite3
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from depot_gui.store.database import Database
from depot_gui.store.guard import store_error
from depot_gui.store.records import StoreError


def _holder_gone(holder: str) -> bool:
    """Whether a lease holder was a process on this machine that no longer runs."""
    host, _, rest = holder.partition("|")
    pid_text = rest.partition("|")[0]
    if host != socket.gethostname() or not pid_text.isdigit():
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except (PermissionError, OSError):
        return False
    return False


class Leases:
    """The ``leases`` table (``store.leases``)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    @contextmanager
    def hold(self, autotask_id: int, *, stale_after: float = 900.0, wait: float = 60.0) -> Iterator[None]:
        """Hold the invoice for writing; another process waits (see :meth:`hold_all`)."""
        with self.hold_all([autotask_id], stale_after=stale_after, wait=wait):
            yield

    @contextmanager
    def hold_all(self, autotask_ids: list[int], *, stale_after: float = 900.0, wait: float = 60.0) -> Iterator[None]:
        """Hold these invoices for writing, taken in Autotask-id order; another process waits.

        One transaction takes every free lease up to the first one another holder has (so two
        processes never wait for each other: both take in the same order), and one releases them
        all. A holder whose process is gone (same machine) is taken over at once; otherwise a lease
        counts as abandoned only after ``stale_after`` seconds, well beyond the longest write
        (Xero rate-limit waits included).
        """
        holder = f"{socket.gethostname()}|{os.getpid()}|{threading.get_ident()}|{uuid.uuid4().hex[:8]}"
        left = sorted(set(autotask_ids))
        deadline = time.monotonic() + wait
        try:
            while left:
                left = self._take(left, holder, stale_after)
                if not left:
                    break
                if time.monotonic() > deadline:
                    raise StoreError("Another Depot GUI window is syncing this invoice; try again in a minute.")
                time.sleep(0.2)
            yield
        finally:
            self._db.write("DELETE FROM leases WHERE holder=?", (holder,))

    def _take(self, ordered: list[int], holder: str, stale_after: float) -> list[int]:
        """Take the free leases of ``ordered`` up to the first held by another; the ones left."""
        now = time.time()
        try:
            with self._db.transaction() as c:
                c.execute("BEGIN IMMEDIATE")
                for k, autotask_id in enumerate(ordered):
                    row = c.execute("SELECT holder, acquired_at FROM leases WHERE autotask_id=?", (autotask_id,)).fetchone()
                    if row is not None and now - row["acquired_at"] <= stale_after and not _holder_gone(row["holder"]):
                        return ordered[k:]
                    c.execute(
                        "INSERT INTO leases(autotask_id, holder, acquired_at) VALUES(?,?,?) ON CONFLICT(autotask_id)"
                        " DO UPDATE SET holder=excluded.holder, acquired_at=excluded.acquired_at",
                        (autotask_id, holder, now),
                    )
                return []
        except sqlite3.Error as exc:
            raise store_error(exc, self._db.path, self._db.waited) from None
