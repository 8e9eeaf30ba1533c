"""Autotask's invoice PDF: ``GET /V1.0/Invoices/{id}/InvoicePdf``.

Answers a ``FileQueryResultModel`` (``id``, ``contentType``, ``fileName``, ``fileSize``, ``data`` =
the PDF as base64), unwrapped, or wrapped in ``item`` with the option
``autotask_invoice_pdf_wrapped`` (clients have met both). The API user's security level needs
full invoice access: an API user restricted on Invoices is refused (403). The file is a small
PDF naming the invoice unless a test put other bytes in place (``Sandbox.set_invoice_pdf``).
"""

from __future__ import annotations

import base64

from depot_gui.sandbox.autotask.gate import errors, framework_error
from depot_gui.sandbox.http.messages import Request, Response


def pdf_bytes(row: dict) -> bytes:
    """A minimal, valid-looking PDF naming the invoice (deterministic: same invoice, same bytes)."""
    number = str(row.get("invoiceNumber") or row["id"])
    text = f"Autotask invoice {number} total {row.get('invoiceTotal')}"
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1", "replace")
    return (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
            b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
            b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 4 0 R>>endobj\n"
            b"4 0 obj<</Length " + str(len(stream)).encode() + b">>stream\n" + stream + b"\nendstream endobj\n"
            b"trailer<</Root 1 0 R>>\n%%EOF\n")


def invoice_pdf(api, req: Request, raw_id: str, st: dict) -> Response:
    """The PDF of invoice ``raw_id`` for the scenario's API user (``api`` is the Autotask API)."""
    if req.method != "GET":
        return api.bad_method(req.method)
    try:
        item_id = int(raw_id)
    except ValueError:
        return framework_error(404, f"No HTTP resource was found for id '{raw_id}'.")
    if "invoices" in api.restricted:
        return errors(403, "The API user's security level does not grant full access to Invoices.")
    row = api.index["Invoices"].get(item_id)
    if row is None or not api.visible("Invoices", row):
        return errors(404, f"Unable to find Invoices with id {item_id}.")
    row = api.current("Invoices", row, st)
    stored = st.get("pdfs", {}).get(str(item_id))
    data = base64.b64decode(stored) if stored is not None else pdf_bytes(row)
    number = str(row.get("invoiceNumber") or item_id)
    model = {"id": item_id, "contentType": "application/pdf", "fileName": f"Invoice_{number}.pdf",
             "fileSize": len(data), "data": base64.b64encode(data).decode("ascii")}
    if api.options.get("autotask_invoice_pdf_wrapped", False):
        model = {"item": model}
    return Response.json(200, model)
