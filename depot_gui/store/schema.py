"""The store's versioned schema: one SQL script per version, applied in order on open."""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Callable
from contextlib import AbstractContextManager

from depot_gui import __version__
from depot_gui.store.records import StoreDamaged, StoreError

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
    # 3: payments back: each synced invoice's payment state in Xero, when it was read, and
    # what happened to Autotask's paidDate (written / kept / read_only / failed / '')
    """
    CREATE TABLE payments (
        autotask_id INTEGER PRIMARY KEY,
        state TEXT,
        xero_invoice_id TEXT,
        xero_status TEXT NOT NULL DEFAULT '',
        amount_paid TEXT NOT NULL DEFAULT '0.00',
        amount_due TEXT NOT NULL DEFAULT '0.00',
        due_date TEXT,
        fully_paid_on TEXT,
        checked_at TEXT NOT NULL,
        autotask_paid_date TEXT,
        written TEXT NOT NULL DEFAULT '',
        message TEXT NOT NULL DEFAULT ''
    );
    """,
    # 4: Xero reference data cached per organisation, and how far each kind is known complete
    """
    CREATE TABLE xero_cache (
        tenant_id TEXT NOT NULL, kind TEXT NOT NULL, key TEXT NOT NULL, json TEXT NOT NULL,
        PRIMARY KEY (tenant_id, kind, key)
    );
    CREATE TABLE xero_cache_marks (tenant_id TEXT NOT NULL, kind TEXT NOT NULL, at TEXT NOT NULL,
        PRIMARY KEY (tenant_id, kind));
    """,
    # 5: contacts linked on purpose: per organisation, the Xero contact each Autotask company's
    # invoices go to (link / create: chosen by the user; auto: the exact match a sync used)
    """
    CREATE TABLE contact_links (
        tenant_id TEXT NOT NULL, company_id INTEGER NOT NULL, company_name TEXT NOT NULL DEFAULT '',
        contact_id TEXT NOT NULL, contact_name TEXT NOT NULL DEFAULT '', decision TEXT NOT NULL,
        decided_at TEXT NOT NULL, PRIMARY KEY (tenant_id, company_id)
    );
    """,
    # 6: finishing the month (issue 24): per synced invoice, what was done to its Xero document after
    # the write. The number it carries in Xero and the scheme that gave it (autotask / autotask_prefix /
    # xero: a later switch never renumbers it); Autotask's PDF once attached (Xero's AttachmentID, file
    # name, when); the online invoice address; how it was sent (email / mark_sent, '' = not by us) and
    # when; and the last sentence each step left (why it did not happen), '' when none.
    """
    CREATE TABLE finishing (
        autotask_id INTEGER PRIMARY KEY,
        xero_invoice_id TEXT,
        xero_number TEXT,
        numbering TEXT NOT NULL DEFAULT '',
        attachment_id TEXT,
        attachment_name TEXT,
        attached_at TEXT,
        attachment_message TEXT NOT NULL DEFAULT '',
        online_url TEXT,
        online_url_at TEXT,
        sent_how TEXT NOT NULL DEFAULT '',
        sent_at TEXT,
        sent_message TEXT NOT NULL DEFAULT ''
    );
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)



# A user_version above this is no schema any Depot GUI ever wrote: the header is damaged.
PLAUSIBLE_VERSIONS = 1000


def statements(script: str) -> list[str]:
    """The SQL statements of one migration script, in order."""
    out, current = [], ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            if current.strip().strip(";").strip():
                out.append(current.strip())
            current = ""
    if current.strip():
        out.append(current.strip())
    return out


def migrate(conn: sqlite3.Connection, transaction: Callable[[], AbstractContextManager[sqlite3.Connection]], path: str = "") -> None:
    """Bring the database at ``conn`` up to SCHEMA_VERSION, every missing migration in one transaction.

    Any number of processes may do this at once on a fresh file: the migrations run under
    ``BEGIN IMMEDIATE`` and ``user_version`` is re-read inside it, so exactly one applies them.
    Raises StoreError if the database was written by a newer schema and StoreDamaged when its
    version or tables are not any schema Depot GUI wrote.
    """
    if _version(conn, path) < SCHEMA_VERSION:
        with transaction() as c:
            c.execute("BEGIN IMMEDIATE")
            version = _version(c, path)
            for script in MIGRATIONS[version:]:
                for sql in statements(script):
                    c.execute(sql)
            if version < SCHEMA_VERSION:
                c.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
    check_tables(conn, path)


def _version(conn: sqlite3.Connection, path: str) -> int:
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version < 0 or version > PLAUSIBLE_VERSIONS:
        raise StoreDamaged(path, f"impossible schema version {version}")
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"The local database {path} was written by a newer Depot GUI (database schema {version}; this "
            f"Depot GUI {__version__} knows schemas up to {SCHEMA_VERSION}); update the app"
        )
    return version


@functools.cache
def expected_tables() -> dict[str, tuple[str, ...]]:
    """Every table of the current schema and its columns (built once in memory)."""
    mem = sqlite3.connect(":memory:")
    try:
        for script in MIGRATIONS:
            for sql in statements(script):
                mem.execute(sql)
        return _tables(mem)
    finally:
        mem.close()


def _tables(conn: sqlite3.Connection) -> dict[str, tuple[str, ...]]:
    names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")]
    return {n: tuple(r[1] for r in conn.execute(f'PRAGMA table_info("{n}")')) for n in names}


def check_tables(conn: sqlite3.Connection, path: str) -> None:
    """StoreDamaged unless every table and column of the current schema is there."""
    have = _tables(conn)
    for name, columns in expected_tables().items():
        if name not in have:
            raise StoreDamaged(path, f"the table {name} is missing")
        missing = [c for c in columns if c not in have[name]]
        if missing:
            raise StoreDamaged(path, f"the table {name} lacks the column {missing[0]}")
