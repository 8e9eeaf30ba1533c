"""Sync (and re-sync) into Xero exactly once, whatever fails.

Layers that keep one Autotask invoice = at most one Xero invoice:
1. a lock per invoice, in this process and across processes (an SQLite lease row);
2. a fresh audit and a lookup of the invoice number in Xero right before any write;
3. the intent is recorded locally before the call and the outcome after it; an attempt whose
   outcome never arrived (timeout, 5xx, crash) is reconciled by lookup before anything else;
4. an `Idempotency-Key` derived from tenant + Autotask invoice id + payload hash, so a retry
   of the same request within Xero's window replays instead of creating;
5. Xero's own uniqueness of ACCREC invoice numbers: "must be unique" reads as "it exists".
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from depot_gui.core.contacts import choice_text
from depot_gui.core.audit import CONFLICT, ERROR, MISMATCH, READY, SYNCED, AuditResult
from depot_gui.core.mapping import ACCRECCREDIT, XeroDraft
from depot_gui.core.money import fmt2, to_decimal
from depot_gui.core.ownership import document_facts, foreign_document_text, split_ours
from depot_gui.autotask.errors import AutotaskError
from depot_gui.store.db import StoreError
from depot_gui.xero.errors import (
    XeroError,
    XeroOutcomeUnknown,
    XeroProtocolError,
    XeroRateLimited,
    XeroServerError,
    XeroValidationError,
)

from depot_gui.sync.invoices.batch import BatchSyncMixin
from depot_gui.sync.contacts.desk import remember_created
from depot_gui.sync.invoices.audit import Auditor, NothingNamed
from depot_gui.sync.invoices.lookup import find_in_xero

log = logging.getLogger(__name__)

_LOCKS: dict[int, threading.Lock] = {}
_LOCKS_GUARD = threading.Lock()


def _invoice_lock(autotask_id: int) -> threading.Lock:
    with _LOCKS_GUARD:
        return _LOCKS.setdefault(autotask_id, threading.Lock())


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value


def idempotency_key(tenant_id: str, autotask_id: int, payload: dict) -> str:
    """Same tenant + invoice + content -> same key (<=128 chars, never empty)."""
    digest = hashlib.sha256(
        json.dumps([tenant_id, autotask_id, _jsonable(payload)], sort_keys=True, separators=(",", ":")).encode()
    ).hexdigest()
    return f"depot-{autotask_id}-{digest[:40]}"


def _content(lines: list[dict]) -> list[tuple]:
    """Comparable content of Xero line items (what we send vs what Xero holds)."""
    out = []
    for ln in lines:
        out.append(
            (
                str(ln.get("Description") or "").strip(),
                to_decimal(ln.get("Quantity")).normalize(),
                to_decimal(ln.get("UnitAmount")).normalize(),
                str(ln.get("AccountCode") or ""),
                str(ln.get("TaxType") or ""),
            )
        )
    return sorted(out)


@dataclass(frozen=True)
class SyncOutcome:
    """What a sync did for one invoice: the audit result plus the action taken."""

    result: AuditResult
    action: str  # created | updated | unchanged | refused | failed
    message: str

    @property
    def ok(self) -> bool:
        return self.action in ("created", "updated", "unchanged")


class Syncer(BatchSyncMixin):
    """Sync named invoices: re-download, re-audit, then create/update in Xero at most once."""

    def __init__(self, auditor: Auditor, *, reconcile_delays: tuple[float, ...] = (0.5, 2.0), sleep=time.sleep) -> None:
        self.auditor = auditor
        self.store = auditor.store
        self.conn = auditor.conn
        self.reconcile_delays = reconcile_delays
        self.sleep = sleep
        self.warnings: list[str] = []  # what the last sync wants the user to know (Xero's daily limit)

    def sync(self, numbers: list[str]) -> list[SyncOutcome]:
        """Sync exactly the invoices named (never "all": an empty or blank name is refused)."""
        if not numbers:
            raise NothingNamed("Name the invoices to sync: sync never means \"all\".")
        with self.conn.waits.listening(self.auditor.on_wait, self.auditor.cancel):
            return self._sync(numbers)

    def _sync(self, numbers: list[str]) -> list[SyncOutcome]:
        self._day_limit = None
        self.warnings = []
        results = self.auditor.audit(numbers)
        batched = self._batch_many(results)
        outcomes = []
        for i, result in enumerate(results):
            self.auditor.cancel.check()
            outcome = batched.get(result.autotask_id)
            if outcome is None and self._day_limit is not None and self._creatable(result):
                outcome = self._not_sent(result, self._day_limit)
            if outcome is None:
                self.auditor.progress(f"Syncing {result.invoice_number}", i, len(results))
                outcome = self._sync_one(result)
            log.info("sync %s (Autotask %s): %s. %s", result.invoice_number, result.autotask_id, outcome.action,
                     outcome.message.split("\n", 1)[0])
            outcomes.append(outcome)
            if result.autotask_id not in batched:  # batched rows were reported batch by batch
                self.auditor.recorded([result.autotask_id])
        self.auditor.progress("Done", len(results), len(results))
        return outcomes

    @staticmethod
    def _creatable(result: AuditResult) -> bool:
        """Ready, not a conflict, and Xero had nothing under its number when the audit looked."""
        return (result.status == READY and result.extra.get("audit_status", READY) == READY
                and result.draft is not None)

    def _batch_many(self, results: list[AuditResult]) -> dict[int, SyncOutcome]:
        """Two or more invoices to create go in batches; one alone keeps the one-invoice path."""
        ready = [r for r in results if self._creatable(r)]
        if len(ready) < 2:
            return {}
        try:
            return self._sync_many(ready)  # type: ignore[return-value]
        except (XeroError, AutotaskError, StoreError) as exc:
            if isinstance(exc, XeroRateLimited) and exc.problem == "day":
                self._day_limit = exc
                return {r.autotask_id: self._not_sent(r, exc) for r in ready}
            message = getattr(exc, "user_message", None) or str(exc)
            log.warning("batch sync failed: %s", message)
            return {r.autotask_id: self._failed(r, f"{r.invoice_number} was not synced: {message}") for r in ready}

    # ------------------------------------------------------------------ one invoice
    def _sync_one(self, result: AuditResult) -> SyncOutcome:
        verdict = result.extra.get("audit_status", result.status)
        if result.status == CONFLICT:  # a document that is not ours holds the number: never written
            return SyncOutcome(result, "refused", result.explanation)
        if result.status == ERROR or verdict in (ERROR, MISMATCH):
            # A mismatch is refused even when Xero already has the invoice: never overwrite it with
            # content whose total does not match Autotask.
            return SyncOutcome(result, "refused", result.explanation)
        try:
            with _invoice_lock(result.autotask_id), self.store.leases.hold(result.autotask_id):
                return self._write(result)
        except (XeroError, AutotaskError, StoreError) as exc:
            if isinstance(exc, XeroRateLimited) and exc.problem == "day":
                self._day_limit = exc  # nothing more is sent today; this invoice is still ready
                return self._not_sent(result, exc)
            message = getattr(exc, "user_message", None) or str(exc)
            log.warning("sync of %s failed: %s", result.invoice_number, message)
            return self._failed(result, f"{result.invoice_number} was not synced: {message}")

    def _write(self, result: AuditResult) -> SyncOutcome:
        assert result.draft is not None
        settings = self.store.settings()
        draft = result.draft
        status = settings.xero_status
        seen = self.auditor.seen_in_xero.get(result.autotask_id)
        if seen is not None and not self.store.attempts.open(result.autotask_id) and self._same(result, draft, seen, status):
            return self._done(result, seen, "unchanged")  # read by this sync's own audit: no second look-up
        existing, foreign = self._lookup(draft, result.autotask_id)
        if existing is None and not foreign and self.store.attempts.open(result.autotask_id):
            # A previous attempt's answer never arrived: it may still land. Look again.
            existing, foreign = self._reconcile(draft, result.autotask_id)
        if existing is not None:
            return self._existing(result, draft, existing, status)
        if foreign:
            return self._conflict(result, foreign[0])
        if draft.contact.needs_choice or draft.contact.problem:  # the audit refuses these; never create one
            return self._failed(result, draft.contact.problem or choice_text(draft.contact.name, draft.contact.candidates))
        draft = self._with_contact(draft)
        remember_created(self.store, self.conn.tenant_id, [(draft, result.company)])
        payload = draft.payload(status)
        key = idempotency_key(self.conn.tenant_id, result.autotask_id, payload)
        return self._create(result, draft, payload, key)

    def _create(self, result: AuditResult, draft: XeroDraft, payload: dict, key: str) -> SyncOutcome:
        credit = draft.type == ACCRECCREDIT
        for attempt_no in range(3):
            attempt = self.store.attempts.begin(
                result.autotask_id, result.invoice_number, key, "create", _jsonable(payload), self.conn.actor
            )
            try:
                created = (
                    self.conn.xero.create_credit_note(payload, key) if credit else self.conn.xero.create_invoice(payload, key)
                )
            except XeroValidationError as exc:
                if any("must be unique" in m.lower() for m in exc.messages):
                    # Xero has this number already: another attempt or window got there first.
                    self.store.attempts.finish(attempt, "exists", "Xero already has this invoice number.")
                    existing, foreign = self._reconcile(draft, result.autotask_id)
                    if existing is not None:
                        return self._existing(result, draft, existing, payload.get("Status", "DRAFT"))
                    if foreign:
                        return self._conflict(result, foreign[0])
                    message = (
                        f"Xero says {result.invoice_number} already exists but it could not be found by number "
                        "(it may be archived or belong to another contact). Check Xero before syncing again."
                    )
                    return self._failed(result, message)
                message = "Xero refused the invoice: " + "; ".join(exc.messages)
                self.store.attempts.finish(attempt, "failed", message, {"errors": exc.messages})
                return self._failed(result, message)
            except (XeroOutcomeUnknown, XeroServerError, XeroProtocolError) as exc:
                # The write may or may not have been applied: find out before anything else.
                self.store.attempts.finish(attempt, "unknown", exc.user_message)
                existing, foreign = self._reconcile(draft, result.autotask_id)
                if existing is not None:
                    return self._done(result, existing, "created")
                if foreign:  # another document took the number meanwhile; ours never landed
                    return self._conflict(result, foreign[0])
                if attempt_no < 2:
                    self.auditor.progress(f"Xero did not answer; trying {result.invoice_number} again", 0, 0)
                    continue
                message = (
                    f"Xero did not confirm {result.invoice_number}, and looking it up by number did not find it. "
                    "Press Sync again in a minute: Depot GUI looks it up first and resends the same request "
                    "with the same idempotency key, so it cannot create a second copy."
                )
                return self._failed(result, message)
            except XeroError as exc:
                self.store.attempts.finish(attempt, "failed", exc.user_message)
                return self._failed(result, exc.user_message)
            self.store.attempts.finish(
                attempt, "created", "Created in Xero.", _jsonable(created),
                created.get("InvoiceID") or created.get("CreditNoteID"),
            )
            return self._done(result, created, "created")
        raise AssertionError("unreachable")

    def _existing(self, result: AuditResult, draft: XeroDraft, xero: dict, status: str) -> SyncOutcome:
        """The invoice is already in Xero: same content, update a draft, or refuse."""
        xero_id = xero.get("InvoiceID") or xero.get("CreditNoteID")
        self._close_open_attempts(result.autotask_id, xero_id)
        is_credit = bool(xero.get("CreditNoteID")) or xero.get("Type") == ACCRECCREDIT
        if is_credit != (draft.type == ACCRECCREDIT):
            have, want = ("a credit note", "an invoice") if is_credit else ("an invoice", "a credit note")
            message = (
                f"{result.invoice_number} is in Xero as {have}, but its Autotask total is now "
                f"{fmt2(result.autotask_total)}, which needs {want}. Depot GUI does not turn one into the other: "
                f"void or delete {have[3:] if have.startswith('an ') else have[2:]} {result.invoice_number} in Xero, "
                "then press Re-sync."
            )
            return SyncOutcome(
                replace(result, status=SYNCED, xero_invoice_id=xero_id, explanation=message), "refused", message
            )
        ours = draft.payload(status)
        if self._same(result, draft, xero, status):
            return self._done(result, xero, "unchanged")
        xero_status = str(xero.get("Status") or "")
        if xero_status in ("DRAFT", "SUBMITTED") and draft.type != ACCRECCREDIT:
            payload = {k: v for k, v in ours.items() if k not in ("Status",)}
            payload["Status"] = xero_status
            key = idempotency_key(self.conn.tenant_id, result.autotask_id, {"update": xero_id, **payload})
            attempt = self.store.attempts.begin(
                result.autotask_id, result.invoice_number, key, "update", _jsonable(payload), self.conn.actor
            )
            try:
                updated = self.conn.xero.update_invoice(xero_id, payload, key)
            except XeroError as exc:
                state = "unknown" if isinstance(exc, (XeroOutcomeUnknown, XeroProtocolError)) else "failed"
                self.store.attempts.finish(attempt, state, exc.user_message)
                message = (
                    f"{result.invoice_number} is in Xero, but Xero did not take the update: {exc.user_message} "
                    "Press Re-sync to try again."
                )
                self.store.set_status(result.autotask_id, SYNCED, message)
                return SyncOutcome(
                    replace(result, status=SYNCED, xero_invoice_id=xero_id, explanation=message), "failed", message
                )
            self.store.attempts.finish(attempt, "updated", "Updated the draft in Xero.", _jsonable(updated), xero_id)
            return self._done(result, updated, "updated")
        message = (
            f"{result.invoice_number} is already in Xero as {xero_status.lower()} with different content "
            f"(Xero total {xero.get('Total')}, Autotask {fmt2(result.autotask_total)}). Depot GUI does not change "
            "approved invoices. In Xero, void it (or add a credit note) if it is wrong, then press Re-sync; "
            "or leave it if Xero is right."
        )
        return SyncOutcome(replace(result, status=SYNCED, xero_invoice_id=xero_id, explanation=message), "refused", message)

    # ------------------------------------------------------------------ helpers
    @staticmethod
    def _same(result: AuditResult, draft: XeroDraft, xero: dict, status: str) -> bool:
        """Xero's document already holds what would be sent (same kind, lines and total)."""
        is_credit = bool(xero.get("CreditNoteID")) or xero.get("Type") == ACCRECCREDIT
        if is_credit != (draft.type == ACCRECCREDIT):
            return False
        total = fmt2(to_decimal(xero.get("Total")))
        if not xero.get("LineItems"):
            return total == fmt2(result.autotask_total)
        return (_content(draft.payload(status)["LineItems"]) == _content(xero["LineItems"])
                and total == fmt2(draft.totals().total * (-1 if draft.type == ACCRECCREDIT else 1)))

    def _lookup(self, draft: XeroDraft, autotask_id: int) -> tuple[dict | None, list[dict]]:
        """(our Xero document for this invoice, the documents under its number that are not ours)."""
        return split_ours(find_in_xero(self.conn.xero, [draft.invoice_number]).get(draft.invoice_number, []), autotask_id)

    def _reconcile(self, draft: XeroDraft, autotask_id: int) -> tuple[dict | None, list[dict]]:
        """Look the invoice up, waiting a little between tries for a write still landing."""
        for delay in (0.0, *self.reconcile_delays):
            if delay:
                self.sleep(delay)
            try:
                ours, foreign = self._lookup(draft, autotask_id)
            except XeroError:
                continue
            if ours is not None or foreign:
                return ours, foreign
        return None, []

    def _conflict(self, result: AuditResult, doc: dict) -> SyncOutcome:
        """A document that is not ours holds the number: refuse, record, say what to do."""
        facts = document_facts(doc)
        message = foreign_document_text(result.invoice_number, facts, result.autotask_id)
        self.store.set_status(result.autotask_id, CONFLICT, message)
        conflict = replace(result, status=CONFLICT, xero_invoice_id=None, explanation=message, causes=(),
                           extra={**result.extra, "conflict": {"document": facts}})
        return SyncOutcome(conflict, "refused", message)

    def _with_contact(self, draft: XeroDraft) -> XeroDraft:
        """Use the matched contact, or create it (once) when none matches."""
        if draft.contact.exists or not draft.contact.name:
            return draft
        xero = self.conn.xero
        for c in xero.find_contacts(name=draft.contact.name):
            if c.get("ContactStatus", "ACTIVE") == "ACTIVE":
                return replace(draft, contact=replace(draft.contact, contact_id=c["ContactID"]))
        body = {"Name": draft.contact.name}
        if draft.contact.account_number:
            body["AccountNumber"] = draft.contact.account_number
        key = "depot-contact-" + hashlib.sha256(f"{self.conn.tenant_id}|{draft.contact.name}".encode()).hexdigest()[:40]
        try:
            created = xero.create_contact(body, key)
        except XeroValidationError:
            found = xero.find_contacts(name=draft.contact.name)
            if not found:
                raise
            created = found[0]
        return replace(draft, contact=replace(draft.contact, contact_id=created["ContactID"]))

    def _close_open_attempts(self, autotask_id: int, xero_id: str | None) -> None:
        for a in self.store.attempts.open(autotask_id):
            self.store.attempts.finish(a.id, "reconciled", "Found in Xero when reconciling.", None, xero_id)

    def _done(self, result: AuditResult, xero: dict, action: str) -> SyncOutcome:
        xero_id = xero.get("InvoiceID") or xero.get("CreditNoteID") or ""
        self._close_open_attempts(result.autotask_id, xero_id)
        number = xero.get("InvoiceNumber") or xero.get("CreditNoteNumber") or result.invoice_number
        status = str(xero.get("Status") or "")
        total = fmt2(to_decimal(xero.get("Total")))
        kind = "credit note" if xero.get("CreditNoteID") else "invoice"
        words = {
            "created": f"Created in Xero as {status.lower()} {kind} {number} (total {total}).",
            "updated": f"Updated the {status.lower()} {kind} {number} in Xero (total {total}).",
            "unchanged": f"Already in Xero as {status.lower()} {kind} {number} with the same content; nothing to do.",
        }
        message = words[action]
        if action != "unchanged":
            message += self._total_check(result, xero)
        if action != "unchanged" or not result.extra.get("stamped", False):
            stamp = self._stamp(result)  # also retries a stamp that failed or never happened
            if stamp:
                message += " " + stamp
        self.store.mark_synced(result.autotask_id, xero_id, status, message)
        return SyncOutcome(replace(result, status=SYNCED, xero_invoice_id=xero_id, explanation=message), action, message)

    @staticmethod
    def _total_check(result: AuditResult, xero: dict) -> str:
        """Xero's own total of what we sent must be the total we computed with its rules; say so if not."""
        if result.draft is None or xero.get("Total") is None:
            return ""
        expected = abs(result.draft.totals().total)  # a credit note's total is positive in Xero
        got = to_decimal(xero.get("Total"))
        if got == expected:
            return ""
        log.warning("%s: Xero's total %s differs from the computed %s", result.invoice_number, got, expected)
        return (
            f" Check it in Xero before approving it: Xero's total is {fmt2(got)}, but Depot GUI computed "
            f"{fmt2(expected)} with Xero's rounding rules (Autotask's total is {fmt2(abs(result.autotask_total))})."
        )

    def _failed(self, result: AuditResult, message: str) -> SyncOutcome:
        self.store.set_status(result.autotask_id, ERROR, message)
        return SyncOutcome(replace(result, status=ERROR if result.status == READY else result.status, explanation=message), "failed", message)

    def _stamp(self, result: AuditResult) -> str:
        """Mark the Autotask invoice processed (webServiceDate); a failure is reported only."""
        at = self.conn.autotask
        when = (at.server_date or None)
        stamp = (when.strftime("%Y-%m-%dT%H:%M:%S") if when else time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime()))
        try:
            at.patch("Invoices", {"id": result.autotask_id, "webServiceDate": stamp})
        except Exception as exc:  # noqa: BLE001 - reported, never undoes the Xero invoice
            text = (getattr(exc, "user_message", None) or type(exc).__name__).rstrip(".")
            return f"(Autotask was not marked as processed: {text}. Re-sync marks it.)"
        return ""


__all__ = ["Syncer", "SyncOutcome", "idempotency_key", "MISMATCH", "READY"]
