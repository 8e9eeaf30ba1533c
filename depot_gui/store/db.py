"""SQLite store (WAL): invoices, audit history, sync attempts, settings. Versioned schema.

``Store`` lives here (settings, invoices, audits, downloads) and owns its repositories, which
share its connection (``database.Database``): ``store.attempts`` (sync attempts), ``store.leases``
(the cross-process invoice lease), ``store.payments``, ``store.xero_cache`` and
``store.contact_links``, ``store.finishing`` (issue 24). The schema is in ``schema``, the row types and ``StoreError`` in
``records``. The types are re-exported here.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from depot_gui.core.audit import AuditResult
from depot_gui.core.contacts import waits_for_choice
from depot_gui.core.money import fmt2
from depot_gui.core.serialize import result_from_dict, result_to_dict
from depot_gui.core.settings import Settings

from depot_gui.store.attempts import SyncAttempts
from depot_gui.store.choices import LINK_COLUMNS, Choices, write_copy
from depot_gui.store.contact_links import ContactLinks
from depot_gui.store.database import Database
from depot_gui.store.finishing import Finishing
from depot_gui.store.guard import store_error
from depot_gui.store.paths import not_a_file
from depot_gui.store.leases import Leases
from depot_gui.store.payments import PaymentRow, Payments
from depot_gui.store.xero_cache import XeroCacheTable
from depot_gui.store.records import BadStoredSetting, InvoiceRow, StoreDamaged, StoreError, StoreLocked, SyncAttempt, now_iso
from depot_gui.store.rows import codes, invoice_row, settings_from
from depot_gui.store.schema import MIGRATIONS, SCHEMA_VERSION, migrate

CHOICE_CODE = "contact_choice"  # in an audit history row: the invoice waited for a Xero contact choice

__all__ = [
    "MIGRATIONS", "SCHEMA_VERSION", "BadStoredSetting", "InvoiceRow", "PaymentRow", "Store", "StoreDamaged", "StoreError",
    "StoreLocked", "SyncAttempt", "migrate", "now_iso",
]


# The invoice row plus what the last audit could not check, its currency and Xero organisation (kept
# inside its result JSON),
# its payment state (payments table, issue 14) as ``payment_state``, and how it was sent from Xero and its
# online invoice address (finishing table, issue 24) as ``sent_how`` and ``online_url``.
_ROW_COLUMNS = (
    "i.*, CASE WHEN json_valid(i.result_json) THEN json_extract(i.result_json, '$.unchecked') END AS unchecked_json, "
    "CASE WHEN json_valid(i.result_json) THEN json_extract(i.result_json, '$.currency') END AS currency, "
    "CASE WHEN json_valid(i.result_json) THEN json_extract(i.result_json, '$.organisation') END AS organisation, "
    "CASE WHEN json_valid(i.result_json) THEN json_extract(i.result_json, '$.warnings') END AS warnings_json, "
    "p.state AS payment_state, f.sent_how AS sent_how, f.online_url AS online_url"
)


def _history_causes(result: AuditResult, causes: str) -> str:
    """The audit's cause codes for its history row, plus CHOICE_CODE when it waits for a contact choice
    (a question for the user, shown as such in the history, not as an error)."""
    if waits_for_choice(result.status, result.explanation):
        return json.dumps([*result.cause_codes, CHOICE_CODE])
    return causes


class Store:
    """One SQLite database file; safe to share between threads (one lock per write)."""

    def __init__(self, path: Path | str, *, timeout: float = 15.0) -> None:
        """Open (and migrate) the database; ``timeout`` is how long a locked database is waited for."""
        self.path = str(path)
        self.warnings: list[str] = []  # what opening could not do (a backup not taken): said, not fatal
        kind = _not_a_file(self.path)
        if kind:  # repair keeps it aside like a damaged file and starts from the newest backup
            raise StoreDamaged(self.path, f"it is {kind}, not a file")
        try:
            self._conn = sqlite3.connect(self.path, timeout=timeout, check_same_thread=False, isolation_level=None)
        except sqlite3.Error as exc:
            raise store_error(exc, self.path, timeout) from None
        self._db = Database(self.path, self._conn, timeout)
        self.attempts = SyncAttempts(self._db)
        self.leases = Leases(self._db)
        self.payments = Payments(self._db)
        self.finishing = Finishing(self._db)
        self.xero_cache = XeroCacheTable(self._db)
        self.contact_links = ContactLinks(self._db, self.keep_choices_copy)
        try:
            self._conn.row_factory = sqlite3.Row
            if self.path != ":memory:":
                self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA foreign_keys=ON")
            self._migrate()
        except sqlite3.Error as exc:
            self._conn.close()
            raise store_error(exc, self.path, self._db.waited) from None
        except StoreError:
            self._conn.close()
            raise

    def close(self) -> None:
        self._db.close_reader()
        self._conn.close()

    def read_committed_in_this_thread(self) -> None:
        """This thread's reads never wait for another thread's writes: they see what is committed (Database's)."""
        self._db.read_committed_in_this_thread()

    def _migrate(self) -> None:
        migrate(self._conn, self.transaction, self.path)

    def copy_to(self, dest: sqlite3.Connection) -> None:
        """Copy the whole database into ``dest`` (SQLite's online backup), one thread at a time."""
        with self._db.lock:
            self._conn.backup(dest)

    def check(self) -> None:
        """Read every page (PRAGMA quick_check): StoreDamaged when any is damaged."""
        rows = self._read("PRAGMA quick_check(1)")
        verdict = " ".join(str(rows[0][0]).split()) if rows else "no answer"
        if verdict != "ok":
            raise StoreDamaged(self.path, verdict.replace("*** in database main *** ", "")[:200])

    def transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        return self._db.transaction()

    def grouped(self) -> AbstractContextManager[None]:
        """This thread's writes inside are one transaction (durable at the end); no network calls inside."""
        return self._db.group()

    def _write(self, sql: str, params: tuple | dict = ()) -> sqlite3.Cursor:
        return self._db.write(sql, params)

    def _read(self, sql: str, params: tuple | dict = ()) -> list[sqlite3.Row]:
        return self._db.read(sql, params)

    # settings ---------------------------------------------------------------
    def settings(self) -> Settings:
        """The stored settings; BadStoredSetting names a stored value that does not parse."""
        return settings_from(self.raw_settings(), {})

    def raw_settings(self) -> dict[str, str]:
        return {r["key"]: r["value"] for r in self._read("SELECT key, value FROM settings")}

    def set_setting(self, key: str, value: str, *, copy: bool = True) -> None:
        self._write("INSERT INTO settings(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value=excluded.value", (key, value))
        if copy:
            self.keep_choices_copy()

    def save_settings(self, settings: Settings) -> None:
        for key, text in settings.shown().items():
            self.set_setting(key, text, copy=False)
        self.keep_choices_copy()

    def choices(self) -> Choices:
        """Every stored setting and contact link as stored (for the copy kept beside the database)."""
        links = [{c: r[c] for c in LINK_COLUMNS} for r in self._read("SELECT * FROM contact_links ORDER BY tenant_id, company_id")]
        return Choices(self.raw_settings(), links)

    def keep_choices_copy(self) -> str:
        """Rewrite the copy of the settings and contact links (store.choices); '' or why it was not written."""
        try:
            return write_copy(self.path, self.choices())
        except StoreError as exc:  # unreadable here: the copy keeps what it had, for repair
            return f"the copy of the settings and contact choices was not updated: {exc}"

    def restore_choices(self, settings: dict[str, str], links: list[dict] | None) -> None:
        """Repair: put settings and contact links back in one transaction (``links`` replace the
        table's rows; None keeps them)."""
        try:
            with self.transaction() as c:
                c.execute("BEGIN IMMEDIATE")
                for key, value in settings.items():
                    c.execute("INSERT INTO settings(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET "
                              "value=excluded.value", (key, value))
                if links is not None:
                    c.execute("DELETE FROM contact_links")
                    c.executemany(f"INSERT INTO contact_links({', '.join(LINK_COLUMNS)}) VALUES({', '.join('?' * len(LINK_COLUMNS))})",
                                  [tuple(r[col] for col in LINK_COLUMNS) for r in links])
        except sqlite3.Error as exc:
            raise store_error(exc, self.path, self._db.waited) from None
        self.keep_choices_copy()

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
        except sqlite3.Error as exc:
            raise store_error(exc, self.path, self._db.waited) from None

    def _save_audit(self, result: AuditResult, invoice_date: str | None, at: str, causes: str, data: str) -> None:
        with self.transaction() as c:
            c.execute("BEGIN IMMEDIATE")
            c.execute(
                "INSERT INTO audits(autotask_id, at, status, difference, causes) VALUES(?,?,?,?,?)",
                (result.autotask_id, at, result.status, fmt2(result.difference), _history_causes(result, causes)),
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

    _INVOICE_ROWS = (f"SELECT {_ROW_COLUMNS} FROM invoices i LEFT JOIN payments p USING(autotask_id)"
                     " LEFT JOIN finishing f USING(autotask_id)")

    def invoices(self) -> list[InvoiceRow]:
        rows = self._read(f"{self._INVOICE_ROWS} ORDER BY i.invoice_number, i.autotask_id")
        return [self._row(r) for r in rows]

    def invoice(self, autotask_id: int) -> InvoiceRow | None:
        rows = self._read(f"{self._INVOICE_ROWS} WHERE i.autotask_id=?", (autotask_id,))
        return self._row(rows[0]) if rows else None

    def invoice_by_number(self, number: str) -> InvoiceRow | None:
        rows = self._read(f"{self._INVOICE_ROWS} WHERE i.invoice_number=? ORDER BY i.autotask_id LIMIT 1", (number,))
        return self._row(rows[0]) if rows else None

    def last_result(self, autotask_id: int) -> AuditResult | None:
        rows = self._read("SELECT result_json FROM invoices WHERE autotask_id=?", (autotask_id,))
        if not rows:
            return None
        try:
            return result_from_dict(json.loads(rows[0]["result_json"]))
        except (ValueError, TypeError, KeyError, ArithmeticError) as exc:
            raise StoreDamaged(self.path, f"the saved audit of invoice {autotask_id} is unreadable: {exc}") from None

    def audit_history(self, autotask_id: int) -> list[dict[str, Any]]:
        rows = self._read("SELECT at, status, difference, causes FROM audits WHERE autotask_id=? ORDER BY id", (autotask_id,))
        try:
            return [
                {"at": r["at"], "status": r["status"], "difference": r["difference"], "causes": codes(r["causes"])}
                for r in rows
            ]
        except ValueError as exc:
            raise StoreDamaged(self.path, f"an audit history row of invoice {autotask_id} is unreadable: {exc}") from None

    def invoice_companies(self) -> dict[int, int]:
        """Autotask company id of every invoice downloaded, by invoice id (from the last download)."""
        rows = self._read(
            """SELECT d.autotask_id AS aid, CASE WHEN json_valid(d.invoice_json)
                   THEN json_extract(d.invoice_json, '$.companyID') END AS cid
               FROM downloads d JOIN (SELECT autotask_id, MAX(id) AS last FROM downloads GROUP BY autotask_id) m
               ON d.id = m.last"""
        )
        return {int(r["aid"]): int(r["cid"]) for r in rows if isinstance(r["cid"], int)}

    def _row(self, r: sqlite3.Row) -> InvoiceRow:
        try:
            return invoice_row(r)
        except ValueError as exc:
            raise StoreDamaged(self.path, f"the row of invoice {r['autotask_id']!r} is unreadable: {exc}") from None


def _not_a_file(path: str) -> str:
    if path == ":memory:":
        return ""
    try:
        return not_a_file(path)
    except OSError:
        return ""  # sqlite says what is wrong
