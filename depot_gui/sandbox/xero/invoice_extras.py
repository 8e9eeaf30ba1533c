"""The routes under one invoice: ``/Invoices/{InvoiceID}/Attachments``, ``/Email`` and ``/OnlineInvoice``."""

from __future__ import annotations

from depot_gui.sandbox.http.messages import Request, Response
from depot_gui.sandbox.xero.attachments import InvoiceAttachments
from depot_gui.sandbox.xero.invoice_email import InvoiceEmail
from depot_gui.sandbox.xero.wire import not_found


class InvoiceExtras:
    """Dispatches ``/Invoices/{ref}/{sub}[/{name}]`` to the attachments, email and online-invoice collaborators."""

    def __init__(self, options: dict, envelope) -> None:
        self.attachments = InvoiceAttachments(options, envelope)
        self.mail = InvoiceEmail(options, envelope)

    def route(self, req: Request, rest: list[str], books: dict, grant: dict | None, tenant_id: str,
              now) -> Response:
        """``rest`` is ``[ref, sub]`` or ``[ref, "Attachments", name]`` (ref: InvoiceID or InvoiceNumber)."""
        if len(rest) < 2 or len(rest) > 3:
            return not_found()
        ref, sub = rest[0].lower(), rest[1].lower()
        docs = books["Invoices"]
        doc = (next((d for d in docs if d["InvoiceID"].lower() == ref), None)
               or next((d for d in docs if str(d.get("InvoiceNumber", "")).lower() == ref
                        and d["Status"] != "DELETED"), None))
        if doc is None:
            return not_found()
        if sub == "attachments":
            return self.attachments.handle(req, doc, rest[2] if len(rest) == 3 else None, books, grant, now)
        if len(rest) == 3:
            return not_found()
        if sub == "email":
            return self.mail.email(req, doc, books, now)
        if sub == "onlineinvoice":
            return self.mail.online(req, doc, tenant_id, now)
        return not_found()
