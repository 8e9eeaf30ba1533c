"""After the write (issue 24): Autotask's PDF on the Xero invoice once, and its online link kept.

For each invoice a sync left live in Xero as ours (a sales invoice, not a credit note):

* Autotask's PDF, when the ``attach_autotask_pdf`` setting is on and ``store.finishing`` does not
  already say it is on this very document: read it from Autotask, then ``attach_once`` (which
  lists the document's files first and adds it only when no file of that name is there, under a
  key made for this file on this document). A write without an answer is followed by the same
  call once more under the next round's key: its listing finds a file that landed, so a timeout,
  a crash between the PUT and the record, or a second sync never attaches it twice.
* The online invoice address, for a document Xero has one for (submitted or approved, not a draft),
  read once and kept; never asked again for the same document.

Nothing here costs a call when the option is off or the step is already recorded. A step that
fails says why in the outcome and in ``store.finishing`` and is tried again by the next sync; it
never undoes the invoice. Steps that cannot succeed for any invoice (the attachments permission,
Autotask refusing the PDF, Xero's daily limit) are not tried again for the rest of the sync.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from depot_gui.autotask.errors import AutotaskError, AutotaskPermissionError
from depot_gui.autotask.invoice_pdf import AutotaskInvoiceFiles
from depot_gui.core.audit import SYNCED
from depot_gui.core.idempotency import attachment_key
from depot_gui.core.mapping import ACCRECCREDIT
from depot_gui.xero.errors import (
    XeroAttachmentScopeMissing,
    XeroAuthError,
    XeroError,
    XeroOutcomeUnknown,
    XeroProtocolError,
    XeroRateLimited,
    XeroServerError,
)

from depot_gui.sync.invoices.outcome import SyncOutcome
from depot_gui.sync.side_by_side import side_by_side

log = logging.getLogger(__name__)

NO_ANSWER = (XeroOutcomeUnknown, XeroServerError, XeroProtocolError)
ONLINE_STATUSES = ("SUBMITTED", "AUTHORISED", "PAID")  # Xero has no online invoice for a draft


class Finisher:
    """The steps after the write, for the invoices of one sync on one organisation."""

    def __init__(self, store, conn, settings, cancel=None) -> None:
        self.store = store
        self.conn = conn
        self.settings = settings
        self.cancel = cancel
        self._stopped: dict[str, str] = {}  # step -> why it is not tried again in this sync

    def finish(self, outcomes: list[SyncOutcome]) -> list[SyncOutcome]:
        """The outcomes, each with what its finishing steps did said after its message.

        The first invoice goes alone, so a refusal every invoice would meet (a permission) is met
        once; the others then go side by side (Autotask: 3 requests at once per endpoint)."""
        due = [o for o in outcomes if self._due(o)]
        if not due:
            return list(outcomes)
        finished = [self._finish(due[0])]
        finished += side_by_side(self._finish, due[1:], context=self.conn.waits.carry())
        done = {id(o): f for o, f in zip(due, finished)}
        return [done.get(id(o), o) for o in outcomes]

    @staticmethod
    def _due(outcome: SyncOutcome) -> bool:
        """A sales invoice of ours the sync left live in Xero."""
        result = outcome.result
        return (result.status == SYNCED and bool(result.xero_invoice_id) and result.draft is not None
                and result.draft.type != ACCRECCREDIT and outcome.action != "failed")

    def _finish(self, outcome: SyncOutcome) -> SyncOutcome:
        result = outcome.result
        xero_id = result.xero_invoice_id
        if self.cancel is not None:
            self.cancel.check()
        row = self.store.finishing.get(result.autotask_id)
        same_doc = row is not None and row.xero_invoice_id == xero_id
        status = str(result.extra.get("xero_status") or "").upper()
        notes: list[str] = []
        if self.settings.attach_autotask_pdf and not (same_doc and row.attached):
            notes.append(self._attach(result, xero_id))
        if status in ONLINE_STATUSES and not (same_doc and row.online_url):
            notes.append(self._online(result, xero_id))
        notes = [n for n in notes if n]
        if not notes:
            return outcome
        message = outcome.message + " " + " ".join(notes)
        self.store.mark_synced(result.autotask_id, xero_id, status, message)
        return replace(outcome, message=message, result=replace(result, explanation=message))

    # -- Autotask's PDF -----------------------------------------------------------------------
    def _attach(self, result, xero_id: str) -> str:
        aid, number = result.autotask_id, result.invoice_number
        if "attach" in self._stopped:
            return self._not_attached(aid, xero_id, self._stopped["attach"])
        try:
            pdf = AutotaskInvoiceFiles(self.conn.autotask).pdf(aid, label=number)
        except AutotaskError as exc:
            if isinstance(exc, AutotaskPermissionError):
                self._stopped["attach"] = exc.user_message
            return self._not_attached(aid, xero_id, exc.user_message)
        finishing = self.conn.xero.finishing
        attachment, added = None, False
        why = ""
        for round_no in range(2):  # a second round only after a write without an answer
            key = attachment_key(self.conn.tenant_id, xero_id, pdf.file_name, round_no)
            try:
                attachment, added = finishing.attach_once(xero_id, pdf.file_name, pdf.data, idempotency_key=key,
                                                          label=number)
                added = added or round_no > 0  # found after our own write went unanswered: ours
                break
            except NO_ANSWER as exc:
                why = exc.user_message
                continue
            except XeroError as exc:
                self._stop_on(exc, "attach")
                return self._not_attached(aid, xero_id, exc.user_message)
        if attachment is None:
            return self._not_attached(aid, xero_id, f"Xero did not confirm it ({why.rstrip('.')})")
        self.store.finishing.record_attachment(aid, xero_id, attachment.attachment_id, attachment.file_name)
        log.info("%s: Autotask's PDF %s %s", number, attachment.file_name, "attached" if added else "already there")
        if added:
            return f"Autotask's PDF {attachment.file_name} is attached in Xero (shown with the online invoice)."
        return f"Autotask's PDF {attachment.file_name} was already attached in Xero; it was not added again."

    def _not_attached(self, aid: int, xero_id: str, why: str) -> str:
        message = f"Autotask's PDF was not attached: {why.rstrip('.')}. The next sync tries again."
        self.store.finishing.note_attachment(aid, xero_id, message)
        return message

    # -- the online invoice -------------------------------------------------------------------
    def _online(self, result, xero_id: str) -> str:
        if "online" in self._stopped:
            return ""
        try:
            url = self.conn.xero.finishing.online_invoice_url(xero_id, label=result.invoice_number)
        except XeroError as exc:
            self._stop_on(exc, "online")
            return f"Its online invoice link could not be read: {exc.user_message.rstrip('.')}. The next sync reads it."
        self.store.finishing.record_online_url(result.autotask_id, xero_id, url)
        return f"Online invoice: {url}"

    def _stop_on(self, exc: XeroError, step: str) -> None:
        """Refusals that no other invoice of this sync would escape end that step (or all) for the sync."""
        if isinstance(exc, XeroRateLimited) and exc.problem == "day" or isinstance(exc, XeroAuthError):
            self._stopped.update(attach=exc.user_message, online=exc.user_message)
        elif isinstance(exc, XeroAttachmentScopeMissing):
            self._stopped[step] = exc.user_message


__all__ = ["Finisher", "ONLINE_STATUSES"]
