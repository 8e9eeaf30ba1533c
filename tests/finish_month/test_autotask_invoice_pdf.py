"""AutotaskInvoiceFiles against the sandbox: the invoice PDF, bare or wrapped, and its refusals."""

from __future__ import annotations

import pytest

from depot_gui.autotask import AutotaskClient
from depot_gui.autotask.errors import AutotaskPermissionError
from depot_gui.autotask.invoice_pdf import AutotaskInvoiceFiles, AutotaskInvoicePdfMissing
from depot_gui.autotask.models import AutotaskCredentials
from depot_gui.sandbox import Sandbox
from tests.sandbox.helpers import AT_HEADERS, DEMO


@pytest.fixture
def sb():
    return Sandbox.open(DEMO)


def files(sb) -> AutotaskInvoiceFiles:
    creds = AutotaskCredentials(AT_HEADERS["UserName"], AT_HEADERS["Secret"], AT_HEADERS["ApiIntegrationCode"])
    return AutotaskInvoiceFiles(AutotaskClient(creds, zone_root="http://sandbox.invalid", transport=sb.transport(),
                                               sleep=lambda s: None))


@pytest.mark.parametrize("wrapped", [False, True])
def test_pdf_bare_or_wrapped(sb, wrapped):
    sb.set_option("autotask_invoice_pdf_wrapped", wrapped)
    sb.set_invoice_pdf(5001, b"%PDF-1.4 five thousand and one")
    pdf = files(sb).pdf(5001, label="INV-5001")
    assert (pdf.invoice_id, pdf.file_name, pdf.content_type, pdf.data) == (
        5001, "Invoice_INV-5001.pdf", "application/pdf", b"%PDF-1.4 five thousand and one")


def test_pdf_refusals(sb):
    with pytest.raises(AutotaskInvoicePdfMissing) as missing:
        files(sb).pdf(999999, label="INV-999999")
    assert missing.value.user_message == ("Autotask has no invoice INV-999999 for the API user, so there is no PDF "
                                          "to attach.")
    restricted = Sandbox.open(DEMO)
    restricted.autotask.restricted.add("invoices")
    with pytest.raises(AutotaskPermissionError) as refused:
        files(restricted).pdf(5001, label="INV-5001")
    assert refused.value.user_message == ("The Autotask API user may not read the PDF of invoice INV-5001: give its "
                                          "security level full access to invoices in Autotask (Admin › Security "
                                          "Levels).")
