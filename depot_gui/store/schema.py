"""The store's versioned schema: one SQL script per version, applied in order on open."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import AbstractContextManager

from .records import StoreError

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



def migrate(conn: sqlite3.Connection, transaction: Callable[[], AbstractContextManager[sqlite3.Connection]]) -> None:
    """Bring the database at ``conn`` up to SCHEMA_VERSION, one transaction per migration.

    Raises StoreError if the database was written by a newer schema.
    """
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"The local database was written by a newer Depot GUI (schema {version}); update the app."
        )
    for number in range(version, SCHEMA_VERSION):
        with transaction() as c:
            c.executescript("BEGIN;" + MIGRATIONS[number] + f"; PRAGMA user_version={number + 1};")
