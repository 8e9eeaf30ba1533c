"""Sync attempts (intent recorded before each Xero write) and the cross-process invoice lease."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import TYPE_CHECKING

from depot_gui.store.guard import store_error
from depot_gui.store.records import StoreDamaged, StoreError, SyncAttempt, now_iso


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


class SyncAttemptsMixin:
    """Store methods for the ``sync_attempts`` and ``leases`` tables (mixed into ``Store``)."""

    if TYPE_CHECKING:  # provided by Store
        path: str

        def transaction(self) -> AbstractContextManager[sqlite3.Connection]: ...
        def _write(self, sql: str, params: tuple | dict = ()) -> sqlite3.Cursor: ...
        def _read(self, sql: str, params: tuple | dict = ()) -> list[sqlite3.Row]: ...

    # sync attempts ------------------------------------------------------------
    def begin_attempt(self, autotask_id: int, number: str, key: str, action: str, request: dict, actor: str) -> int:
        """Record the intent to write to Xero before the call is made."""
        cur = self._write(
            "INSERT INTO sync_attempts(autotask_id, invoice_number, idempotency_key, started_at, state, action,"
            " request_json, actor) VALUES(?,?,?,?,?,?,?,?)",
            (autotask_id, number, key, now_iso(), "intent", action, json.dumps(request, default=str), actor),
        )
        return int(cur.lastrowid or 0)

    def finish_attempt(
        self, attempt_id: int, state: str, message: str, response: dict | None = None, xero_invoice_id: str | None = None
    ) -> None:
        self._write(
            "UPDATE sync_attempts SET finished_at=?, state=?, message=?, response_json=?, xero_invoice_id=? WHERE id=?",
            (now_iso(), state, message, json.dumps(response or {}, default=str), xero_invoice_id, attempt_id),
        )

    def attempts(self, autotask_id: int | None = None) -> list[SyncAttempt]:
        if autotask_id is None:
            rows = self._read("SELECT * FROM sync_attempts ORDER BY id")
        else:
            rows = self._read("SELECT * FROM sync_attempts WHERE autotask_id=? ORDER BY id", (autotask_id,))
        try:
            return [
                SyncAttempt(
                    r["id"], r["autotask_id"], r["invoice_number"], r["idempotency_key"], r["started_at"],
                    r["finished_at"], r["state"], r["action"], json.loads(r["request_json"]),
                    json.loads(r["response_json"]), r["message"], r["xero_invoice_id"], r["actor"],
                )
                for r in rows
            ]
        except (ValueError, TypeError) as exc:
            raise StoreDamaged(self.path, f"a sync attempt row is unreadable: {exc}") from None

    @contextmanager
    def lease(self, autotask_id: int, *, stale_after: float = 900.0, wait: float = 60.0) -> Iterator[None]:
        """Hold the invoice for writing; another process waits.

        A holder whose process is gone (same machine) is taken over at once; otherwise a lease
        counts as abandoned only after ``stale_after`` seconds, well beyond the longest write
        (Xero rate-limit waits included).
        """
        holder = f"{socket.gethostname()}|{os.getpid()}|{threading.get_ident()}|{uuid.uuid4().hex[:8]}"
        deadline = time.monotonic() + wait
        while True:
            now = time.time()
            try:
                with self.transaction() as c:
                    c.execute("BEGIN IMMEDIATE")
                    row = c.execute("SELECT holder, acquired_at FROM leases WHERE autotask_id=?", (autotask_id,)).fetchone()
                    if row is None or now - row["acquired_at"] > stale_after or _holder_gone(row["holder"]):
                        c.execute(
                            "INSERT INTO leases(autotask_id, holder, acquired_at) VALUES(?,?,?) ON CONFLICT(autotask_id)"
                            " DO UPDATE SET holder=excluded.holder, acquired_at=excluded.acquired_at",
                            (autotask_id, holder, now),
                        )
                        break
            except sqlite3.Error as exc:
                raise store_error(exc, self.path) from None
            if time.monotonic() > deadline:
                raise StoreError("Another Depot GUI window is syncing this invoice; try again in a minute.")
            time.sleep(0.2)
        try:
            yield
        finally:
            self._write("DELETE FROM leases WHERE autotask_id=? AND holder=?", (autotask_id, holder))

    def open_attempts(self, autotask_id: int) -> list[SyncAttempt]:
        """Attempts whose outcome we never learnt (crash or timeout): reconcile before writing."""
        return [a for a in self.attempts(autotask_id) if a.state in ("intent", "unknown")]
