"""Batched creates for a month-end sync, exactly once (mixed into ``Syncer``).

For the invoices of one sync that Xero does not have yet:
1. all their locks and leases are taken (in Autotask-id order, so two syncs never deadlock);
2. one lookup of all their numbers right before writing (the cache's "changed since" call);
3. the companies without a Xero contact get one, in one ``PUT /Contacts`` per 50;
4. invoices and credit notes go in ``PUT``s of up to 50 with ``summarizeErrors=false`` and one
   ``Idempotency-Key`` per batch; every invoice's intent is recorded before the call;
5. each element's own answer decides that invoice's outcome (created, refused by Xero, or
   "must be unique": it exists, so it is looked up and read like any invoice already in Xero);
6. no answer (timeout, 5xx, dropped connection): the batch's numbers are looked up in one call;
   the ones found are done, only the missing ones are sent again, in a new batch with a new key;
7. Xero's daily limit (429 ``day``) ends the sync: nothing more is sent, and every invoice not
   written says so, with the time the limit resets. No retry loop.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from contextlib import ExitStack
from dataclasses import replace

from depot_gui.core.audit import READY, AuditResult
from depot_gui.core.contacts import choice_text
from depot_gui.core.mapping import ACCRECCREDIT, XeroDraft
from depot_gui.core.ownership import split_ours
from depot_gui.xero.bulk import BATCH_SIZE
from depot_gui.xero.errors import (
    XeroError,
    XeroOutcomeUnknown,
    XeroProtocolError,
    XeroRateLimited,
    XeroServerError,
)

from depot_gui.sync.contacts.desk import remember_created

ROUNDS = 3


def batch_key(tenant_id: str, kind: str, items: list[tuple[int, dict]], round_no: int, nonce: str = "") -> str:
    """One key per batch send: tenant + what is in it + the round + a nonce.

    Every send gets a new key: a batch is resent only after a look-up found its invoices
    missing, so there is nothing to replay, and Xero keeps even a 5xx answer under a key for
    minutes (a resend under the old key would only get that answer back)."""
    from depot_gui.sync.invoices.syncer import _jsonable

    digest = hashlib.sha256(json.dumps([tenant_id, kind, round_no, nonce, [[i, _jsonable(p)] for i, p in items]],
                                       sort_keys=True, separators=(",", ":")).encode()).hexdigest()
    return f"depot-batch-{kind}-{digest[:40]}"


def estimate_write_calls(results: list[AuditResult]) -> int:
    """Xero calls to create these invoices: contacts, invoices and credit notes, 50 a call each."""
    new_contacts = {r.draft.contact.name.strip().lower() for r in results
                    if r.draft is not None and not r.draft.contact.exists and r.draft.contact.name}
    credits = sum(1 for r in results if r.draft is not None and r.draft.type == ACCRECCREDIT)
    invoices = len(results) - credits
    return sum(-(-n // BATCH_SIZE) for n in (len(new_contacts), invoices, credits))


class BatchSyncMixin:
    """Create many invoices with few calls (needs the Syncer's helpers)."""

    warnings: list[str]

    def _sync_many(self, results: list[AuditResult]) -> dict[int, object]:
        """Outcomes (by Autotask id) of creating or reconciling these ready invoices."""
        from depot_gui.sync.invoices.syncer import _invoice_lock

        outcomes: dict[int, object] = {}
        ordered = sorted(results, key=lambda r: r.autotask_id)
        with ExitStack() as stack:
            for r in ordered:
                stack.enter_context(_invoice_lock(r.autotask_id))
                stack.enter_context(self.store.leases.hold(r.autotask_id))
            cache = self.auditor.xero_cache()
            status = self.store.settings().xero_status
            credit = [r.invoice_number for r in ordered if r.draft.type == ACCRECCREDIT or self.store.attempts.all(r.autotask_id)]
            found = self._fresh_lookup(cache, [r.invoice_number for r in ordered], credit)
            todo: list[AuditResult] = []
            for r in ordered:
                existing = self._ours_in(r, found.get(r.invoice_number, []))
                if existing is not None:
                    outcomes[r.autotask_id] = self._existing(r, r.draft, existing, status)
                elif found.get(r.invoice_number):  # not ours: never written, never in a batch
                    outcomes[r.autotask_id] = self._conflict(r, found[r.invoice_number][0])
                else:
                    todo.append(r)
            self.auditor.recorded(list(outcomes))
            if not todo:
                return outcomes
            cache.forget_number([r.invoice_number for r in todo])
            self._check_day_budget(todo)
            for r in [r for r in todo if r.draft.contact.needs_choice or r.draft.contact.problem]:
                # the audit refuses these; a contact is never created while the user has to choose
                outcomes[r.autotask_id] = self._failed(
                    r, r.draft.contact.problem or choice_text(r.draft.contact.name, r.draft.contact.candidates))
            todo = [r for r in todo if r.autotask_id not in outcomes]
            drafts, contact_errors = self._with_contacts({r.autotask_id: r.draft for r in todo}, cache)
            for r in [r for r in todo if r.autotask_id in contact_errors]:
                outcomes[r.autotask_id] = self._failed(
                    r, f"{r.invoice_number} was not synced: its Xero contact could not be created: "
                       f"{contact_errors[r.autotask_id]}")
            todo = [r for r in todo if r.autotask_id not in contact_errors]
            remember_created(self.store, self.conn.tenant_id, [(drafts[r.autotask_id], r.company) for r in todo])
            for kind, credit_kind in (("Invoices", False), ("CreditNotes", True)):
                group = [r for r in todo if (drafts[r.autotask_id].type == ACCRECCREDIT) == credit_kind]
                for start in range(0, len(group), BATCH_SIZE):
                    self.auditor.cancel.check()
                    chunk = group[start:start + BATCH_SIZE]
                    if self._day_limit is not None:
                        for r in chunk:
                            outcomes[r.autotask_id] = self._not_sent(r, self._day_limit)
                        continue
                    self.auditor.progress(f"Sending {len(chunk)} {kind[:-1].lower().replace('creditnote', 'credit note')}"
                                         f"{'s' if len(chunk) > 1 else ''} to Xero", len(outcomes), len(results))
                    self._send_chunk(kind, chunk, drafts, status, outcomes)
                    self.auditor.recorded([r.autotask_id for r in chunk])
        return outcomes

    # -- steps ----------------------------------------------------------------------------------
    def _fresh_lookup(self, cache, numbers: list[str], credit: list[str]) -> dict[str, list[dict]]:
        return cache.documents(numbers, credit)

    @staticmethod
    def _ours_in(result: AuditResult, docs: list[dict]) -> dict | None:
        """The document under this number that carries our mark for this invoice (None: none is ours)."""
        return split_ours(docs, result.autotask_id)[0]

    def _with_contacts(self, drafts: dict[int, XeroDraft], cache) -> tuple[dict[int, XeroDraft], dict[int, str]]:
        """Create the missing contacts (one PUT per 50 names) and point the drafts at them.

        Returns the drafts and, by Autotask id, why a draft's contact could not be made (those
        invoices fail; the others go on)."""
        missing: dict[str, dict] = {}
        for d in drafts.values():
            if not d.contact.exists and d.contact.name:
                body = {"Name": d.contact.name}
                if d.contact.account_number:
                    body["AccountNumber"] = d.contact.account_number
                missing.setdefault(d.contact.name.strip().lower(), body)
        if not missing:
            return drafts, {}
        xero = self.conn.xero
        ids: dict[str, str] = {}
        refused: dict[str, str] = {}
        bodies = list(missing.values())
        for start in range(0, len(bodies), BATCH_SIZE):
            chunk = bodies[start:start + BATCH_SIZE]
            key = "depot-contacts-" + hashlib.sha256(
                json.dumps([self.conn.tenant_id, chunk], sort_keys=True).encode()).hexdigest()[:40]
            try:
                answers = xero.bulk.create_contacts(chunk, key)
            except (XeroOutcomeUnknown, XeroServerError, XeroProtocolError):
                answers = []  # looked up below: a contact is harmless to find rather than create
            except XeroRateLimited:
                raise
            except XeroError as exc:
                refused.update({str(b["Name"]).strip().lower(): exc.user_message for b in chunk})
                continue
            made = [a.answer for a in answers if a.ok]
            cache.remember_contacts(made)
            ids.update({str(c.get("Name", "")).strip().lower(): c["ContactID"] for c in made})
        left = [b["Name"] for b in bodies if b["Name"].strip().lower() not in ids and b["Name"].strip().lower()
                not in refused]
        if left:  # already there (another window, or a name Xero matched): find them
            for c in xero.bulk.contacts_matching(left, ()):
                if c.get("ContactStatus", "ACTIVE") == "ACTIVE":
                    ids.setdefault(str(c.get("Name", "")).strip().lower(), c["ContactID"])
        out, errors = {}, {}
        for aid, d in drafts.items():
            name = d.contact.name.strip().lower()
            cid = ids.get(name) if not d.contact.exists else None
            out[aid] = replace(d, contact=replace(d.contact, contact_id=cid)) if cid else d
            if not d.contact.exists and name in refused:
                errors[aid] = refused[name]
        return out, errors

    def _send_chunk(self, kind: str, chunk: list[AuditResult], drafts: dict[int, XeroDraft], status: str,
                    outcomes: dict[int, object]) -> None:
        from depot_gui.sync.invoices.syncer import _jsonable

        xero = self.conn.xero
        pending = list(chunk)
        for round_no in range(ROUNDS):
            payloads = {r.autotask_id: drafts[r.autotask_id].payload(status) for r in pending}
            key = batch_key(self.conn.tenant_id, kind, sorted(payloads.items()), round_no, uuid.uuid4().hex)
            attempts = {r.autotask_id: self.store.attempts.begin(r.autotask_id, r.invoice_number, key, "create",
                                                                 _jsonable(payloads[r.autotask_id]), self.conn.actor)
                        for r in pending}
            send = xero.bulk.create_credit_notes if kind == "CreditNotes" else xero.bulk.create_invoices
            try:
                answers = send([payloads[r.autotask_id] for r in pending], key)
            except XeroRateLimited as exc:
                for r in pending:
                    self.store.attempts.finish(attempts[r.autotask_id], "failed", exc.user_message)
                if exc.problem != "day":
                    for r in pending:
                        outcomes[r.autotask_id] = self._failed(r, f"{r.invoice_number} was not synced: {exc.user_message}")
                    return
                self._day_limit = exc
                for r in pending:
                    outcomes[r.autotask_id] = self._not_sent(r, exc)
                return
            except (XeroOutcomeUnknown, XeroServerError, XeroProtocolError) as exc:
                for r in pending:
                    self.store.attempts.finish(attempts[r.autotask_id], "unknown", exc.user_message)
                found, _ = self._reconcile_many(pending)
                still = []
                for r in pending:
                    doc = found.get(r.autotask_id)
                    if doc is not None:
                        outcomes[r.autotask_id] = self._done(r, doc, "created")
                    else:
                        still.append(r)
                pending = still
                if not pending:
                    return
                self.auditor.progress(f"Xero did not answer; sending {len(pending)} again", 0, 0)
                continue
            except XeroError as exc:
                for r in pending:
                    self.store.attempts.finish(attempts[r.autotask_id], "failed", exc.user_message)
                    outcomes[r.autotask_id] = self._failed(r, f"{r.invoice_number} was not synced: {exc.user_message}")
                return
            exists = []
            for r, el in zip(pending, answers):
                aid = attempts[r.autotask_id]
                if el.ok:
                    doc = el.answer
                    self.store.attempts.finish(aid, "created", "Created in Xero.", _jsonable(doc),
                                               doc.get("InvoiceID") or doc.get("CreditNoteID"))
                    outcomes[r.autotask_id] = self._done(r, doc, "created")
                elif any("must be unique" in m.lower() for m in el.errors):
                    self.store.attempts.finish(aid, "exists", "Xero already has this invoice number.")
                    exists.append(r)
                else:
                    message = "Xero refused the invoice: " + "; ".join(el.errors)
                    self.store.attempts.finish(aid, "failed", message, {"errors": el.errors})
                    outcomes[r.autotask_id] = self._failed(r, message)
            if exists:
                found, foreign = self._reconcile_many(exists)
                for r in exists:
                    doc = found.get(r.autotask_id)
                    if doc is not None:
                        outcomes[r.autotask_id] = self._existing(r, r.draft, doc, status)
                    elif foreign.get(r.autotask_id):
                        outcomes[r.autotask_id] = self._conflict(r, foreign[r.autotask_id][0])
                    else:
                        outcomes[r.autotask_id] = self._failed(
                            r, f"Xero says {r.invoice_number} already exists but it could not be found by number "
                               "(it may be archived or belong to another contact). Check Xero before syncing again.")
            return
        for r in pending:
            outcomes[r.autotask_id] = self._failed(
                r, f"Xero did not confirm {r.invoice_number}, and looking it up by number did not find it. Press "
                   "Sync again in a minute: Depot GUI looks it up first, so it cannot create a second copy.")

    def _reconcile_many(self, results: list[AuditResult]) -> tuple[dict[int, dict], dict[int, list[dict]]]:
        """Look the numbers up together (no cache), waiting a little between tries for writes still
        landing: (our document by Autotask id, the documents under its number that are not ours)."""
        from depot_gui.sync.invoices.lookup import find_in_xero

        found: dict[int, dict] = {}
        foreign: dict[int, list[dict]] = {}
        left = list(results)
        for delay in (0.0, *self.reconcile_delays):
            if delay:
                self.sleep(delay)
            try:
                docs = find_in_xero(self.conn.xero, [r.invoice_number for r in left])
            except XeroRateLimited:
                raise
            except XeroError:
                continue
            for r in left:
                ours, others = split_ours(docs.get(r.invoice_number, []), r.autotask_id)
                if ours is not None:
                    found[r.autotask_id] = ours
                elif others:
                    foreign[r.autotask_id] = others
            left = [r for r in left if r.autotask_id not in found]
            if not left:
                break
        return found, foreign

    _day_limit: XeroRateLimited | None = None

    def _check_day_budget(self, todo: list[AuditResult]) -> None:
        """Before sending: will these writes fit in what Xero said is left today? Warn with what fits."""
        remaining = self.conn.xero.day_remaining
        need = estimate_write_calls(todo)
        if remaining is None or need <= remaining:
            return
        fits = max(0, remaining - 1) * BATCH_SIZE if remaining > 1 else 0
        message = (
            f"Xero allows {remaining} more call{'s' if remaining != 1 else ''} today for this organisation and "
            f"sending these {len(todo)} invoices needs about {need}: about {min(fits, len(todo))} of them fit "
            "today; the rest stay ready and say when the limit resets."
        )
        self.warnings.append(message)
        self.auditor.progress(message, 0, 0)

    def _not_sent(self, result: AuditResult, exc: XeroRateLimited):
        """Not sent because Xero's daily limit is used up: the invoice stays ready, and says when to retry."""
        from depot_gui.sync.invoices.syncer import SyncOutcome

        message = f"{result.invoice_number} was not sent: {exc.user_message} It is still ready; sync it after that."
        self.store.set_status(result.autotask_id, READY, message)
        return SyncOutcome(replace(result, explanation=message), "failed", message)


