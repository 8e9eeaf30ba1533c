"""SQLite store (WAL): invoices, audit history, sync attempts, settings. Versioned schema."""

from __future__ import annotations

import json
import sqlite3
import os
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from depot_gui.core.audit import AuditResult
from depot_gui.core.money import fmt2
from depot_gui.core.serialize import result_from_dict, result_to_dict
from depot_gui.core.settings import Settings

MIGRATIONS: list[str] = [
    # 1: initial schema
    """
    CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE invoices (
        autotask_id INTEGER PRIMARY KEY,
        invoice_number TEXT NOT NULL,
        company TEXT NOT NULL DEFAULT '',
        invoice_date TEXT,
        autotask_total TEXT NOT NULL,
        xero_total TEXT NOT NULL,
        difference TEXT NOT NULL,
        rounding_line TEXT NOT NULL DEFAULT '0.00',
        status TEXT NOT NULL,
        causes TEXT NOT NULL DEFAULT '[]',
        explanation TEXT NOT NULL DEFAULT '',
        xero_invoice_id TEXT,
        xero_status TEXT,
        synced_at TEXT,
        voided INTEGER NOT NULL DEFAULT 0,
        audited_at TEXT NOT NULL,
        result_json TEXT NOT NULL
    );
    CREATE INDEX invoices_number ON invoices(invoice_number);
    CREATE TABLE downloads (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        autotask_id INTEGER NOT NULL,
        downloaded_at TEXT NOT NULL,
        invoice_json TEXT NOT NULL,
        items_json TEXT NOT NULL
    );
    CREATE INDEX downloads_invoice ON downloads(autotask_id);
    CREATE TABLE audits (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        autotask_id INTEGER NOT NULL,
        at TEXT NOT NULL,
        status TEXT NOT NULL,
        difference TEXT NOT NULL,
        causes TEXT NOT NULL
    );
    CREATE INDEX audits_invoice ON audits(autotask_id);
    CREATE TABLE sync_attempts (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        autotask_id INTEGER NOT NULL,
        invoice_number TEXT NOT NULL,
        idempotency_key TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        state TEXT NOT NULL,
        action TEXT NOT NULL DEFAULT '',
        request_json TEXT NOT NULL DEFAULT '{}',
        response_json TEXT NOT NULL DEFAULT '{}',
        message TEXT NOT NULL DEFAULT '',
        xero_invoice_id TEXT,
        actor TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX sync_attempts_invoice ON sync_attempts(autotask_id);
    """,
    # 2: cross-process lease so two app instances never write the same invoice at once
    """
    CREATE TABLE leases (autotask_id INTEGER PRIMARY KEY, holder TEXT NOT NULL, acquired_at REAL NOT NULL);
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)


class StoreError(RuntimeError):
    """The local database cannot be used (disk full, locked, newer schema)."""


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


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass(frozen=True)
class InvoiceRow:
    """The local view of one invoice (what `status` and the table show)."""

    autotask_id: int
    invoice_number: str
    company: str
    invoice_date: str | None
    autotask_total: str
    xero_total: str
    difference: str
    rounding_line: str
    status: str
    causes: list[str]
    explanation: str
    xero_invoice_id: str | None
    xero_status: str | None
    synced_at: str | None
    voided: bool
    audited_at: str


@dataclass(frozen=True)
class SyncAttempt:
    id: int
    autotask_id: int
    invoice_number: str
    idempotency_key: str
    started_at: str
    finished_at: str | None
    state: str
    action: str
    request: dict
    response: dict
    message: str
    xero_invoice_id: str | None
    actor: str


class Store:
    """One SQLite database file; safe to share between threads (one lock per write)."""

    def __init__(self, path: Path | str) -> None:
        self.path = str(path)
        self._lock = threading.RLock()
        try:
            self._conn = sqlite3.connect(self.path, timeout=15, check_same_thread=False, isolation_level=None)
            self._conn.row_factory = sqlite3.Row
            if self.path != ":memory:":
                self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA foreign_keys=ON")
            self._migrate()
        except sqlite3.Error as exc:
            raise StoreError(f"The local database {self.path} cannot be opened: {exc}") from None

    def close(self) -> None:
        self._conn.close()

    def _migrate(self) -> None:
        version = self._conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"The local database was written by a newer Depot GUI (schema {version}); update the app."
            )
        for number in range(version, SCHEMA_VERSION):
            with self.transaction() as c:
                c.executescript("BEGIN;" + MIGRATIONS[number] + f"; PRAGMA user_version={number + 1};")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            try:
                yield self._conn
                if self._conn.in_transaction:
                    self._conn.execute("COMMIT")
            except BaseException:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                raise

    def _write(self, sql: str, params: tuple | dict = ()) -> sqlite3.Cursor:
        try:
            with self.transaction() as c:
                c.execute("BEGIN IMMEDIATE")
                return c.execute(sql, params)
        except sqlite3.OperationalError as exc:
            raise StoreError(f"The local database could not be written ({exc}); check free disk space.") from None

    def _read(self, sql: str, params: tuple | dict = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._conn.execute(sql, params).fetchall()

    # settings ---------------------------------------------------------------
    def settings(self) -> Settings:
        return Settings.from_texts({r["key"]: r["value"] for r in self._read("SELECT key, value FROM settings")})

    def raw_settings(self) -> dict[str, str]:
        return {r["key"]: r["value"] for r in self._read("SELECT key, value FROM settings")}

    def set_setting(self, key: str, value: str) -> None:
        self._write("INSERT INTO settings(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value=excluded.value", (key, value))

    def save_settings(self, settings: Settings) -> None:
        for key, text in settings.shown().items():
            self.set_setting(key, text)

    # invoices ---------------------------------------------------------------
    def save_download(self, autotask_id: int, invoice: dict, items: list[dict]) -> None:
        self._write(
            "INSERT INTO downloads(autotask_id, downloaded_at, invoice_json, items_json) VALUES(?,?,?,?)",
            (autotask_id, now_iso(), json.dumps(invoice, default=str), json.dumps(items, default=str)),
        )

    def save_audit(self, result: AuditResult, invoice_date: str | None = None) -> None:
        """Record an audit: history row plus the invoice's current view (sync fields kept)."""
        at = now_iso()
        causes = json.dumps(result.cause_codes)
        data = json.dumps(result_to_dict(result))
        try:
            self._save_audit(result, invoice_date, at, causes, data)
        except sqlite3.OperationalError as exc:
            raise StoreError(f"The local database could not be written ({exc}); check free disk space.") from None

    def _save_audit(self, result: AuditResult, invoice_date: str | None, at: str, causes: str, data: str) -> None:
        with self.transaction() as c:
            c.execute("BEGIN IMMEDIATE")
            c.execute(
                "INSERT INTO audits(autotask_id, at, status, difference, causes) VALUES(?,?,?,?,?)",
                (result.autotask_id, at, result.status, fmt2(result.difference), causes),
            )
            c.execute(
                """INSERT INTO invoices(autotask_id, invoice_number, company, invoice_date, autotask_total, xero_total,
                       difference, rounding_line, status, causes, explanation, xero_invoice_id, audited_at, result_json)
                   VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?)
                   ON CONFLICT(autotask_id) DO UPDATE SET invoice_number=excluded.invoice_number,
                       company=excluded.company, invoice_date=COALESCE(excluded.invoice_date, invoices.invoice_date),
                       autotask_total=excluded.autotask_total, xero_total=excluded.xero_total,
                       difference=excluded.difference, rounding_line=excluded.rounding_line, status=excluded.status,
                       causes=excluded.causes, explanation=excluded.explanation,
                       xero_invoice_id=excluded.xero_invoice_id,
                       synced_at=CASE WHEN excluded.status='synced' THEN invoices.synced_at END,
                       xero_status=CASE WHEN excluded.status='synced' THEN invoices.xero_status END,
                       audited_at=excluded.audited_at, result_json=excluded.result_json""",
                (
                    result.autotask_id, result.invoice_number, result.company, invoice_date,
                    fmt2(result.autotask_total), fmt2(result.xero_total), fmt2(result.difference),
                    fmt2(result.rounding_line), result.status, causes, result.explanation,
                    result.xero_invoice_id, at, data,
                ),
            )

    def mark_synced(self, autotask_id: int, xero_invoice_id: str, xero_status: str, explanation: str | None = None) -> None:
        self._write(
            "UPDATE invoices SET status='synced', xero_invoice_id=?, xero_status=?, synced_at=COALESCE(synced_at, ?),"
            " explanation=COALESCE(?, explanation) WHERE autotask_id=?",
            (xero_invoice_id, xero_status, now_iso(), explanation, autotask_id),
        )

    def mark_voided(self, autotask_id: int, explanation: str) -> None:
        self._write("UPDATE invoices SET voided=1, explanation=? WHERE autotask_id=?", (explanation, autotask_id))

    def set_status(self, autotask_id: int, status: str, explanation: str) -> None:
        self._write("UPDATE invoices SET status=?, explanation=? WHERE autotask_id=?", (status, explanation, autotask_id))

    def invoices(self) -> list[InvoiceRow]:
        rows = self._read("SELECT * FROM invoices ORDER BY invoice_number, autotask_id")
        return [self._row(r) for r in rows]

    def invoice(self, autotask_id: int) -> InvoiceRow | None:
        rows = self._read("SELECT * FROM invoices WHERE autotask_id=?", (autotask_id,))
        return self._row(rows[0]) if rows else None

    def invoice_by_number(self, number: str) -> InvoiceRow | None:
        rows = self._read("SELECT * FROM invoices WHERE invoice_number=? ORDER BY autotask_id LIMIT 1", (number,))
        return self._row(rows[0]) if rows else None

    def last_result(self, autotask_id: int) -> AuditResult | None:
        rows = self._read("SELECT result_json FROM invoices WHERE autotask_id=?", (autotask_id,))
        return result_from_dict(json.loads(rows[0]["result_json"])) if rows else None

    def audit_history(self, autotask_id: int) -> list[dict[str, Any]]:
        rows = self._read("SELECT at, status, difference, causes FROM audits WHERE autotask_id=? ORDER BY id", (autotask_id,))
        return [{"at": r["at"], "status": r["status"], "difference": r["difference"], "causes": json.loads(r["causes"])} for r in rows]

    @staticmethod
    def _row(r: sqlite3.Row) -> InvoiceRow:
        return InvoiceRow(
            r["autotask_id"], r["invoice_number"], r["company"], r["invoice_date"], r["autotask_total"],
            r["xero_total"], r["difference"], r["rounding_line"], r["status"], json.loads(r["causes"]),
            r["explanation"], r["xero_invoice_id"], r["xero_status"], r["synced_at"], bool(r["voided"]), r["audited_at"],
        )

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
        return [
            SyncAttempt(
                r["id"], r["autotask_id"], r["invoice_number"], r["idempotency_key"], r["started_at"], r["finished_at"],
                r["state"], r["action"], json.loads(r["request_json"]), json.loads(r["response_json"]), r["message"],
                r["xero_invoice_id"], r["actor"],
            )
            for r in rows
        ]

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
            except sqlite3.OperationalError as exc:
                raise StoreError(f"The local database could not be written ({exc}); check free disk space.") from None
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
