"""Sync attempts: the intent recorded before each Xero write, and what became of it."""

from __future__ import annotations

import json

from depot_gui.store.database import Database
from depot_gui.store.records import StoreDamaged, SyncAttempt, now_iso


# Sending from Xero (issue 24): its attempts are kept here too, but never reconciled by the sync's
# write path (a sync neither closes nor looks for them): ``open`` leaves them out, ``open_sends`` has them.
SEND_ACTIONS = ("email", "mark_sent")


class SyncAttempts:
    """The ``sync_attempts`` table (``store.attempts``): the intent recorded before each Xero write."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def begin(self, autotask_id: int, number: str, key: str, action: str, request: dict, actor: str) -> int:
        """Record the intent to write to Xero before the call is made."""
        cur = self._db.write(
            "INSERT INTO sync_attempts(autotask_id, invoice_number, idempotency_key, started_at, state, action,"
            " request_json, actor) VALUES(?,?,?,?,?,?,?,?)",
            (autotask_id, number, key, now_iso(), "intent", action, json.dumps(request, default=str), actor),
        )
        return int(cur.lastrowid or 0)

    def finish(
        self, attempt_id: int, state: str, message: str, response: dict | None = None, xero_invoice_id: str | None = None
    ) -> None:
        self._db.write(
            "UPDATE sync_attempts SET finished_at=?, state=?, message=?, response_json=?, xero_invoice_id=? WHERE id=?",
            (now_iso(), state, message, json.dumps(response or {}, default=str), xero_invoice_id, attempt_id),
        )

    def all(self, autotask_id: int | None = None) -> list[SyncAttempt]:
        if autotask_id is None:
            rows = self._db.read("SELECT * FROM sync_attempts ORDER BY id")
        else:
            rows = self._db.read("SELECT * FROM sync_attempts WHERE autotask_id=? ORDER BY id", (autotask_id,))
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
            raise StoreDamaged(self._db.path, f"a sync attempt row is unreadable: {exc}") from None

    def open(self, autotask_id: int) -> list[SyncAttempt]:
        """Write attempts whose outcome we never learnt (crash or timeout): reconcile before writing."""
        return [a for a in self.all(autotask_id) if a.state in ("intent", "unknown") and a.action not in SEND_ACTIONS]

    def open_sends(self, autotask_id: int) -> list[SyncAttempt]:
        """Emails and marks-as-sent whose outcome we never learnt: Xero is read again before another is sent."""
        return [a for a in self.all(autotask_id) if a.state in ("intent", "unknown") and a.action in SEND_ACTIONS]

    def emails_on(self, tenant_id: str, day: str) -> tuple[int, bool]:
        """(invoice emails Xero took for the organisation on ``day`` (YYYY-MM-DD, UTC), whether Xero said its
        daily limit was reached that day), from this desk's own record."""
        rows = self._db.read(
            "SELECT state, COUNT(*) AS n FROM sync_attempts WHERE action='email' AND state IN ('sent', 'limit')"
            " AND substr(COALESCE(finished_at, started_at), 1, 10)=? AND json_valid(request_json)"
            " AND lower(json_extract(request_json, '$.tenant_id'))=lower(?) GROUP BY state",
            (day, tenant_id),
        )
        counts = {r["state"]: int(r["n"]) for r in rows}
        return counts.get("sent", 0), counts.get("limit", 0) > 0
