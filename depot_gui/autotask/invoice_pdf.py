"""Autotask's own PDF of an invoice: ``GET /V1.0/Invoices/{id}/InvoicePdf``.

Autotask answers a ``FileQueryResultModel`` (``id``, ``contentType``, ``fileName``, ``fileSize``,
``data`` = the file as base64), bare or wrapped in ``item``; both are read. The API user's
security level needs full access to invoices. ``AutotaskInvoiceFiles(client)`` sends through the
client's own call plumbing (zone, retries, thread limit, typed errors).
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field
from typing import Any

from depot_gui.autotask.errors import AutotaskError, AutotaskPermissionError, AutotaskProtocolError


class AutotaskInvoicePdfMissing(AutotaskError):
    """Autotask has no such invoice for the API user (so no PDF)."""


@dataclass(frozen=True)
class InvoicePdf:
    """One invoice's PDF as Autotask gave it."""

    invoice_id: int
    file_name: str
    content_type: str
    data: bytes = field(repr=False)


def read_invoice_pdf(answer: Any, invoice_id: int) -> InvoicePdf:
    """The file in an ``InvoicePdf`` answer (raises AutotaskProtocolError when it is not one)."""
    model = answer.get("item", answer) if isinstance(answer, dict) else None
    if not isinstance(model, dict) or not isinstance(model.get("data"), str):
        raise AutotaskProtocolError(detail=f"Invoices/{invoice_id}/InvoicePdf answer has no file data")
    try:
        data = base64.b64decode(model["data"], validate=True)
    except (binascii.Error, ValueError):
        raise AutotaskProtocolError(detail=f"Invoices/{invoice_id}/InvoicePdf data is not base64") from None
    size = model.get("fileSize")
    if not data or (isinstance(size, int) and size != len(data)):
        raise AutotaskProtocolError(
            detail=f"Invoices/{invoice_id}/InvoicePdf holds {len(data)} bytes, fileSize says {size}")
    name = str(model.get("fileName") or f"Invoice_{invoice_id}.pdf")
    return InvoicePdf(int(invoice_id), name, str(model.get("contentType") or "application/pdf"), data)


class AutotaskInvoiceFiles:
    """Files Autotask makes of invoices (their PDF)."""

    def __init__(self, client: Any) -> None:
        self._client = client

    def pdf(self, invoice_id: int, *, label: str = "") -> InvoicePdf:
        """Autotask's PDF of the invoice; ``label`` (its number) names it in refusals."""
        name = label or str(invoice_id)
        url = self._client._url("Invoices", f"{int(invoice_id)}/InvoicePdf")
        try:
            answer = self._client._call("GET", url, entity="Invoices", allow_404=True)
        except AutotaskPermissionError as exc:
            raise AutotaskPermissionError(
                f"The Autotask API user may not read the PDF of invoice {name}: give its security level full "
                "access to invoices in Autotask (Admin › Security Levels).", status=exc.status,
                detail=exc.detail) from None
        if answer is None or (isinstance(answer, dict) and "item" in answer and answer["item"] is None):
            raise AutotaskInvoicePdfMissing(
                f"Autotask has no invoice {name} for the API user, so there is no PDF to attach.", status=404)
        return read_invoice_pdf(answer, invoice_id)
