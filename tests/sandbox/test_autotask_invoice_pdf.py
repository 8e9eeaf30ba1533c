"""Autotask's invoice PDF (GET /V1.0/Invoices/{id}/InvoicePdf), through HTTP."""

from __future__ import annotations

import base64

BASE = "/ATServicesRest/V1.0/Invoices"


def test_invoice_pdf_file_model(at):
    _, c = at
    r = c.get(f"{BASE}/5001/InvoicePdf")
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["id"], body["contentType"], body["fileName"]) == (5001, "application/pdf", "Invoice_INV-5001.pdf")
    data = base64.b64decode(body["data"])
    assert data.startswith(b"%PDF-1.4\n") and data.endswith(b"%%EOF\n") and b"Autotask invoice INV-5001" in data
    assert body["fileSize"] == len(data)
    assert c.get(f"{BASE}/5001/invoicepdf").json() == body  # paths are case-insensitive


def test_invoice_pdf_wrapped_and_test_bytes(at):
    sb, c = at
    sb.set_invoice_pdf(5002, b"%PDF-1.7 custom")
    sb.set_option("autotask_invoice_pdf_wrapped", True)
    item = c.get(f"{BASE}/5002/InvoicePdf").json()["item"]
    assert (item["fileSize"], base64.b64decode(item["data"])) == (15, b"%PDF-1.7 custom")


def test_invoice_pdf_refusals(at):
    _, c = at
    r = c.get(f"{BASE}/999999/InvoicePdf")
    assert (r.status_code, r.json()) == (404, {"errors": ["Unable to find Invoices with id 999999."]})
    assert c.post(f"{BASE}/5001/InvoicePdf", json={}).status_code == 405
    assert c.get(f"{BASE}/abc/InvoicePdf").status_code == 404
