"""Xero lookups that do not grow per invoice, over the per-organisation cache in the store.

* Accounts: read once, then only what changed since (``If-Modified-Since``): 1 call an audit.
* Tax rates (Xero has no ``If-Modified-Since`` for them): read once per session.
* Contacts: the whole directory read once (1,000 a call), then refreshed by one
  "changed since" call; exact matches, close names and chosen contacts are all found in it.
* Documents by number: numbers never checked by ``InvoiceNumbers`` (40 a call; credit notes by
  ``CreditNoteNumber`` OR clauses, and only for numbers where one of ours can exist); numbers
  known absent since the last check by one "changed since" call.

Each kind's *mark* is Xero's own clock (the answer's ``Date``) less ``MARGIN``: everything
changed after it is asked for again, so a clock difference or a write landing while we read
is never missed. A mark older than ``STALE`` is not trusted: the numbers are checked afresh.
What this returns per number is every live document under it (``find_in_xero``'s shape);
which one is ours is for the caller to say.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from datetime import datetime, timedelta, timezone

from depot_gui.store.db import Store
from depot_gui.sync.side_by_side import side_by_side
from depot_gui.xero.client import NUMBERS_PER_CALL
from depot_gui.xero.throttle import CONCURRENT as XERO_AT_ONCE

MARGIN = timedelta(minutes=2)
STALE = timedelta(hours=12)


# What the store keeps of a contact: what matching and the window need, no addresses, phones or people.
CONTACT_FIELDS = ("ContactID", "Name", "AccountNumber", "ContactNumber", "ContactStatus", "UpdatedDateUTC")


def _kept(contacts) -> dict[str, dict]:
    """Contacts by ContactID, trimmed to CONTACT_FIELDS."""
    return {str(c.get("ContactID")): {k: c[k] for k in CONTACT_FIELDS if k in c} for c in contacts}


def session_memos(extra: dict) -> dict:
    """What this session read once already (``("tax_rates", tenant)``: True, ...), for a process that continues
    its work (the window's sync child): there too, the store's copies stand for those reads."""
    return {k: v for k, v in extra.items() if v is True and isinstance(k, tuple) and all(isinstance(p, str) for p in k)}


class XeroCache:
    """One organisation's cached reference data and number checks."""

    def __init__(self, store: Store, xero, tenant_id: str, session: dict | None = None,
                 carry: Callable[[], Callable[[], AbstractContextManager]] = lambda: nullcontext) -> None:
        self.store = store
        self.xero = xero
        self.tenant = tenant_id or ""
        self.session = session if session is not None else {}
        self.carry = carry  # the caller's waits and cancel token, for calls made side by side

    def _xero_now(self) -> datetime:
        """Xero's time of the last answer (this machine's clock if none yet)."""
        return self.xero.server_date or datetime.now(timezone.utc)

    def _mark_now(self) -> datetime:
        """Xero's time of the last answer, less the margin."""
        return self._xero_now() - MARGIN

    # -- accounts and tax rates -------------------------------------------------------------

    def accounts(self) -> list[dict]:
        mark = self.store.xero_cache.mark(self.tenant, "account")
        if mark is None:
            rows = self.xero.accounts()
            self.store.xero_cache.put(self.tenant, "account", {str(a.get("AccountID")): a for a in rows},
                                      replace_all=True, mark=self._mark_now())
            return rows
        changed = self.xero.bulk.accounts_changed_since(mark)
        self.store.xero_cache.put(self.tenant, "account", {str(a.get("AccountID")): a for a in changed},
                                  mark=self._mark_now())
        return list(self.store.xero_cache.rows(self.tenant, "account").values())

    def tax_rates(self) -> list[dict]:
        memo = ("tax_rates", self.tenant)
        if memo in self.session:
            cached = list(self.store.xero_cache.rows(self.tenant, "tax_rate").values())
            if cached:  # forgotten on demand since: read again
                return cached
        rows = self.xero.tax_rates()
        self.store.xero_cache.put(self.tenant, "tax_rate", {str(t.get("TaxType")): t for t in rows}, replace_all=True,
                                  mark=self._mark_now())
        self.session[memo] = True
        return rows

    # -- the organisation and its currencies -------------------------------------------------

    def organisation(self) -> dict:
        """Name, base currency and country, read once per organisation (Xero never changes a base
        currency) and kept until the cache is forgotten."""
        kept = self.store.xero_cache.rows(self.tenant, "organisation").get("organisation")
        if kept:
            return kept
        org = self.xero.organisation()
        kept = {k: org[k] for k in ("Name", "BaseCurrency", "CountryCode", "OrganisationID") if k in org}
        self.store.xero_cache.put(self.tenant, "organisation", {"organisation": kept}, replace_all=True,
                             mark=self._mark_now())
        return kept

    def currencies(self, needed: set[str]) -> tuple[str, ...]:
        """The codes of the currencies the organisation has added (asked for only when an invoice is
        in another currency than the base one): read once a session, and again while one of
        ``needed`` is missing, so a currency added in Xero since counts at the next audit."""
        memo = ("currencies", self.tenant)
        if memo not in self.session or not needed <= set(self.session[memo]):
            self.session[memo] = tuple(sorted({str(c.get("Code") or "").upper() for c in self.xero.currencies()} - {""}))
        return self.session[memo]

    # -- contacts --------------------------------------------------------------------------

    def directory(self) -> list[dict]:
        """Every contact of the organisation (archived included; only the fields matching needs).

        Read whole once (1,000 a call), then only what changed since the mark; whole again
        when the mark is stale. Close names and chosen contacts are found in it without calls."""
        mark = self.store.xero_cache.mark(self.tenant, "contact")
        whole = self.store.xero_cache.mark(self.tenant, "contact_directory")
        if mark is None or whole is None or self._xero_now() - mark > STALE:
            rows = self.xero.bulk.all_contacts()
            at = self._mark_now()
            self.store.xero_cache.put(self.tenant, "contact", _kept(rows), replace_all=True, mark=at)
            self.store.xero_cache.put(self.tenant, "contact_directory", {}, replace_all=True, mark=at)
        else:
            changed = self.xero.bulk.contacts_changed_since(mark)
            self.store.xero_cache.put(self.tenant, "contact", _kept(changed), mark=self._mark_now())
        return list(self.store.xero_cache.rows(self.tenant, "contact").values())

    def contacts(self, names: list[str], account_numbers: list[str]) -> list[dict]:
        """The directory's contacts whose name or account number is one of these (case-insensitive)."""
        wanted_names = {n.strip().lower() for n in names if n}
        wanted_numbers = {a.strip().lower() for a in account_numbers if a}
        return [
            c for c in self.directory()
            if str(c.get("Name") or "").strip().lower() in wanted_names
            or (c.get("AccountNumber") and str(c["AccountNumber"]).strip().lower() in wanted_numbers)
        ]

    def remember_contacts(self, contacts: list[dict]) -> None:
        """Contacts this app just created (so the next audit finds them without a call)."""
        self.store.xero_cache.put(self.tenant, "contact", _kept(c for c in contacts if c.get("ContactID")))

    # -- documents by number ---------------------------------------------------------------

    def documents(self, numbers: list[str], credit_numbers: list[str] = (),
                  with_deleted: bool = False) -> dict[str, list[dict]]:
        """Every live sales invoice (and, for ``credit_numbers``, credit note) under each number; with
        ``with_deleted`` the deleted ones Xero still lists too (the write path's look-up)."""
        found: dict[str, list[dict]] = {}
        kinds = [(kind, [n for n in dict.fromkeys(wanted) if n]) for kind, wanted in
                 (("invoice", numbers), ("credit", credit_numbers))]
        # invoices and credit notes side by side (the client keeps to Xero's 5 calls at once)
        for docs in side_by_side(lambda kind: self._documents(*kind, with_deleted), [k for k in kinds if k[1]],
                                 XERO_AT_ONCE, context=self.carry()):
            for doc in docs:
                number = str(doc.get("InvoiceNumber") or doc.get("CreditNoteNumber") or "")
                found.setdefault(number, []).append(doc)
        return found

    def _documents(self, kind: str, numbers: list[str], with_deleted: bool = False) -> list[dict]:
        if not numbers:
            return []
        absent_kind = f"absent_{kind}"
        absent = self.store.xero_cache.rows(self.tenant, absent_kind)
        mark = self.store.xero_cache.mark(self.tenant, absent_kind)
        if mark is None or self._xero_now() - mark > STALE:
            absent = {}
        known = [n for n in numbers if n.lower() in absent]
        unknown = [n for n in numbers if n.lower() not in absent]
        docs: list[dict] = []
        marks: list[datetime] = []
        if known:
            changed = (self.xero.bulk.invoices_changed_since(mark) if kind == "invoice"
                       else self.xero.bulk.credit_notes_changed_since(mark))
            marks.append(self._mark_now())
            wanted = {n.lower() for n in known}
            docs.extend(d for d in changed if self._number(d).lower() in wanted)
            seen = {self._number(d).lower() for d in changed}
            self.store.xero_cache.drop(self.tenant, absent_kind, [n for n in absent if n in seen])
        if unknown and kind == "invoice":  # 40 numbers a call, up to Xero's 5 calls at once
            chunks = [unknown[i:i + NUMBERS_PER_CALL] for i in range(0, len(unknown), NUMBERS_PER_CALL)]
            for part in side_by_side(lambda chunk: self.xero.invoices_by_number(chunk, include_deleted=True), chunks,
                                     XERO_AT_ONCE, context=self.carry()):
                docs.extend(part)
            marks.append(self._mark_now())
        elif unknown:
            docs.extend(self.xero.bulk.credit_notes_by_number(unknown, include_deleted=True))
            marks.append(self._mark_now())
        sales = [d for d in docs if d.get("Type", "ACCREC") in ("ACCREC", "ACCRECCREDIT")]
        live = [d for d in sales if d.get("Status") != "DELETED"]
        # A number under which Xero holds only a deleted document is not "absent": the write path
        # must see that deleted document (its create is a new intent, under a new key).
        present = {self._number(d).lower() for d in sales}
        now_absent = {n.lower(): 1 for n in numbers if n.lower() not in present}
        self.store.xero_cache.drop(self.tenant, absent_kind, [n for n in present if n in absent])
        # Without a "changed since" read, the older absences were not checked again: drop them.
        self.store.xero_cache.put(self.tenant, absent_kind, now_absent, replace_all=not known, mark=min(marks))
        return sales if with_deleted else live

    @staticmethod
    def _number(doc: dict) -> str:
        return str(doc.get("InvoiceNumber") or doc.get("CreditNoteNumber") or "")

    def forget_number(self, numbers: list[str]) -> None:
        """A write for these numbers is under way: never answer 'absent' from the cache for them."""
        for kind in ("absent_invoice", "absent_credit"):
            self.store.xero_cache.drop(self.tenant, kind, [n.lower() for n in numbers])
