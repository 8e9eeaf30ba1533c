"""Xero reference data cached per organisation: accounts, tax rates, contacts, looked-up numbers.

Rows of ``xero_cache`` are (tenant, kind, key) -> JSON. ``xero_cache_marks`` holds, per tenant
and kind, the Xero time up to which the cached rows are known complete: the next refresh asks
Xero only for what changed since (``If-Modified-Since``). Dropping a tenant's rows (``forget``)
makes the next audit read everything again (the "refresh on demand").
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from depot_gui.store.database import Database
from depot_gui.store.guard import store_error


class XeroCacheTable:
    """``xero_cache`` / ``xero_cache_marks`` (``store.xero_cache``)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def rows(self, tenant: str, kind: str) -> dict[str, Any]:
        """Every cached row of this kind for this organisation, by key."""
        rows = self._db.read("SELECT key, json FROM xero_cache WHERE tenant_id=? AND kind=?", (tenant.lower(), kind))
        return {r["key"]: json.loads(r["json"]) for r in rows}

    def by_tenant(self, kind: str) -> dict[str, list[Any]]:
        """Every cached row of this kind, per organisation."""
        out: dict[str, list[Any]] = {}
        for r in self._db.read("SELECT tenant_id, json FROM xero_cache WHERE kind=? ORDER BY tenant_id, key", (kind,)):
            out.setdefault(r["tenant_id"], []).append(json.loads(r["json"]))
        return out

    def put(self, tenant: str, kind: str, rows: dict[str, Any], *, replace_all: bool = False,
            mark: datetime | None = None) -> None:
        """Store rows (replacing same keys, or the whole kind) and optionally the kind's mark, atomically."""
        tenant = tenant.lower()
        try:
            with self._db.transaction() as c:
                c.execute("BEGIN IMMEDIATE")
                if replace_all:
                    c.execute("DELETE FROM xero_cache WHERE tenant_id=? AND kind=?", (tenant, kind))
                c.executemany(
                    "INSERT OR REPLACE INTO xero_cache(tenant_id, kind, key, json) VALUES(?,?,?,?)",
                    [(tenant, kind, k, json.dumps(v, default=str)) for k, v in rows.items()],
                )
                if mark is not None:
                    c.execute(
                        "INSERT OR REPLACE INTO xero_cache_marks(tenant_id, kind, at) VALUES(?,?,?)",
                        (tenant, kind, mark.isoformat()),
                    )
        except sqlite3.Error as exc:
            raise store_error(exc, self._db.path, self._db.waited) from None

    def drop(self, tenant: str, kind: str, keys: Iterable[str]) -> None:
        """Forget some rows of a kind."""
        keys = list(keys)
        if not keys:
            return
        try:
            with self._db.transaction() as c:
                c.execute("BEGIN IMMEDIATE")
                c.executemany("DELETE FROM xero_cache WHERE tenant_id=? AND kind=? AND key=?",
                              [(tenant.lower(), kind, k) for k in keys])
        except sqlite3.Error as exc:
            raise store_error(exc, self._db.path, self._db.waited) from None

    def mark(self, tenant: str, kind: str) -> datetime | None:
        """The Xero time up to which this kind is known complete (None: never read)."""
        rows = self._db.read("SELECT at FROM xero_cache_marks WHERE tenant_id=? AND kind=?", (tenant.lower(), kind))
        if not rows:
            return None
        try:
            return datetime.fromisoformat(rows[0]["at"])
        except ValueError:
            return None

    def forget(self, tenant: str | None = None) -> tuple[int, int]:
        """Drop the cached reference data (of one organisation, or all): the next audit reads it afresh.

        Returns (cached rows dropped, organisations they belonged to)."""
        where, params = ("", ()) if tenant is None else (" WHERE tenant_id=?", (tenant.lower(),))
        try:
            with self._db.transaction() as c:
                c.execute("BEGIN IMMEDIATE")
                tenants = c.execute(f"SELECT COUNT(DISTINCT tenant_id) FROM (SELECT tenant_id FROM xero_cache{where} "
                                    f"UNION ALL SELECT tenant_id FROM xero_cache_marks{where})", params * 2).fetchone()[0]
                rows = c.execute(f"DELETE FROM xero_cache{where}", params).rowcount
                c.execute(f"DELETE FROM xero_cache_marks{where}", params)
        except sqlite3.Error as exc:
            raise store_error(exc, self._db.path, self._db.waited) from None
        return rows, tenants
