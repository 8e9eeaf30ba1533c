"""Month-end steps on one Xero invoice: attachments, the invoice email, marking sent, the online link.

``XeroFinishing(client)`` sends through the client's public ``call`` (its retries, pacing and
typed errors). Xero's refusals become ``XeroFinishRefused`` subclasses with one sentence each:

* Attachments (``/Invoices/{id}/Attachments``, scope ``accounting.attachments``): ``attach_once``
  lists the invoice's files first and adds the file only when none of that name is there, under
  the caller's Idempotency-Key, so a retry or a second run never adds it twice. Files over
  ``ATTACHMENT_MAX_BYTES`` are refused before sending; ``include_online`` puts the file on the
  online invoice.
* ``email`` (``POST /Invoices/{id}/Email``): Xero emails approved sales invoices to the contact's
  address; no address, a draft, or the organisation's daily email limit are refusals.
* ``mark_sent``: ``SentToContact`` without an email (approved invoices only).
* ``online_invoice_url`` (``GET /Invoices/{id}/OnlineInvoice``): only once the invoice is not a draft.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import quote

from depot_gui.xero.errors import (
    XeroAttachmentScopeMissing,
    XeroAttachmentsFull,
    XeroAttachmentTooLarge,
    XeroEmailLimitReached,
    XeroError,
    XeroForbiddenError,
    XeroNoEmailAddress,
    XeroNotApproved,
    XeroProtocolError,
    XeroValidationError,
)
from depot_gui.xero.query import check_idempotency_key

ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024  # Xero: 10 MB a file
ATTACHMENTS_PER_DOCUMENT = 10


class XeroCalls(Protocol):
    """What the finishing steps need of the client."""

    def call(self, method: str, path: str, *, body: Any = None, raw: bytes | None = None,
             headers: dict | None = None, params: dict | None = None,
             idempotency_key: str | None = None) -> Any: ...

    def update_invoice(self, invoice_id: str, invoice: dict, idempotency_key: str) -> dict: ...


@dataclass(frozen=True)
class Attachment:
    """One file attached to a Xero invoice."""

    attachment_id: str
    file_name: str
    mime_type: str
    size: int
    include_online: bool
    url: str


def _attachment(rec: Any) -> Attachment:
    if not isinstance(rec, dict) or not rec.get("FileName"):
        raise XeroProtocolError(detail="an attachment without FileName")
    return Attachment(str(rec.get("AttachmentID") or ""), str(rec["FileName"]), str(rec.get("MimeType") or ""),
                      int(rec.get("ContentLength") or 0), bool(rec.get("IncludeOnline")), str(rec.get("Url") or ""))


def _said(error: XeroValidationError, *words: str) -> bool:
    text = " ".join(error.messages).lower()
    return any(w in text for w in words)


class XeroFinishing:
    """The month-end steps for invoices of the client's organisation."""

    def __init__(self, client: XeroCalls) -> None:
        self._client = client

    def attachments(self, invoice_id: str) -> list[Attachment]:
        """The files attached to the invoice (names, sizes; not their content)."""
        try:
            data = self._client.call("GET", f"Invoices/{quote(invoice_id, safe='')}/Attachments")
        except XeroForbiddenError as exc:
            raise self._scope(exc) from None
        records = data.get("Attachments") if isinstance(data, dict) else None
        if not isinstance(records, list):
            raise XeroProtocolError(detail="answer has no 'Attachments' list")
        return [_attachment(r) for r in records]

    def attach_once(self, invoice_id: str, file_name: str, data: bytes, *, idempotency_key: str, label: str,
                    mime_type: str = "application/pdf", include_online: bool = True) -> tuple[Attachment, bool]:
        """The attachment named ``file_name`` on the invoice, added only if absent; (attachment, added now)."""
        check_idempotency_key(idempotency_key)
        if len(data) > ATTACHMENT_MAX_BYTES:
            raise XeroAttachmentTooLarge(
                f"The file {file_name} for invoice {label} is {len(data)} bytes, over Xero's limit of "
                f"{ATTACHMENT_MAX_BYTES} bytes for one attachment: it was not attached.")
        present = self.attachments(invoice_id)
        same = next((a for a in present if a.file_name.lower() == file_name.lower()), None)
        if same is not None:
            return same, False
        if len(present) >= ATTACHMENTS_PER_DOCUMENT:
            raise XeroAttachmentsFull(
                f"Invoice {label} already has {len(present)} attachments in Xero, the most it allows: "
                f"remove one in Xero to attach {file_name}.")
        path = f"Invoices/{quote(invoice_id, safe='')}/Attachments/{quote(file_name, safe='')}"
        params = {"IncludeOnline": "true"} if include_online else None
        try:
            answer = self._client.call("PUT", path, raw=data, params=params, idempotency_key=idempotency_key,
                                       headers={"Content-Type": mime_type})
        except XeroForbiddenError as exc:
            raise self._scope(exc) from None
        except XeroValidationError as exc:
            if _said(exc, "at most", "attachments"):
                raise XeroAttachmentsFull(
                    f"Invoice {label} already has as many attachments as Xero allows: remove one in Xero to "
                    f"attach {file_name}.", status=exc.status, detail="; ".join(exc.messages)) from None
            raise
        except XeroError as exc:
            if exc.status == 413:
                raise XeroAttachmentTooLarge(
                    f"Xero refused {file_name} for invoice {label} as too large: it was not attached.",
                    status=413, detail=exc.detail) from None
            raise
        records = answer.get("Attachments") if isinstance(answer, dict) else None
        if not isinstance(records, list) or not records:
            raise XeroProtocolError(detail="the attachment answer has no 'Attachments'")
        return _attachment(records[0]), True

    def email(self, invoice_id: str, *, idempotency_key: str, label: str, contact: str = "the contact") -> None:
        """Have Xero email the invoice to its contact (Xero then marks it sent)."""
        check_idempotency_key(idempotency_key)
        try:
            self._client.call("POST", f"Invoices/{quote(invoice_id, safe='')}/Email", body={},
                              idempotency_key=idempotency_key)
        except XeroValidationError as exc:
            detail = "; ".join(exc.messages)
            if _said(exc, "daily email", "email rate limit"):
                raise XeroEmailLimitReached(
                    f"Xero's daily limit of invoice emails for this organisation is reached: invoice {label} was "
                    "not sent; send it tomorrow.", status=exc.status, detail=detail) from None
            if _said(exc, "email address"):
                raise XeroNoEmailAddress(
                    f"{contact} has no email address in Xero, so invoice {label} was not sent: add one to the "
                    "contact in Xero, or mark the invoice as sent instead.", status=exc.status,
                    detail=detail) from None
            if _said(exc, "status", "approved"):
                raise XeroNotApproved(
                    f"Xero emails only approved invoices: invoice {label} was not sent; approve it first.",
                    status=exc.status, detail=detail) from None
            raise

    def mark_sent(self, invoice_id: str, *, idempotency_key: str, label: str) -> dict:
        """Set ``SentToContact`` without emailing; Xero's invoice as it now is."""
        try:
            return self._client.update_invoice(invoice_id, {"SentToContact": True}, idempotency_key)
        except XeroValidationError as exc:
            if _said(exc, "senttocontact", "approved"):
                raise XeroNotApproved(
                    f"Xero marks only approved invoices as sent: approve invoice {label} first.",
                    status=exc.status, detail="; ".join(exc.messages)) from None
            raise

    def online_invoice_url(self, invoice_id: str, *, label: str) -> str:
        """The invoice's online address (for the customer), once it is no longer a draft."""
        try:
            data = self._client.call("GET", f"Invoices/{quote(invoice_id, safe='')}/OnlineInvoice")
        except XeroValidationError as exc:
            raise XeroNotApproved(
                f"Xero has an online invoice only for approved invoices: invoice {label} has none yet.",
                status=exc.status, detail="; ".join(exc.messages)) from None
        rows = data.get("OnlineInvoices") if isinstance(data, dict) else None
        url = rows[0].get("OnlineInvoiceUrl") if isinstance(rows, list) and rows and isinstance(rows[0], dict) else None
        if not isinstance(url, str) or not url.startswith("https://"):
            raise XeroProtocolError(detail="the online invoice answer has no https OnlineInvoiceUrl")
        return url

    @staticmethod
    def _scope(exc: XeroForbiddenError) -> XeroError:
        """The attachments-permission sentence for a missing scope; any other refusal as it was."""
        if exc.user_message != XeroForbiddenError.scope_message:
            return exc
        return XeroAttachmentScopeMissing(status=exc.status, detail=exc.detail)
