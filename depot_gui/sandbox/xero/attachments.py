"""Xero Attachments on invoices: ``/Invoices/{InvoiceID}/Attachments[/{FileName|AttachmentID}]``.

As Xero documents them (developer.xero.com/documentation/api/accounting/attachments and the
OpenAPI spec): the file is the raw request body, its type the request's ``Content-Type``;
``PUT`` creates, ``POST`` updates, both by file name; a file already there under the same name
is replaced, never added twice; ``IncludeOnline=true`` puts the file on the online invoice
(sales invoices only); each file at most ``xero_attachment_max_bytes`` (10 MB) and at most
``xero_attachments_per_document`` (10) per document. The ``accounting.attachments`` scope is
needed to write, it or ``accounting.attachments.read`` to read.
"""

from __future__ import annotations

import base64
import uuid
from urllib.parse import quote, unquote

from depot_gui.sandbox.http.messages import Request, Response
from depot_gui.sandbox.xero.identity import problem
from depot_gui.sandbox.xero.wire import TRUE, element_error, not_found, simple_error, validation_error

MAX_BYTES = 10 * 1024 * 1024
MAX_PER_DOCUMENT = 10
WRITE_SCOPE = "accounting.attachments"
READ_SCOPES = (WRITE_SCOPE, "accounting.attachments.read")


def scope_refusal(grant: dict | None, scopes: tuple[str, ...]) -> Response | None:
    """403 (``WWW-Authenticate: Bearer error="insufficient_scope"``) when the token's grant holds none of
    ``scopes`` (None: allowed)."""
    granted = set(str((grant or {}).get("scope", "")).split())
    if granted & set(scopes):
        return None
    return problem(403, "Forbidden", f"AuthorizationUnsuccessful: the {scopes[0]} scope was not granted",
                   {"WWW-Authenticate": 'Bearer error="insufficient_scope"'})


class InvoiceAttachments:
    """Attachments of one tenant's invoices (a collaborator of the Xero API; state in ``books``)."""

    def __init__(self, options: dict, envelope) -> None:
        self.options = options
        self.envelope = envelope  # (key, items, now) -> the Xero envelope dict

    @staticmethod
    def stored(books: dict, invoice_id: str) -> list[dict]:
        """The attachments kept for ``invoice_id`` (created on first use)."""
        return books.setdefault("Attachments", {}).setdefault(invoice_id.lower(), [])

    @staticmethod
    def wire(req: Request, invoice_id: str, att: dict) -> dict:
        """One attachment in Xero's JSON form (no content)."""
        out = {"AttachmentID": att["AttachmentID"], "FileName": att["FileName"],
               "Url": f"{req.base_url}/api.xro/2.0/Invoices/{invoice_id}/Attachments/{quote(att['FileName'])}",
               "MimeType": att["MimeType"], "ContentLength": att["ContentLength"]}
        if att.get("IncludeOnline"):
            out["IncludeOnline"] = True
        return out

    def handle(self, req: Request, doc: dict, name: str | None, books: dict, grant: dict | None, now) -> Response:
        """List, read, create (PUT) or update (POST) the attachments of ``doc``."""
        invoice_id = doc["InvoiceID"]
        atts = self.stored(books, invoice_id)
        if req.method == "GET":
            refused = scope_refusal(grant, READ_SCOPES)
            if refused:
                return refused
            if name is None:
                return Response.json(200, self.envelope("Attachments", [self.wire(req, invoice_id, a) for a in atts],
                                                        now))
            wanted = unquote(name).lower()
            att = next((a for a in atts if a["AttachmentID"].lower() == wanted or a["FileName"].lower() == wanted),
                       None)
            if att is None:
                return not_found()
            return Response(200, {"Content-Type": att["MimeType"]}, base64.b64decode(att["Data"]))
        if req.method not in ("PUT", "POST") or name is None:
            return simple_error(405, 0, "MethodNotAllowed",
                                f"{req.method} is not supported on Invoices/{{InvoiceID}}/Attachments.")
        refused = scope_refusal(grant, (WRITE_SCOPE,))
        if refused:
            return refused
        return self.write(req, doc, unquote(name), atts, now)

    def write(self, req: Request, doc: dict, file_name: str, atts: list[dict], now) -> Response:
        """Store the body under ``file_name`` (replacing a file of that name)."""
        limit = int(self.options.get("xero_attachment_max_bytes", MAX_BYTES))
        if len(req.body) > limit:
            return simple_error(413, 0, "RequestEntityTooLarge",
                                f"The attachment is {len(req.body)} bytes; the limit is {limit} bytes.")
        errors = []
        if not req.body:
            errors.append("The attachment is empty.")
        if not file_name.strip() or "/" in file_name or "\\" in file_name:
            errors.append("The file name is not valid.")
        include_online = (req.arg("IncludeOnline", ci=True) or "").lower() in TRUE
        if include_online and doc.get("Type") != "ACCREC":
            errors.append("IncludeOnline can only be set for a sales invoice (ACCREC).")
        existing = next((a for a in atts if a["FileName"].lower() == file_name.lower()), None)
        most = int(self.options.get("xero_attachments_per_document", MAX_PER_DOCUMENT))
        if existing is None and len(atts) >= most:
            errors.append(f"A document can have at most {most} attachments.")
        if errors:
            return validation_error([element_error({"FileName": file_name}, errors)])
        mime = (req.headers.get("Content-Type") or "application/octet-stream").split(";")[0].strip()
        att = existing or {"AttachmentID": str(uuid.uuid4())}
        att.update({"FileName": file_name, "MimeType": mime or "application/octet-stream",
                    "ContentLength": len(req.body), "IncludeOnline": include_online or bool(
                        existing and req.method == "POST" and existing.get("IncludeOnline")),
                    "Data": base64.b64encode(req.body).decode("ascii")})
        if existing is None:
            atts.append(att)
        doc["HasAttachments"] = True
        return Response.json(200, self.envelope("Attachments", [self.wire(req, doc["InvoiceID"], att)], now))
