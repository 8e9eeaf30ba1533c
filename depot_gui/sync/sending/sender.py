"""Send approved invoices from Xero (issue 24 item 3), exactly once: Xero's invoice email, or only
marked as sent (``SentToContact``).

``Sender.prepare`` says who each named invoice goes to (``plan``); after the one confirmation,
``Sender.send(plan)``, per Xero organisation:
1. holds each invoice's lease (Autotask-id order), so two windows or processes never send one twice;
2. reads the documents again right before sending (40 a call): one Xero already shows as sent is
   never sent again (an earlier email whose answer never came is settled by what Xero shows);
3. records the intent (``sync_attempts``: action email / mark_sent), then calls Xero under an
   Idempotency-Key from ``core.idempotency``;
4. no answer (timeout, 5xx, a dropped connection): reads the invoice again; sent -> done; not sent ->
   sent once more under the next round's key; unreadable -> left ``unknown``: the next send reads first;
5. Xero's daily email limit: the plan leaves out the emails beyond what is left today; when Xero says
   the limit is reached, no more emails are tried today, and the rest say so.
The outcome is kept per invoice in ``store.finishing`` (sent how and when, or why not).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass

from depot_gui.core.idempotency import round_of, send_base, send_key
from depot_gui.core.sending import EMAIL, SendItem, over_limit_text
from depot_gui.store.db import Store
from depot_gui.xero.errors import (
    XeroEmailLimitReached, XeroError, XeroFinishRefused, XeroOutcomeUnknown, XeroProtocolError,
)

from depot_gui.sync.cancel import CancelToken
from depot_gui.sync.sending.plan import Planner, SendPlan, document_refusal
from depot_gui.sync.session.connections import Connections

log = logging.getLogger(__name__)
Progress = Callable[[str, int, int], None]

EMAILED, MARKED, ALREADY, NOT_SENT, UNKNOWN = "emailed", "marked_sent", "already_sent", "not_sent", "unknown"
ACTION = {EMAIL: "email"}  # the attempt's action; mark_sent otherwise


@dataclass(frozen=True)
class SendOutcome:
    """What became of one named invoice: ``result`` emailed / marked_sent / already_sent / not_sent / unknown."""

    item: SendItem
    result: str
    message: str

    @property
    def ok(self) -> bool:
        """Xero shows the invoice as sent (now or before)."""
        return self.result in (EMAILED, MARKED, ALREADY)


def summary(outcomes: list[SendOutcome], how: str) -> str:
    """One line for the status bar and the CLI."""
    done = sum(o.result in (EMAILED, MARKED) for o in outcomes)
    verb = "Emailed from Xero" if how == EMAIL else "Marked as sent in Xero"
    line = f"{verb}: {done} of {len(outcomes)} invoice{'' if len(outcomes) == 1 else 's'}."
    already = sum(o.result == ALREADY for o in outcomes)
    if already:
        line += f" {already} already sent."
    missed = sum(o.result in (NOT_SENT, UNKNOWN) for o in outcomes)
    if missed:
        line += f" {missed} not sent."
    return line


class Sender:
    """Email (or mark as sent) approved invoices from Xero over one store."""

    def __init__(self, store: Store, connect: Callable[[], Connections], *, progress: Progress | None = None,
                 cancel: CancelToken | None = None, reread_delays: tuple[float, ...] = (0.5, 2.0),
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.store = store
        self._connect = connect
        self.progress = progress or (lambda message, done, total: None)
        self.cancel = cancel or CancelToken()
        self.reread_delays = reread_delays
        self._sleep = sleep
        self.planner = Planner(store, connect)

    def prepare(self, numbers: list[str], how: str) -> SendPlan:
        """Who each named invoice goes to, or why it is not sent (reads Xero; sends nothing)."""
        self.progress("Reading the invoices and their contacts from Xero", 0, len(numbers))
        return self.planner.prepare(numbers, how)

    def send(self, plan: SendPlan) -> list[SendOutcome]:
        """Send what the plan says, exactly once; one outcome per named invoice, in the plan's order."""
        outcomes: dict[int, SendOutcome] = {}
        first: list[SendOutcome] = []
        groups: dict[str, list[SendItem]] = {}
        for item in plan.items:
            if item.refused or item.autotask_id is None:
                if item.already_sent and item.autotask_id is not None:
                    self._found_sent(item, plan.how)
                result = ALREADY if item.already_sent else NOT_SENT
                first.append(SendOutcome(item, result, item.refused))
                if item.autotask_id is not None and not item.already_sent:
                    self.store.finishing.note_sent(item.autotask_id, item.xero_invoice_id or None, item.refused)
            else:
                groups.setdefault(item.tenant_id, []).append(item)
        if groups:
            conn = self._connect()
            with conn.waits.listening(lambda m, s: self.progress(f"{m} ({max(1, round(s))} s)", 0, 0), self.cancel):
                total = len(plan.sendable)
                for tenant, group in groups.items():
                    self._group(conn.for_tenant(tenant), tenant, group, plan.how, outcomes, total)
        done = {id(o.item): o for o in first}
        final = []
        for item in plan.items:
            if item.autotask_id is not None and item.autotask_id in outcomes and not item.refused:
                final.append(outcomes[item.autotask_id])
            else:
                final.append(done[id(item)])
        for o in final:
            log.info("send %s: %s. %s", o.item.invoice_number, o.result, o.message)
        self.progress("Done", len(final), len(final))
        return final

    # -- one organisation -------------------------------------------------------------------------
    def _group(self, conn: Connections, tenant: str, items: list[SendItem], how: str,
               outcomes: dict[int, SendOutcome], total: int) -> None:
        items = sorted(items, key=lambda i: i.autotask_id or 0)
        with ExitStack() as stack:
            for item in items:
                stack.enter_context(self.store.leases.hold(int(item.autotask_id or 0)))
            try:
                docs = {str(d.get("InvoiceID", "")).lower(): d
                        for d in conn.xero.invoices_by_ids([i.xero_invoice_id for i in items])}
            except XeroError as exc:
                for item in items:
                    outcomes[int(item.autotask_id or 0)] = self._not_sent(
                        item, f"{item.invoice_number} was not sent: reading it in Xero first failed: {exc.user_message}")
                return
            left = self.planner.emails_left(tenant) if how == EMAIL else 0
            limit_reached = False
            for item in items:
                self.cancel.check()
                aid = int(item.autotask_id or 0)
                self.progress(f"Sending {item.invoice_number} from Xero", len(outcomes), total)
                doc = docs.get(item.xero_invoice_id.lower())
                opened = self.store.attempts.open_sends(aid)
                if doc is not None and doc.get("SentToContact") is True:
                    outcomes[aid] = self._settled_sent(item, how, opened)
                    continue
                for a in opened:  # Xero shows it not sent: that attempt did not send it
                    self.store.attempts.finish(a.id, "failed", "Not sent: Xero did not show it sent when read again.")
                why = document_refusal(item.invoice_number, aid, doc)
                if why:
                    outcomes[aid] = self._not_sent(item, why)
                    continue
                if how == EMAIL and (limit_reached or left <= 0):
                    outcomes[aid] = self._not_sent(item, over_limit_text(item.invoice_number))
                    continue
                outcomes[aid], hit = self._send_one(conn, tenant, item, how)
                left -= 1
                limit_reached = limit_reached or hit

    def _send_one(self, conn: Connections, tenant: str, item: SendItem, how: str) -> tuple[SendOutcome, bool]:
        """One invoice: the intent, the call, and after no answer the read that settles it; (outcome,
        whether Xero said its daily email limit is reached)."""
        aid, xid, number = int(item.autotask_id or 0), item.xero_invoice_id, item.invoice_number
        action = ACTION.get(how, "mark_sent")
        base = send_base(tenant, how, aid, xid)
        for _ in range(2):  # the first send, and once more when Xero shows the first did not land
            key = send_key(tenant, how, aid, xid, round_of(base, [a.idempotency_key for a in self.store.attempts.all(aid)]))
            request = {"tenant_id": tenant, "xero_invoice_id": xid, "how": how.lower(), "to": list(item.to)}
            attempt = self.store.attempts.begin(aid, number, key, action, request, conn.actor)
            try:
                if how == EMAIL:
                    conn.xero.finishing.email(xid, idempotency_key=key, label=number,
                                              contact=f"The Xero contact {item.contact_name}" if item.contact_name
                                              else "The invoice's Xero contact")
                else:
                    doc = conn.xero.finishing.mark_sent(xid, idempotency_key=key, label=number)
                    if doc.get("SentToContact") is not True:
                        raise XeroProtocolError(detail="the answer does not show SentToContact")
            except XeroEmailLimitReached as exc:
                self.store.attempts.finish(attempt, "limit", exc.user_message)
                return self._not_sent(item, exc.user_message), True
            except XeroFinishRefused as exc:
                self.store.attempts.finish(attempt, "refused", exc.user_message)
                return self._not_sent(item, exc.user_message), False
            except (XeroOutcomeUnknown, XeroProtocolError) as exc:
                self.store.attempts.finish(attempt, "unknown", exc.user_message)
                seen = self._sent_in_xero(conn, xid)
                if seen is None:
                    message = (f"Xero did not confirm whether {number} was sent, and reading it again failed: it is "
                               "read again before anything is sent again (send it again later).")
                    self.store.finishing.note_sent(aid, xid, message)
                    return SendOutcome(item, UNKNOWN, message), False
                if seen:
                    self.store.attempts.finish(attempt, "sent", "Sent: Xero shows it sent (its answer had not come).")
                    return self._sent(item, how), False
                self.store.attempts.finish(attempt, "failed", "Not sent: Xero did not show it sent when read again.")
                continue
            except XeroError as exc:
                self.store.attempts.finish(attempt, "failed", exc.user_message)
                return self._not_sent(item, f"{number} was not sent: {exc.user_message}"), False
            self.store.attempts.finish(attempt, "sent", self._sent_words(item, how))
            return self._sent(item, how), False
        return self._not_sent(item, f"{number} was not sent: Xero answered neither time; send it again later."), False

    def _sent_in_xero(self, conn: Connections, invoice_id: str) -> bool | None:
        """Whether Xero shows the invoice as sent, read after a pause; None when it could not be read."""
        for delay in self.reread_delays or (0.0,):
            if delay:
                self._sleep(delay)
            try:
                docs = conn.xero.invoices_by_ids([invoice_id])
            except XeroError:
                continue
            doc = next((d for d in docs if str(d.get("InvoiceID", "")).lower() == invoice_id.lower()), None)
            return bool(doc and doc.get("SentToContact") is True)
        return None

    # -- outcomes ---------------------------------------------------------------------------------
    @staticmethod
    def _sent_words(item: SendItem, how: str) -> str:
        if how == EMAIL:
            return f"Emailed by Xero to {', '.join(item.to)}."
        return "Marked as sent in Xero (no email)."

    def _sent(self, item: SendItem, how: str) -> SendOutcome:
        self.store.finishing.record_sent(int(item.autotask_id or 0), item.xero_invoice_id, how.lower())
        return SendOutcome(item, EMAILED if how == EMAIL else MARKED,
                           f"{item.invoice_number}: {self._sent_words(item, how)}")

    def _settled_sent(self, item: SendItem, how: str, opened: list) -> SendOutcome:
        """Xero shows it sent: an attempt of ours whose answer never came landed; else it was sent elsewhere."""
        mine = [a for a in opened if a.action == ACTION.get(how, "mark_sent")]
        for a in opened:
            self.store.attempts.finish(a.id, "sent", "Sent: Xero shows it sent (its answer had not come).")
        if mine:
            return self._sent(item, how)
        self._found_sent(item, how)
        return SendOutcome(item, ALREADY, f"{item.invoice_number} is already marked as sent in Xero: it is not "
                                          "sent again.")

    def _found_sent(self, item: SendItem, how: str) -> None:
        """Xero showed it sent before this desk sent it: kept as sent, and said so."""
        aid = int(item.autotask_id or 0)
        known = self.store.finishing.get(aid)
        if known is None or not known.sent:
            self.store.finishing.record_sent(aid, item.xero_invoice_id, "mark_sent")
            self.store.finishing.note_sent(aid, item.xero_invoice_id,
                                           "Xero already showed it as sent; Depot GUI did not send it.")

    def _not_sent(self, item: SendItem, message: str) -> SendOutcome:
        self.store.finishing.note_sent(int(item.autotask_id or 0), item.xero_invoice_id or None, message)
        return SendOutcome(item, NOT_SENT, message)


__all__ = ["ALREADY", "EMAILED", "MARKED", "NOT_SENT", "UNKNOWN", "SendOutcome", "Sender", "summary"]
