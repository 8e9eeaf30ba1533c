"""Xero's invoice email (``POST /Invoices/{InvoiceID}/Email``) and online invoice (``GET .../OnlineInvoice``).

The email, as Xero documents it: a sales invoice (ACCREC) in a status valid for sending
(SUBMITTED, AUTHORISED or PAID) goes to the contact's email address and to its contact persons
marked ``IncludeInEmails``; a contact without any address is refused; each organisation may send
at most ``xero_daily_email_limit`` invoice emails a UTC day; a sent invoice is marked
``SentToContact``; the answer is ``204 No Content``. The online invoice link exists for a sales
invoice once it is no longer a draft.
"""

from __future__ import annotations

import base64
import hashlib

from depot_gui.sandbox.clock import naive_iso
from depot_gui.sandbox.http.messages import Request, Response
from depot_gui.sandbox.xero.wire import element_error, simple_error, validation_error

SENDABLE = ("SUBMITTED", "AUTHORISED", "PAID")
DAILY_EMAIL_LIMIT = 1000


def recipients(contact: dict | None) -> list[str]:
    """The addresses Xero emails an invoice to: the contact's, then persons marked IncludeInEmails."""
    if not contact:
        return []
    out = [contact["EmailAddress"].strip()] if str(contact.get("EmailAddress") or "").strip() else []
    for person in contact.get("ContactPersons") or []:
        address = str(person.get("EmailAddress") or "").strip()
        if address and person.get("IncludeInEmails") and address not in out:
            out.append(address)
    return out


def online_url(tenant_id: str, invoice_id: str) -> str:
    """The invoice's online address (stable for the invoice, like Xero's ``in.xero.com`` links)."""
    digest = hashlib.sha256(f"{tenant_id.lower()}:{invoice_id.lower()}".encode()).digest()
    return "https://in.xero.com/" + base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")[:40]


class InvoiceEmail:
    """The email and online-invoice routes (a collaborator of the Xero API; state in ``books``)."""

    def __init__(self, options: dict, envelope) -> None:
        self.options = options
        self.envelope = envelope

    def sent_today(self, books: dict, now) -> int:
        """How many invoice emails the organisation sent on ``now``'s UTC day."""
        day = now.date().isoformat()
        return sum(1 for e in books.get("SentEmails", []) if e["At"][:10] == day)

    def email(self, req: Request, doc: dict, books: dict, now) -> Response:
        """Send ``doc`` to its contact (204), or say why not (400)."""
        if req.method != "POST":
            return simple_error(405, 0, "MethodNotAllowed", f"{req.method} is not supported on Invoices/Email.")
        if req.body.strip():
            try:
                body = req.json()
            except ValueError:
                body = None
            if not isinstance(body, dict):
                return simple_error(400, 14, "PostDataInvalidException", "The request body is not a JSON object.")
        echo = {"InvoiceID": doc["InvoiceID"], "InvoiceNumber": doc.get("InvoiceNumber", "")}
        if doc.get("Type") != "ACCREC":
            return validation_error([element_error(echo, ["Only sales invoices (ACCREC) can be emailed."])])
        if doc["Status"] not in SENDABLE:
            return validation_error([element_error(echo, [
                f"An invoice with status {doc['Status']} cannot be emailed; it must be SUBMITTED, AUTHORISED or "
                "PAID."])])
        contact_id = (doc.get("Contact") or {}).get("ContactID", "").lower()
        contact = next((c for c in books["Contacts"] if c["ContactID"].lower() == contact_id), None)
        to = recipients(contact)
        if not to:
            return validation_error([element_error(echo, ["The contact has no email address."])])
        limit = int(self.options.get("xero_daily_email_limit", DAILY_EMAIL_LIMIT))
        if self.sent_today(books, now) >= limit:
            return validation_error([element_error(echo, [
                f"Daily Email Rate Limit Exceeded: the organisation has sent {limit} invoice emails today."])])
        books.setdefault("SentEmails", []).append({"InvoiceID": doc["InvoiceID"],
                                                   "InvoiceNumber": doc.get("InvoiceNumber", ""),
                                                   "To": to, "At": naive_iso(now)})
        doc["SentToContact"] = True
        return Response.empty(204)

    def online(self, req: Request, doc: dict, tenant_id: str, now) -> Response:
        """``{"OnlineInvoices": [{"OnlineInvoiceUrl": ...}]}`` for a non-draft sales invoice."""
        if req.method != "GET":
            return simple_error(405, 0, "MethodNotAllowed",
                                f"{req.method} is not supported on Invoices/OnlineInvoice.")
        echo = {"InvoiceID": doc["InvoiceID"], "InvoiceNumber": doc.get("InvoiceNumber", "")}
        if doc.get("Type") != "ACCREC":
            return validation_error([element_error(echo, ["Only sales invoices (ACCREC) have an online invoice."])])
        if doc["Status"] in ("DRAFT", "DELETED"):
            return validation_error([element_error(echo, [
                f"An invoice with status {doc['Status']} has no online invoice; approve it first."])])
        return Response.json(200, self.envelope("OnlineInvoices", [{"OnlineInvoiceUrl": online_url(
            tenant_id, doc["InvoiceID"])}], now))
