"""The one writer: creates in PUTs of up to 50 (one invoice is a batch of one), updates one by one.

Every send records its intent first (one attempt per invoice), carries the key
``core.idempotency`` makes for it, and counts only when Xero's answer, or the look-up after
it, shows a live document of ours with the number and the lines that were sent
(``core.written.answer_problem``). After no answer, the batch's numbers are looked up in one
call: the ones found are done, only the missing ones are sent again, in a new round under a
new key. A look-up that failed sends nothing more.
"""

from __future__ import annotations

from collections.abc import Callable

from depot_gui.core.audit import AuditResult
from depot_gui.core.idempotency import create_base, jsonable, round_of, update_base, update_key, create_key
from depot_gui.core.mapping import XeroDraft
from depot_gui.core.written import answer_problem, doc_id
from depot_gui.xero.dates import parse_xero_datetime
from depot_gui.xero.errors import (
    XeroError,
    XeroOutcomeUnknown,
    XeroProtocolError,
    XeroRateLimited,
    XeroServerError,
)

from depot_gui.sync.invoices.outcome import Recorder, SyncOutcome
from depot_gui.sync.invoices.reconcile import LookupFailed, Reconciler

ROUNDS = 3
NO_ANSWER = (XeroOutcomeUnknown, XeroServerError, XeroProtocolError)
NO_ANSWER_MARK = "no answer: "  # an update's problem that leaves its outcome unknown
Existing = Callable[[AuditResult, dict, bool], SyncOutcome]  # (result, our document, created by this desk?)


def _unique(errors: list[str]) -> bool:
    return any("must be unique" in m.lower() for m in errors)


def replaced_note(gone: tuple[str, ...]) -> str:
    """Said on a create whose earlier draft the bookkeeper deleted in Xero."""
    if not gone:
        return ""
    return ("It replaces the earlier draft, which was deleted in Xero." if len(gone) == 1
            else f"It replaces {len(gone)} earlier drafts, which were deleted in Xero.")


def _older(answer: dict, overwritten: dict) -> str:
    """An update's answer older than the version it overwrote is an earlier answer, replayed."""
    try:
        was = parse_xero_datetime(overwritten.get("UpdatedDateUTC"))
        now = parse_xero_datetime(answer.get("UpdatedDateUTC"))
    except ValueError:
        return ""
    if was is not None and now is not None and now < was:
        return "Xero's answer is older than the draft it was to overwrite (an earlier answer, replayed)"
    return ""


class Writer:
    """Sends to Xero for one sync; outcomes land in the dict the syncer passes."""

    def __init__(self, store, conn, reconciler: Reconciler, recorder: Recorder, progress) -> None:
        self.store = store
        self.conn = conn
        self.reconciler = reconciler
        self.recorder = recorder
        self.progress = progress
        self.day_limit: XeroRateLimited | None = None

    def _round(self, base: str, autotask_ids: list[int]) -> int:
        return round_of(base, [a.idempotency_key for aid in autotask_ids for a in self.store.attempts.all(aid)])

    # -- creates ------------------------------------------------------------------------------
    def create(self, kind: str, chunk: list[AuditResult], drafts: dict[int, XeroDraft], status: str,
               gone: dict[int, tuple[str, ...]], outcomes: dict[int, SyncOutcome], existing: Existing) -> None:
        """Create these invoices (``kind`` Invoices) or credit notes (CreditNotes), at most 50."""
        xero = self.conn.xero
        send = xero.bulk.create_credit_notes if kind == "CreditNotes" else xero.bulk.create_invoices
        pending = list(chunk)
        for _ in range(ROUNDS):
            payloads = {r.autotask_id: drafts[r.autotask_id].payload(status) for r in pending}
            items = [(r.autotask_id, payloads[r.autotask_id], gone.get(r.autotask_id, ())) for r in pending]
            base = create_base(self.conn.tenant_id, kind, items)
            key = create_key(self.conn.tenant_id, kind, items, self._round(base, [r.autotask_id for r in pending]))
            with self.store.grouped():  # the batch's intents: one transaction, durable before its PUT
                attempts = {r.autotask_id: self.store.attempts.begin(r.autotask_id, r.invoice_number, key, "create",
                                                                     jsonable(payloads[r.autotask_id]), self.conn.actor)
                            for r in pending}
            try:
                answers = send([payloads[r.autotask_id] for r in pending], key)
            except XeroRateLimited as exc:
                for r in pending:
                    self.store.attempts.finish(attempts[r.autotask_id], "failed", exc.user_message)
                    if exc.problem == "day":
                        outcomes[r.autotask_id] = self.recorder.not_sent(r, exc)
                    else:
                        outcomes[r.autotask_id] = self.recorder.failed(
                            r, f"{r.invoice_number} was not synced: {exc.user_message}")
                if exc.problem == "day":
                    self.day_limit = exc
                return
            except NO_ANSWER as exc:
                for r in pending:
                    self.store.attempts.finish(attempts[r.autotask_id], "unknown", exc.user_message)
                pending = self._after_no_answer(pending, payloads, gone, outcomes, existing)
                if not pending:
                    return
                self.progress(f"Xero did not answer; sending {len(pending)} again", 0, 0)
                continue
            except XeroError as exc:
                for r in pending:
                    self.store.attempts.finish(attempts[r.autotask_id], "failed", exc.user_message)
                    outcomes[r.autotask_id] = self.recorder.failed(
                        r, f"{r.invoice_number} was not synced: {exc.user_message}")
                return
            self._read_answers(pending, answers, attempts, payloads, gone, outcomes, existing)
            return
        for r in pending:
            outcomes[r.autotask_id] = self.recorder.failed(
                r, f"Xero did not confirm {r.invoice_number}, and looking it up by number did not find it. Press "
                   "Sync again in a minute: Depot GUI looks it up first, so it cannot create a second copy.")

    def _read_answers(self, pending, answers, attempts, payloads, gone, outcomes, existing) -> None:
        again: list[AuditResult] = []
        unique: list[AuditResult] = []
        # the batch is recorded in one transaction (no network call inside); then the Autotask stamps of
        # what landed start, and run beside the next batch's PUT
        with self.store.grouped():
            self._record_answers(pending, answers, attempts, payloads, gone, outcomes, again, unique)
        self.recorder.start_stamps()
        if not again and not unique:
            return
        self._look_again(again, unique, payloads, gone, outcomes, existing)

    def _record_answers(self, pending, answers, attempts, payloads, gone, outcomes, again, unique) -> None:
        for r, el in zip(pending, answers):
            aid = r.autotask_id
            if el.ok:
                problem = answer_problem(el.answer, payloads[aid], aid, gone.get(aid, ()))
                if not problem:
                    self.store.attempts.finish(attempts[aid], "created", "Created in Xero.", jsonable(el.answer),
                                              doc_id(el.answer))
                    outcomes[aid] = self.recorder.done(r, el.answer, "created", replaced_note(gone.get(aid, ())))
                else:
                    self.store.attempts.finish(attempts[aid], "unverified", f"Xero's answer was not taken: {problem}.",
                                              jsonable(el.answer), doc_id(el.answer) or None)
                    again.append(r)
            elif _unique(el.errors):
                self.store.attempts.finish(attempts[aid], "exists", "Xero already has this invoice number.")
                unique.append(r)
            else:
                message = "Xero refused the invoice: " + "; ".join(el.errors)
                self.store.attempts.finish(attempts[aid], "failed", message, {"errors": el.errors})
                outcomes[aid] = self.recorder.failed(r, message)

    def _look_again(self, again, unique, payloads, gone, outcomes, existing) -> None:
        try:
            seen = self.reconciler.again(again + unique)
        except LookupFailed as exc:
            for r in again + unique:
                outcomes[r.autotask_id] = self.recorder.unknown(r, f"looking it up failed: {exc.user_message}")
            return
        for r in unique:
            s = seen[r.autotask_id]
            if s.ours is not None:
                outcomes[r.autotask_id] = existing(r, s.ours, False)
            elif s.foreign:
                outcomes[r.autotask_id] = self.recorder.conflict(r, s.foreign[0])
            else:
                outcomes[r.autotask_id] = self.recorder.failed(
                    r, f"Xero says {r.invoice_number} already exists but it could not be found by number "
                       "(it may be archived or belong to another contact). Check Xero before syncing again.")
        for r in again:
            s = seen[r.autotask_id]
            problem = answer_problem(s.ours, payloads[r.autotask_id], r.autotask_id, gone.get(r.autotask_id, ()))
            if not problem:
                outcomes[r.autotask_id] = self.recorder.done(r, s.ours, "created",
                                                             replaced_note(gone.get(r.autotask_id, ())))
            elif s.foreign and s.ours is None:
                outcomes[r.autotask_id] = self.recorder.conflict(r, s.foreign[0])
            else:
                outcomes[r.autotask_id] = self.recorder.failed(
                    r, f"Xero answered for {r.invoice_number}, but neither its answer nor a look-up shows the "
                       f"invoice that was sent ({problem}). Nothing more was sent; check Xero, then press Re-sync.")

    def _after_no_answer(self, pending, payloads, gone, outcomes, existing) -> list[AuditResult]:
        """Which of a batch without an answer are still missing in Xero (the others get their outcome)."""
        try:
            seen = self.reconciler.again(pending)
        except LookupFailed as exc:
            for r in pending:
                outcomes[r.autotask_id] = self.recorder.unknown(
                    r, f"Xero did not answer the write, and looking it up failed: {exc.user_message}")
            return []
        still = []
        for r in pending:
            s = seen[r.autotask_id]
            if s.ours is not None:
                problem = answer_problem(s.ours, payloads[r.autotask_id], r.autotask_id, gone.get(r.autotask_id, ()))
                outcomes[r.autotask_id] = (
                    self.recorder.done(r, s.ours, "created", replaced_note(gone.get(r.autotask_id, ())))
                    if not problem else existing(r, s.ours, True))
            elif s.foreign:  # another document took the number meanwhile; ours never landed
                outcomes[r.autotask_id] = self.recorder.conflict(r, s.foreign[0])
            else:
                still.append(r)
        return still

    # -- updates ------------------------------------------------------------------------------
    def update(self, result: AuditResult, doc: dict, payload: dict) -> tuple[dict | None, str]:
        """Write Autotask's lines over our draft ``doc``: (Xero's document as checked, '') when it
        shows what was sent, else (what Xero holds or None, why not)."""
        xero_id = doc_id(doc)
        version = str(doc.get("UpdatedDateUTC") or "")
        base = update_base(self.conn.tenant_id, result.autotask_id, xero_id, version, payload)
        key = update_key(self.conn.tenant_id, result.autotask_id, xero_id, version, payload,
                         self._round(base, [result.autotask_id]))
        attempt = self.store.attempts.begin(result.autotask_id, result.invoice_number, key, "update",
                                           jsonable(payload), self.conn.actor)
        try:
            answer = self.conn.xero.update_invoice(xero_id, payload, key)
        except XeroError as exc:
            unknown = isinstance(exc, NO_ANSWER)
            self.store.attempts.finish(attempt, "unknown" if unknown else "failed", exc.user_message)
            return None, (NO_ANSWER_MARK if unknown else "") + exc.user_message
        problem = answer_problem(answer, payload, result.autotask_id) or _older(answer, doc)
        if problem:  # read it back: the answer may be an old one
            try:
                answer = self.conn.xero.get_invoice(xero_id)
                problem = answer_problem(answer, payload, result.autotask_id)
            except XeroError as exc:
                problem = f"{problem}; reading it back failed: {exc.user_message}"
        if problem:
            self.store.attempts.finish(attempt, "unverified", f"Xero's answer was not taken: {problem}.",
                                      jsonable(answer), xero_id)
            return answer, problem
        self.store.attempts.finish(attempt, "updated", "Updated the draft in Xero.", jsonable(answer), xero_id)
        return answer, ""


__all__ = ["NO_ANSWER_MARK", "ROUNDS", "Writer", "replaced_note"]
