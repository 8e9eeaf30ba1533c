"""Finishing the month (issue 24): what was done to each synced invoice's Xero document (``finishing`` table).

One row per Autotask invoice, about one Xero document: a record for another document (ours was
deleted and made again) starts the row afresh. Each step writes only its own columns (an upsert),
so numbering, the attached PDF, the online link and sending never overwrite one another's record:

* ``record_number``: the number the document carries in Xero and the scheme that gave it;
* ``record_attachment``: Autotask's PDF is on the document (Xero's AttachmentID and file name);
* ``record_online_url``: the online invoice address Xero gave;
* ``record_sent``: sent from Xero, ``how`` = email or mark_sent;
* ``note_attachment`` / ``note_sent``: the sentence a step left when it did not happen ('' clears it).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from depot_gui.store.database import Database
from depot_gui.store.guard import store_error
from depot_gui.store.records import StoreDamaged, now_iso
from depot_gui.store.rows import text

NUMBERINGS = ("", "autotask", "autotask_prefix", "xero")
SENT_HOW = ("", "email", "mark_sent")


@dataclass(frozen=True)
class FinishingRow:
    """One invoice's finishing record."""

    autotask_id: int
    xero_invoice_id: str | None
    xero_number: str | None        # the InvoiceNumber the document carries in Xero (None: not known)
    numbering: str                 # autotask / autotask_prefix / xero, '' when not recorded
    attachment_id: str | None      # Xero's AttachmentID of Autotask's PDF; None: not attached by us
    attachment_name: str | None
    attached_at: str | None        # UTC ISO
    attachment_message: str        # why the PDF is not attached ('' when nothing to say)
    online_url: str | None         # the Xero online invoice address
    online_url_at: str | None
    sent_how: str                  # email / mark_sent / '' (not sent by us)
    sent_at: str | None
    sent_message: str              # why it was not sent ('' when nothing to say)

    @property
    def attached(self) -> bool:
        return self.attachment_id is not None

    @property
    def sent(self) -> bool:
        return self.sent_how != ""


def finishing_row(r: sqlite3.Row) -> FinishingRow:
    """The FinishingRow of one ``finishing`` row; ValueError naming the first damaged value."""
    if not isinstance(r["autotask_id"], int):
        raise ValueError(f"autotask_id {r['autotask_id']!r} is not a whole number")
    numbering = text("numbering", r["numbering"])
    if numbering not in NUMBERINGS:
        raise ValueError(f"numbering {str(numbering)[:40]!r} is not a numbering scheme")
    sent_how = text("sent_how", r["sent_how"])
    if sent_how not in SENT_HOW:
        raise ValueError(f"sent_how {str(sent_how)[:40]!r} is not a way of sending")
    return FinishingRow(
        r["autotask_id"], text("xero_invoice_id", r["xero_invoice_id"], nullable=True),
        text("xero_number", r["xero_number"], nullable=True), numbering,
        text("attachment_id", r["attachment_id"], nullable=True),
        text("attachment_name", r["attachment_name"], nullable=True),
        text("attached_at", r["attached_at"], nullable=True), text("attachment_message", r["attachment_message"]),
        text("online_url", r["online_url"], nullable=True), text("online_url_at", r["online_url_at"], nullable=True),
        sent_how, text("sent_at", r["sent_at"], nullable=True), text("sent_message", r["sent_message"]),
    )


class Finishing:
    """The ``finishing`` table (``store.finishing``)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def _upsert(self, autotask_id: int, xero_invoice_id: str | None, values: dict[str, object]) -> None:
        columns = ["autotask_id", "xero_invoice_id", *values]
        updates = ", ".join(f"{c}=excluded.{c}" for c in values)
        keep_id = "xero_invoice_id=COALESCE(excluded.xero_invoice_id, finishing.xero_invoice_id)"
        try:
            with self._db.transaction() as c:
                c.execute("BEGIN IMMEDIATE")
                if xero_invoice_id:  # a record for another document starts afresh: nothing of the old one holds
                    c.execute("DELETE FROM finishing WHERE autotask_id=? AND xero_invoice_id IS NOT NULL AND "
                              "xero_invoice_id<>?", (int(autotask_id), xero_invoice_id))
                c.execute(
                    f"INSERT INTO finishing({', '.join(columns)}) VALUES({', '.join('?' * len(columns))})"
                    f" ON CONFLICT(autotask_id) DO UPDATE SET {keep_id}{', ' if updates else ''}{updates}",
                    (int(autotask_id), xero_invoice_id, *values.values()),
                )
        except sqlite3.Error as exc:
            raise store_error(exc, self._db.path, self._db.waited) from None

    def record_number(self, autotask_id: int, xero_invoice_id: str, xero_number: str | None, numbering: str) -> None:
        """The number the Xero document carries and the scheme that gave it (once created)."""
        if numbering not in NUMBERINGS[1:]:
            raise ValueError(f"unknown numbering scheme {numbering!r}")
        self._upsert(autotask_id, xero_invoice_id, {"xero_number": xero_number, "numbering": numbering})

    def record_attachment(self, autotask_id: int, xero_invoice_id: str, attachment_id: str, file_name: str) -> None:
        """Autotask's PDF is on the Xero document (found there or added now)."""
        self._upsert(autotask_id, xero_invoice_id, {
            "attachment_id": attachment_id or "attached", "attachment_name": file_name, "attached_at": now_iso(),
            "attachment_message": ""})

    def note_attachment(self, autotask_id: int, xero_invoice_id: str | None, message: str) -> None:
        """Why the PDF is not attached ('' clears it); the attachment record itself is kept."""
        self._upsert(autotask_id, xero_invoice_id, {"attachment_message": message})

    def record_online_url(self, autotask_id: int, xero_invoice_id: str, url: str) -> None:
        """The online invoice address Xero gave for the document."""
        self._upsert(autotask_id, xero_invoice_id, {"online_url": url, "online_url_at": now_iso()})

    def record_sent(self, autotask_id: int, xero_invoice_id: str, how: str) -> None:
        """The document was sent from Xero: ``how`` is email or mark_sent."""
        if how not in SENT_HOW[1:]:
            raise ValueError(f"unknown way of sending {how!r}")
        self._upsert(autotask_id, xero_invoice_id, {"sent_how": how, "sent_at": now_iso(), "sent_message": ""})

    def note_sent(self, autotask_id: int, xero_invoice_id: str | None, message: str) -> None:
        """Why the document was not sent ('' clears it); a sent record is kept."""
        self._upsert(autotask_id, xero_invoice_id, {"sent_message": message})

    def get(self, autotask_id: int) -> FinishingRow | None:
        """One invoice's finishing record, or None when nothing was recorded."""
        rows = self._db.read("SELECT * FROM finishing WHERE autotask_id=?", (int(autotask_id),))
        return self._row(rows[0]) if rows else None

    def all(self) -> dict[int, FinishingRow]:
        """Every finishing record, by Autotask id."""
        return {r.autotask_id: r for r in map(self._row, self._db.read("SELECT * FROM finishing ORDER BY autotask_id"))}

    def _row(self, r: sqlite3.Row) -> FinishingRow:
        try:
            return finishing_row(r)
        except ValueError as exc:
            raise StoreDamaged(self._db.path, f"the finishing row of invoice {r['autotask_id']!r} is unreadable: {exc}") from None


__all__ = ["NUMBERINGS", "SENT_HOW", "Finishing", "FinishingRow", "finishing_row"]
