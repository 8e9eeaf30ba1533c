"""The month-end PDF keeps every table row whole on one page and repeats the table's heading on each
page (issue 22): 90 synced and 60 ready invoices, some with company names that wrap onto five lines;
a section's or an invoice's heading goes to the next page with its table, never left at the foot."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import replace

import pytest

from PySide6.QtCore import QMarginsF
from PySide6.QtCore import QSizeF
from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextCursor, QTextTable

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
    assert first_on_page == ["INV-5000", "INV-5023", "INV-5049", "INV-5073"]  # its heading atop page 3 (issue 22)


def heading_pages(doc, page: float) -> dict[str, tuple[int, int]]:
    """Each section (h2) and invoice (h3) heading followed by a table: the page of the heading and of the
    table's first line (the h3's line of figures in between goes with it)."""
    layout, out = doc.documentLayout(), {}
    block = doc.begin()
    while block.isValid():
        if block.blockFormat().headingLevel() in (2, 3):
            after, seen = block.next(), 0
            while after.isValid() and QTextCursor(after).currentTable() is None and seen < 3:
                seen += bool(after.text().strip())
                after = after.next()
            if after.isValid() and QTextCursor(after).currentTable() is not None:
                out[block.text()] = tuple(int(layout.blockBoundingRect(b).top() // page) for b in (block, after))
        block = block.next()
    return out


@pytest.mark.parametrize("mismatches, moved", [
    (5, "Synced to Xero"),  # at the foot of page 1, its table on page 2 (issue 22)
    (6, "INV-5205 — Harbour Logistics Pty Ltd — Mismatch"),  # its line of figures too; its causes' table on page 2
])
@pytest.mark.slow
def test_a_heading_goes_to_the_next_page_with_its_table(tmp_path, qapp, mismatches, moved):
    writer = QPdfWriter(str(tmp_path / "scratch.pdf"))
    writer.setResolution(300)
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                     QMarginsF(15, 15, 15, 15), QPageLayout.Unit.Millimeter))
    page = QSizeF(writer.width(), writer.height() - FOOT_PX)
    report = replace(long_report(), attention=tuple(invoice(i, "mismatch") for i in range(200, 200 + mismatches)))
    pages = heading_pages(paginated(report, writer, page), page.height())
    assert pages[moved] == (1, 1)
    assert {name: where for name, where in pages.items() if where[0] != where[1]} == {}
    del writer
