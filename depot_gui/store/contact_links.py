"""Contacts linked on purpose: the Xero contact each Autotask company's invoices go to, per
organisation (``contact_links`` table). A decision of the user's, so it is not part of the
Xero cache and survives "refresh Xero data"."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from depot_gui.core.contacts import DECISIONS, ContactLink

from depot_gui.store.database import Database
from depot_gui.store.records import StoreDamaged, now_iso
from depot_gui.store.rows import text


def link_row(r: sqlite3.Row) -> ContactLink:
    """The ContactLink of one row; ValueError naming the first damaged value."""
    if not isinstance(r["company_id"], int):
        raise ValueError(f"company_id {r['company_id']!r} is not a whole number")
    decision = text("decision", r["decision"])
    if decision not in DECISIONS:
        raise ValueError(f"decision {str(decision)[:40]!r} is not one of {', '.join(DECISIONS)}")
    return ContactLink(r["company_id"], text("contact_id", r["contact_id"]), text("contact_name", r["contact_name"]),
                       decision, text("company_name", r["company_name"]), text("decided_at", r["decided_at"]))


class ContactLinks:
    """The ``contact_links`` table (``store.contact_links``)."""

    def __init__(self, db: Database, on_change: Callable[[], object] = lambda: None) -> None:
        self._db = db
        self._changed = on_change  # the store's copy of the user's choices follows every change

    def save(self, tenant: str, link: ContactLink) -> ContactLink:
        """Keep (or replace) the contact chosen for one company in one organisation."""
        if link.decision not in DECISIONS:
            raise ValueError(f"unknown contact decision {link.decision!r}")
        if not link.contact_id:
            raise ValueError("a contact link needs the Xero ContactID")
        at = link.decided_at or now_iso()
        self._db.write(
            """INSERT INTO contact_links(tenant_id, company_id, company_name, contact_id, contact_name, decision, decided_at)
               VALUES(?,?,?,?,?,?,?)
               ON CONFLICT(tenant_id, company_id) DO UPDATE SET company_name=excluded.company_name,
                   contact_id=excluded.contact_id, contact_name=excluded.contact_name, decision=excluded.decision,
                   decided_at=excluded.decided_at""",
            ((tenant or "").lower(), link.company_id, link.company_name, link.contact_id, link.contact_name,
             link.decision, at),
        )
        self._changed()
        return ContactLink(link.company_id, link.contact_id, link.contact_name, link.decision, link.company_name, at)

    def remember(self, tenant: str, link: ContactLink) -> None:
        """Keep a contact a sync used (decision ``auto``) unless a choice is already kept for the company."""
        # Not a choice of the user's (the audit finds it again), so the copy is not rewritten for it:
        # a sync of many companies does not rewrite the copy once per company.
        self._db.write(
            """INSERT OR IGNORE INTO contact_links(tenant_id, company_id, company_name, contact_id, contact_name,
                   decision, decided_at) VALUES(?,?,?,?,?,?,?)""",
            ((tenant or "").lower(), link.company_id, link.company_name, link.contact_id, link.contact_name,
             link.decision, now_iso()),
        )

    def drop(self, tenant: str, company_id: int) -> bool:
        """Forget the choice for one company; False when there was none."""
        dropped = self._db.write("DELETE FROM contact_links WHERE tenant_id=? AND company_id=?",
                                 ((tenant or "").lower(), company_id)).rowcount > 0
        if dropped:
            self._changed()
        return dropped

    def of(self, tenant: str) -> dict[int, ContactLink]:
        """Every company's chosen contact in this organisation, by Autotask company id."""
        rows = self._db.read("SELECT * FROM contact_links WHERE tenant_id=? ORDER BY company_id", ((tenant or "").lower(),))
        out: dict[int, ContactLink] = {}
        for r in rows:
            try:
                link = link_row(r)
            except ValueError as exc:
                raise StoreDamaged(self._db.path, f"the contact link of company {r['company_id']!r} is unreadable: {exc}") from None
            out[link.company_id] = link
        return out


__all__ = ["ContactLinks", "link_row"]
