"""The month-end PDF keeps every table row whole on one page and repeats the table's heading on each
page (issue 22): 90 synced and 60 ready invoices, some with company names that wrap onto five lines."""

from __future__ import annotations

import re
import shutil
import subprocess

from PySide6.QtCore import QMarginsF
from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextTable

from depot_gui.sync.reports.month_end import CauseLine, MonthEndReport, ReportInvoice, StatusCount
from depot_gui.ui.reports.pdf import FOOT_PX, paginated, write_pdf

COMPANIES = ("Acme Dental Group", "Harbour Logistics Pty Ltd", "Bluegum Legal")
SYNCED_HEAD = "Invoice Company Date Type Autotask total Xero number Synced on Payment"


def invoice(i: int, status: str) -> ReportInvoice:
    company = COMPANIES[i % 3] + (" and a rather long trading name that wraps" if i % 7 == 0 else "")
    return ReportInvoice(
        number=f"INV-{5000 + i}", autotask_id=5000 + i, company=company, invoice_date="2026-11-01", status=status,
        autotask_total="1633.50" if i % 9 else "-621.16", xero_total="1633.50", rounding_line="0.00",
        difference="0.00", causes=(CauseLine("lob_access", "The API user cannot see every line of business", "4177.80"),)
        if status == "mismatch" else (), verdict="", explanation="Not synced: the totals differ." if status == "mismatch"
        else "", unchecked=(), xero_number=f"INV-{5000 + i}" if status == "synced" else "", xero_invoice_id="",
        synced_at="2026-11-20T10:00:00" if status == "synced" else "", payment="Unpaid" if status == "synced" else "",
        voided_in_autotask=False, currency="AUD")


def long_report() -> MonthEndReport:
    return MonthEndReport(
        since=None, until=None, generated_at="2026-11-30 10:00", tolerance="3.00",
        counts=(StatusCount("ready", "Ready", 60, (("AUD", "98010.00"),)),
                StatusCount("synced", "Synced", 90, (("AUD", "147015.00"),))),
        total_invoices=162, totals=(("AUD", "245025.00"),), attention=tuple(invoice(i, "mismatch") for i in range(200, 212)),
        synced=tuple(invoice(i, "synced") for i in range(90)), ready=tuple(invoice(i, "ready") for i in range(100, 160)),
        undated=0)


def test_no_table_row_is_cut_across_two_pages(tmp_path, qapp):
    writer = QPdfWriter(str(tmp_path / "scratch.pdf"))
    writer.setResolution(300)
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                     QMarginsF(15, 15, 15, 15), QPageLayout.Unit.Millimeter))
    from PySide6.QtCore import QSizeF

    page = QSizeF(writer.width(), writer.height() - FOOT_PX)
    doc = paginated(long_report(), writer, page)
    layout, cut = doc.documentLayout(), []
    for table in (f for f in doc.rootFrame().childFrames() if isinstance(f, QTextTable)):
        for row in range(table.rows()):
            blocks = [table.cellAt(row, c) for c in range(table.columns())]
            pages = {int(layout.blockBoundingRect(b.firstCursorPosition().block()).top() // page.height()) for b in blocks}
            pages |= {int((layout.blockBoundingRect(b.lastCursorPosition().block()).bottom() - 1) // page.height())
                      for b in blocks}
            if len(pages) > 1:
                cut.append(table.cellAt(row, 0).firstCursorPosition().block().text())
    assert cut == []
    del writer


def test_every_page_of_a_table_begins_with_its_heading(tmp_path, qapp):
    pdf = tmp_path / "long.pdf"
    assert write_pdf(long_report(), pdf) == 8
    if not shutil.which("pdftotext"):  # the PDF's own text, where poppler is installed
        return
    pages = []
    for n in range(1, 9):
        text = subprocess.run(["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(pdf), "-"],
                              capture_output=True, text=True, check=True).stdout
        pages.append(" ".join(text.split()))
    assert [p.endswith(f"Page {n} of 8") for n, p in enumerate(pages, 1)] == [True] * 8
    synced_pages = [p for p in pages if SYNCED_HEAD in p]
    assert len(synced_pages) == 4
    assert all(SYNCED_HEAD in p for p in synced_pages)
    first_on_page = [re.search(r"INV-\d{4}", p.split(SYNCED_HEAD, 1)[1]).group() for p in synced_pages]
    assert first_on_page == ["INV-5000", "INV-5024", "INV-5049", "INV-5073"]
