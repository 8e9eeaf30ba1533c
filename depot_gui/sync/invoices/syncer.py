"""Sync (and re-sync) into Xero exactly once, whatever fails: the one write path.

One invoice is a batch of one. For the invoices of one sync:
1. a fresh audit; conflicts, mismatches and errors are refused, nothing is written for them;
2. their locks and leases (this process and across processes), in Autotask-id order;
3. no look-up for what the audit just saw in Xero unchanged; one batched look-up for the others
   right before writing (what changed since the audit), deleted drafts of ours included. A look-up
   that failed is not "not found": nothing is sent, the invoice says Xero could not confirm;
4. our live document: same content -> nothing to do; a draft -> updated, unless it was edited in
   Xero since this desk wrote it (then only with ``replace_edits``); approved and different -> left;
5. not in Xero: missing contacts first (one PUT per 50), then PUTs of up to 50 (``writer``);
   a document that is not ours under the number is never in a PUT;
6. every answer is checked (``core.written``); every key comes from ``core.idempotency``;
7. Xero's daily limit (429 ``day``) ends the sync: nothing more is sent, and the invoices not
   written say when the limit resets;
8. still holding the invoices, the steps after the write (``sync/finishing``): Autotask's PDF
   attached once when that is on, the online invoice link of a non-draft invoice kept. An
   approved invoice whose content differs is never edited or voided: the result says so.
"""

from __future__ import annotations

import logging
import threading
import time
from contextlib import ExitStack
from dataclasses import replace

from depot_gui.autotask.errors import AutotaskError
from depot_gui.core.audit import CONFLICT, ERROR, MISMATCH, AuditResult
from depot_gui.core.contacts import choice_text
from depot_gui.core.mapping import ACCRECCREDIT
from depot_gui.core.money import fmt2, fmt_money, to_decimal
from depot_gui.core.written import content, describe_differences, differences, doc_id, doc_number
from depot_gui.store.db import StoreError
from depot_gui.xero.bulk import BATCH_SIZE
from depot_gui.xero.errors import XeroError, XeroRateLimited

from depot_gui.sync.contacts.desk import remember_created
from depot_gui.sync.finishing.finisher import Finisher
from depot_gui.sync.invoices.audit import Auditor, NothingNamed
from depot_gui.sync.invoices.contacts_step import with_contacts
from depot_gui.sync.invoices.outcome import Recorder, SyncOutcome, last_written
from depot_gui.sync.invoices.reconcile import LookupFailed, Reconciler
from depot_gui.sync.invoices.writer import NO_ANSWER_MARK, Writer

log = logging.getLogger(__name__)

_LOCKS: dict[int, threading.Lock] = {}
_LOCKS_GUARD = threading.Lock()


def _invoice_lock(autotask_id: int) -> threading.Lock:
    with _LOCKS_GUARD:
        return _LOCKS.setdefault(autotask_id, threading.Lock())


def estimate_write_calls(results: list[AuditResult]) -> int:
    """Xero calls to create these invoices: contacts, invoices and credit notes, 50 a call each."""
    new_contacts = {r.draft.contact.name.strip().lower() for r in results
                    if r.draft is not None and not r.draft.contact.exists and r.draft.contact.name}
    credits = sum(1 for r in results if r.draft is not None and r.draft.type == ACCRECCREDIT)
    invoices = len(results) - credits
    return sum(-(-n // BATCH_SIZE) for n in (len(new_contacts), invoices, credits))


def approved_text(number: str, xero_status: str, doc: dict, result: AuditResult) -> str:
    """What re-sync will and will not do for an approved invoice of ours whose content differs."""
    return (f"{number} is {'paid' if xero_status == 'PAID' else 'approved'} in Xero with different content (Xero "
            f"total {fmt_money(to_decimal(doc.get('Total')), result.currency)}, Autotask "
            f"{fmt_money(result.autotask_total, result.currency)}). Xero does not let an approved "
            "invoice's lines or total be edited, so re-sync leaves them as they are and never voids it; it still "
            "keeps its online link and attaches Autotask's PDF when that is on. If Xero is wrong, void it in Xero "
            "(or add a credit note for the difference); if Xero is right, leave it.")


class Syncer:
    """Sync named invoices: re-download, re-audit, then create/update in Xero at most once."""

    def __init__(self, auditor: Auditor, *, reconcile_delays: tuple[float, ...] = (0.5, 2.0), sleep=time.sleep,
                 replace_edits: bool = False) -> None:
        self.auditor = auditor
        self.store = auditor.store
        self.conn = auditor.conn
        self.replace_edits = replace_edits
        self.reconciler = Reconciler(self.conn, delays=reconcile_delays, sleep=sleep, recorded=self._recorded_number)
        self.recorder = Recorder(self.store, self.conn)
        self.warnings: list[str] = []  # what the last sync wants the user to know (Xero's daily limit)

    def sync(self, numbers: list[str]) -> list[SyncOutcome]:
        """Sync exactly the invoices named (never "all": an empty or blank name is refused)."""
        if not numbers:
            raise NothingNamed("Name the invoices to sync: sync never means \"all\".")
        with self.conn.waits.listening(self.auditor.on_wait, self.auditor.cancel):
            return self._sync(numbers)

    def _sync(self, numbers: list[str]) -> list[SyncOutcome]:
        self.warnings = []
        self.writer = Writer(self.store, self.conn, self.reconciler, self.recorder, self.auditor.progress)
        results = self._audit_first(numbers)
        writable = [r for r in results if self._writable(r)]
        outcomes: dict[int, SyncOutcome] = {}
        if writable:
            try:
                self._sync_many(writable, outcomes)
            except (XeroError, AutotaskError, StoreError) as exc:
                day = isinstance(exc, XeroRateLimited) and exc.problem == "day"
                message = getattr(exc, "user_message", None) or str(exc)
                log.warning("sync failed: %s", message)
                for r in writable:
                    if r.autotask_id not in outcomes:
                        outcomes[r.autotask_id] = (self.recorder.not_sent(r, exc) if day else self.recorder.failed(
                            r, f"{r.invoice_number} was not synced: {message}"))
        final = []
        for r in results:
            outcome = SyncOutcome(r, "refused", r.explanation) if not self._writable(r) else (
                outcomes.get(r.autotask_id) or self.recorder.failed(r, f"{r.invoice_number} was not synced."))
            log.info("sync %s (Autotask %s): %s. %s", r.invoice_number, r.autotask_id, outcome.action,
                     outcome.message.split("\n", 1)[0])
            final.append(outcome)
        self.auditor.recorded([r.autotask_id for r in results if not self._writable(r)])
        self.auditor.progress("Done", len(results), len(results))
        return final

    def _audit_first(self, numbers: list[str]) -> list[AuditResult]:
        """The check before sending, its steps said as such: its bar runs to 100% before the first invoice is
        sent (issue 22: "Checking totals 89%" read as a batch nearly sent, and cancelling then sent none)."""
        progress = self.auditor.progress

        def before_sending(message: str, done: int, total: int) -> None:
            progress("Checked; sending next" if message == "Done" else f"{message} (nothing sent yet)", done, total)

        self.auditor.progress = before_sending
        try:
            return self.auditor.audit(numbers)
        finally:
            self.auditor.progress = progress

    def _recorded_number(self, autotask_id: int) -> str | None:
        row = self.store.finishing.get(autotask_id)
        return row.xero_number if row is not None else None

    @staticmethod
    def _writable(result: AuditResult) -> bool:
        """Not a conflict, not a mismatch, not an error (a mismatch is refused even when Xero has the
        invoice: never overwrite it with content whose total does not match Autotask)."""
        verdict = result.extra.get("audit_status", result.status)
        return result.status not in (CONFLICT, ERROR) and verdict not in (ERROR, MISMATCH) \
            and result.draft is not None

    def _sync_many(self, results: list[AuditResult], outcomes: dict[int, SyncOutcome]) -> None:
        ordered = sorted(results, key=lambda r: r.autotask_id)
        with ExitStack() as stack:
            for r in ordered:
                stack.enter_context(_invoice_lock(r.autotask_id))
            stack.enter_context(self.store.leases.hold_all([r.autotask_id for r in ordered]))
            try:
                self._write_many(ordered, outcomes)
            finally:  # every Autotask stamp started has ended (leases still held); a failed one is in its message
                self.auditor.recorded(self.recorder.settle(outcomes))
            if self.writer.day_limit is None:  # still holding the invoices: the steps after the write
                finisher = Finisher(self.store, self.conn, self.store.settings(), self.auditor.cancel)
                done = [outcomes[r.autotask_id] for r in ordered if r.autotask_id in outcomes]
                finished = [o for o in finisher.finish(done) if o is not outcomes[o.result.autotask_id]]
                outcomes.update((o.result.autotask_id, o) for o in finished)
                self.auditor.recorded([o.result.autotask_id for o in finished])

    def _write_many(self, ordered: list[AuditResult], outcomes: dict[int, SyncOutcome]) -> None:
        status = self.store.settings().xero_status
        tried = {r.autotask_id for r in ordered if self.store.attempts.all(r.autotask_id)}
        rest = []
        for r in ordered:  # what the audit just saw unchanged needs no second look-up
            seen = self.auditor.seen_in_xero.get(r.autotask_id)
            if seen is not None and self._same(r, seen, status):
                outcomes[r.autotask_id] = self._existing(r, seen, status, self._open_create(r))
            else:
                rest.append(r)
        self.auditor.recorded([r.autotask_id for r in ordered if r.autotask_id in outcomes])
        self.recorder.start_stamps()
        if not rest:
            return
        cache = self.auditor.xero_cache()
        try:
            seen_now = self.reconciler.before_write(cache, rest, tried)
        except LookupFailed as exc:
            for r in rest:
                outcomes[r.autotask_id] = self.recorder.unknown(r, f"looking it up failed: {exc.user_message}")
            return
        todo, gone = [], {}
        for r in rest:
            s = seen_now[r.autotask_id]
            if s.ours is not None:
                outcomes[r.autotask_id] = self._existing(r, s.ours, status, self._open_create(r))
            elif s.foreign:  # not ours: never written, never in a PUT
                outcomes[r.autotask_id] = self.recorder.conflict(r, s.foreign[0])
            else:
                todo.append(r)
                gone[r.autotask_id] = s.gone
        self.auditor.recorded([r.autotask_id for r in rest if r.autotask_id in outcomes])
        self.recorder.start_stamps()
        if todo:
            cache.forget_number([n for r in todo for n in self.reconciler.numbers_of(r)])
            self._create(todo, gone, status, cache, outcomes, len(ordered))

    def _create(self, todo, gone, status, cache, outcomes, total) -> None:
        self._check_day_budget(todo)
        for r in [r for r in todo if r.draft.contact.needs_choice or r.draft.contact.problem]:
            # the audit refuses these; a contact is never created while the user has to choose
            outcomes[r.autotask_id] = self.recorder.failed(
                r, r.draft.contact.problem or choice_text(r.draft.contact.name, r.draft.contact.candidates))
        todo = [r for r in todo if r.autotask_id not in outcomes]
        drafts, contact_errors = with_contacts(self.conn, cache, {r.autotask_id: r.draft for r in todo})
        for r in [r for r in todo if r.autotask_id in contact_errors]:
            outcomes[r.autotask_id] = self.recorder.failed(
                r, f"{r.invoice_number} was not synced: its Xero contact could not be created: "
                   f"{contact_errors[r.autotask_id]}")
        todo = [r for r in todo if r.autotask_id not in contact_errors]
        remember_created(self.store, self.conn.tenant_id, [(drafts[r.autotask_id], r.company) for r in todo])
        for kind, credit_kind in (("Invoices", False), ("CreditNotes", True)):
            group = [r for r in todo if (drafts[r.autotask_id].type == ACCRECCREDIT) == credit_kind]
            for start in range(0, len(group), BATCH_SIZE):
                self.auditor.cancel.check()
                chunk = group[start:start + BATCH_SIZE]
                if self.writer.day_limit is not None:
                    for r in chunk:
                        outcomes[r.autotask_id] = self.recorder.not_sent(r, self.writer.day_limit)
                    continue
                noun = "credit note" if credit_kind else "invoice"
                self.auditor.progress(f"Sending {len(chunk)} {noun}{'s' if len(chunk) > 1 else ''} to Xero",
                                      len(outcomes), total)
                self.writer.create(kind, chunk, drafts, status, gone, outcomes, self._found_after_write)
                self.auditor.recorded([r.autotask_id for r in chunk])

    def _found_after_write(self, result: AuditResult, doc: dict, created_here: bool) -> SyncOutcome:
        return self._existing(result, doc, self.store.settings().xero_status,
                              created_here or self._open_create(result))

    def _open_create(self, result: AuditResult) -> bool:
        """This desk sent a create for the invoice whose answer never arrived."""
        return any(a.action == "create" and a.state in ("intent", "unknown")
                   for a in self.store.attempts.all(result.autotask_id))

    # -- our document is in Xero ----------------------------------------------------------------
    def _existing(self, result: AuditResult, doc: dict, status: str, created_here: bool) -> SyncOutcome:
        """The invoice is already in Xero: same content, update a draft, or leave it."""
        draft = result.draft
        is_credit = bool(doc.get("CreditNoteID")) or doc.get("Type") == ACCRECCREDIT
        number = result.invoice_number
        if is_credit != (draft.type == ACCRECCREDIT):
            have, want = ("a credit note", "an invoice") if is_credit else ("an invoice", "a credit note")
            return self.recorder.kept(result, doc, (
                f"{number} is in Xero as {have}, but its Autotask total is now "
                f"{fmt_money(result.autotask_total, result.currency)}, "
                f"which needs {want}. Depot GUI does not turn one into the other: void or delete "
                f"{have.split(' ', 1)[1]} {number} in Xero, then press Re-sync."))
        if self._same(result, doc, status):
            known = any(a.xero_invoice_id == doc_id(doc) for a in self.store.attempts.all(result.autotask_id))
            action = "created" if created_here else ("unchanged" if known else "found")
            return self.recorder.done(result, doc, action)
        xero_status = str(doc.get("Status") or "")
        if xero_status in ("AUTHORISED", "PAID") and draft.type != ACCRECCREDIT:
            return self.recorder.kept(result, doc, approved_text(number, xero_status, doc, result))
        if xero_status not in ("DRAFT", "SUBMITTED") or draft.type == ACCRECCREDIT:
            return self.recorder.kept(result, doc, (
                f"{number} is already in Xero as {xero_status.lower()} with different content (Xero total "
                f"{fmt_money(to_decimal(doc.get('Total')), result.currency)}, Autotask "
                f"{fmt_money(result.autotask_total, result.currency)}). Depot GUI does not change approved "
                "invoices. In Xero, void it (or add a credit note) if it is wrong, then press Re-sync; or leave it "
                "if Xero is right."))
        payload = {k: v for k, v in draft.payload(status).items() if k not in ("Status", "Reference")}
        payload.update(Status=xero_status, Reference=str(doc.get("Reference") or draft.reference))
        if doc_number(doc):  # its number stays, whatever the numbering setting says now
            payload["CreditNoteNumber" if draft.type == ACCRECCREDIT else "InvoiceNumber"] = doc_number(doc)
        edits = self._edits(result, doc, payload)
        if edits and not self.replace_edits:
            result = replace(result, extra={**result.extra, "edited_in_xero": True, "xero_edits": edits})
            return self.recorder.kept(result, doc, (
                f"{number} was edited in Xero since it was synced: {edits}. Depot GUI left the Xero draft as it is. "
                "To write Autotask's lines over these edits, sync it again and confirm replacing them "
                "(depot-sync sync --replace-edits)."))
        answer, problem = self.writer.update(result, doc, payload)
        if problem.startswith(NO_ANSWER_MARK):
            return self.recorder.kept(result, doc, (
                f"Xero could not confirm whether it took the update of {number} "
                f"({problem.removeprefix(NO_ANSWER_MARK).rstrip('.')}). Nothing more was sent. Press Re-sync: it "
                "reads the draft in Xero again first."), action="failed")
        if problem or answer is None:
            return self.recorder.kept(result, answer or doc, (
                f"{number} is in Xero, but Xero did not take the update: {problem.rstrip('.')}. Xero keeps its own "
                "version. Press Re-sync to try again."), action="failed")
        return self.recorder.done(result, answer, "updated")

    def _edits(self, result: AuditResult, doc: dict, payload: dict) -> str:
        """What was changed in Xero since this desk wrote the draft ('' when nothing, or never written here)."""
        written = last_written(self.store, result.autotask_id, doc_id(doc))
        if written is None or doc.get("LineItems") is None or content(doc["LineItems"]) == content(written):
            return ""
        return describe_differences(differences(doc, payload))

    @staticmethod
    def _same(result: AuditResult, doc: dict, status: str) -> bool:
        """Xero's document already holds what would be sent (same kind, lines and total)."""
        draft = result.draft
        is_credit = bool(doc.get("CreditNoteID")) or doc.get("Type") == ACCRECCREDIT
        if is_credit != (draft.type == ACCRECCREDIT) or doc.get("Status") in ("DELETED", "VOIDED"):
            return False
        total = fmt2(to_decimal(doc.get("Total")))
        if not doc.get("LineItems"):
            return total == fmt2(result.autotask_total)
        return (content(draft.payload(status)["LineItems"]) == content(doc["LineItems"])
                and total == fmt2(draft.totals().total * (-1 if draft.type == ACCRECCREDIT else 1)))

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


__all__ = ["Syncer", "SyncOutcome", "estimate_write_calls", "last_written"]
