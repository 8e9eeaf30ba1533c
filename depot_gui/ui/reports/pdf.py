"""The month-end report as a printable PDF through Qt's own printing (QTextDocument + QPdfWriter).

Imported by the window and, lazily, by ``depot-sync report --pdf`` (the only Qt the CLI loads).
Works on any thread: QTextDocument and QPdfWriter paint without widgets. The content is
``sync.report.MonthEndReport`` (plain data); this module only lays it out.
"""

from __future__ import annotations

import os
import re
import sys
from decimal import Decimal
from html import escape
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QFont, QGuiApplication, QPageLayout, QPageSize, QPainter, QPdfWriter, QTextBlock, QTextDocument, QTextTable,
)
from PySide6.QtWidgets import QApplication

from depot_gui import version
from depot_gui.core.money import fmt_money, is_credit_total
from depot_gui.sync.reports.month_end import CHECK_LABEL, NO_PAYMENT_STATE, MonthEndReport, ReportInvoice, invoice_label
from depot_gui.sync.reports.csv_writer import atomic_write, check_target

RESOLUTION = 300  # dots per inch of the PDF's layout (text stays vector)
FOOT_PX = 90  # the page number's band at the foot of each page (0.3 inch at RESOLUTION)
ROW_FOOT_PX = 16  # screen pixels under a row's last line: cell padding, border and the table's own margin below
MAX_PAGE_PASSES = 400  # lay-outs to move cut rows to the next page (one per moved row; a report has fewer)
_CSS = """
body { font-size: 9pt; }
h1 { font-size: 16pt; margin-bottom: 2pt; }
h2 { font-size: 12pt; margin-top: 14pt; margin-bottom: 4pt; }
h3 { font-size: 10pt; margin-top: 8pt; margin-bottom: 2pt; }
th { background-color: #e6e6e6; text-align: left; }
.n { text-align: right; }
p.small { font-size: 8pt; color: #555555; }
p.gap { font-size: 3pt; margin: 0; }
"""


def ensure_gui_app() -> None:
    """An application object for fonts (the CLI has none); offscreen when there is no display.

    A QApplication rather than a QGuiApplication, so widgets still work if the same process
    (a test run, a script) opens a window afterwards.
    """
    if QGuiApplication.instance() is not None:
        return
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    global _APP
    _APP = QApplication(["depot-sync"])


_APP: QApplication | None = None


def _m(text: str, currency: str = "") -> str:
    return _nb(fmt_money(Decimal(text), currency)) if text else ""


def _kind(i: ReportInvoice) -> str:
    """The Xero document the Autotask total makes: a negative total goes as a credit note."""
    return "Credit note" if i.autotask_total and is_credit_total(Decimal(i.autotask_total)) else "Invoice"


def _totals(totals, r: MonthEndReport) -> str:
    """Totals per currency, one line each (never added up across currencies); when none, 0.00 in each of
    the report's currencies."""
    return "<br>".join(_m(amount, currency) for currency, amount in totals) or _each(r, "0")


def _each(r: MonthEndReport, amount: str, joiner: str = "<br>") -> str:
    """``amount`` in each of the report's currencies (bare only when no invoice has a currency)."""
    return joiner.join(_m(amount, c) for c in r.currencies) or _m(amount)


def _tolerance(r: MonthEndReport) -> str:
    """The maximum rounding difference, compared in each invoice's own currency."""
    text = _each(r, r.tolerance, " or ")
    return f"{text} (in each invoice's currency)" if len(r.currencies) > 1 else text


class _Tables:
    """Writes the report's tables, each cut into parts where ``breaks`` says a page must begin.

    ``breaks``: table number (in the order written) -> indices of the rows that begin a new page.
    ``parts`` lists (table number, first row, heading blocks) of every part written, in the document's
    order; heading blocks: how many blocks of the table's own heading (a section title, an invoice's
    lines) come right before the part (0 but for a table's first part).
    """

    def __init__(self, breaks: dict[int, set[int]] | None = None) -> None:
        self.breaks = breaks or {}
        self.parts: list[tuple[int, int, int]] = []
        self.count = 0

    def __call__(self, head: list[str], rows: list[list[str]], numeric: set[int], heading: str = "") -> str:
        """A full-width table with a shaded header row; ``numeric`` columns right-aligned.

        ``heading``: the html written before the table that belongs with it: when the whole table begins
        a new page, the page begins before the heading, never leaving it alone at the foot of the last.
        """
        def cells(tag: str, values: list[str]) -> str:
            return "".join(f"<{tag}{' class=n' if i in numeric else ''}>{v}</{tag}>" for i, v in enumerate(values))

        number, self.count = self.count, self.count + 1
        cuts = self.breaks.get(number, set())
        starts = [0, *sorted(c for c in cuts if 0 < c < len(rows))]
        new_page = " page-break-before: always;"
        if heading and 0 in cuts:  # on its first element (an h2, an h3 ...), which all begin with "<tag"
            heading = re.sub(r"^<(\w+)", rf"<\1 style='{new_page.strip()}'", heading, count=1)
        out = [heading]
        for k, start in enumerate(starts):
            end = starts[k + 1] if k + 1 < len(starts) else len(rows)
            self.parts.append((number, start, 0 if k else len(re.findall(r"<(?:h\d|p)\b", heading))))
            body = "".join(f"<tr>{cells('td', r)}</tr>" for r in rows[start:end])
            page_break = new_page if k or (0 in cuts and not heading) else ""
            out.append(f"<table border=1 cellspacing=0 cellpadding=3 width='100%' style='border-collapse: collapse;"
                       f"{page_break}'><thead><tr>{cells('th', head)}</tr></thead>{body}</table>")
        return "".join(out) + "<p class=gap>&nbsp;</p>"


def _nb(text: str) -> str:
    """Escaped text that never breaks across lines (dates, times, numbers)."""
    return escape(text).replace(" ", "&nbsp;")


def _period(r: MonthEndReport) -> str:
    if r.since and r.until:
        return f"{r.since.isoformat()} to {r.until.isoformat()}"
    if r.since:
        return f"from {r.since.isoformat()}"
    return f"up to {r.until.isoformat()}" if r.until else "all dates"


def _attention(i: ReportInvoice, _table: _Tables, section: str = "") -> str:
    """One invoice not synced; ``section``: the section's heading, written before the first."""
    kind = " — credit note" if _kind(i) == "Credit note" else ""
    head = (f"{section}<h3>{escape(i.number)} — {escape(i.company)} — {escape(invoice_label(i))}{kind}</h3>"
            f"<p>Invoice date {escape(i.invoice_date or 'none')} · Autotask {_m(i.autotask_total, i.currency)} · "
            f"Xero {_m(i.xero_total, i.currency)} · Difference {_m(i.difference, i.currency)}</p>")
    parts = [head]
    if i.causes:  # the invoice's heading and lines go with its table
        parts = [_table(["Cause", "Explains"], [[escape(f"{c.title} ({c.code})"), _m(c.amount, i.currency)]
                                                for c in i.causes], {1}, heading=head)]
    parts.append("".join(f"<p>{escape(line)}</p>" for line in i.explanation.split("\n") if line.strip()))
    if i.unchecked and not any(line.startswith("Not checked") for line in i.explanation.split("\n")):
        named = ", ".join(CHECK_LABEL.get(c, c) for c in i.unchecked)
        parts.append(f"<p><b>Not checked:</b> {escape(named)}.</p>")
    return "".join(parts)


def report_html(r: MonthEndReport, tables: _Tables | None = None) -> str:
    """The whole report as Qt rich text (the subset of HTML QTextDocument lays out)."""
    _table = _Tables() if tables is None else tables
    out = [f"<h1>Month-end report: Autotask to Xero</h1>"
           f"<p>Invoice dates {escape(_period(r))} · generated {escape(r.generated_at)} by Depot GUI "
           f"{escape(version())} from its local records (the last check of each invoice) · maximum rounding "
           f"difference {_tolerance(r)}</p>"]
    rows = [[escape(c.label), str(c.invoices), _totals(c.totals, r)] for c in r.counts]
    rows.append(["<b>Total</b>", f"<b>{r.total_invoices}</b>", f"<b>{_totals(r.totals, r)}</b>"])
    out.append(_table(["Status", "Invoices", "Autotask total"], rows, {1, 2}, heading="<h2>Invoices by status</h2>"))
    if r.undated:
        out.append(f"<p class=small>{r.undated} invoice{'s' if r.undated != 1 else ''} without an invoice date "
                   "are in no period and not counted here.</p>")
    section = "<h2>Not synced: mismatches, conflicts and errors</h2>"
    out.append("".join(_attention(i, _table, "" if k else section) for k, i in enumerate(r.attention))
               or f"{section}<p>None.</p>")
    section = "<h2>Synced to Xero</h2>"
    if r.synced:
        out.append(_table(
            ["Invoice", "Company", "Date", "Type", "Autotask total", "Xero number", "Synced on", "Payment"],
            [[_nb(i.number), escape(i.company), _nb(i.invoice_date), _nb(_kind(i)), _m(i.autotask_total, i.currency),
              escape(i.xero_number), _nb(i.synced_at[:10]), escape(i.payment or NO_PAYMENT_STATE)] for i in r.synced],
            {4}, heading=section))
    else:
        out.append(f"{section}<p>None.</p>")
    section = "<h2>Ready, not yet in Xero</h2>"
    if r.ready:
        out.append(_table(["Invoice", "Company", "Date", "Type", "Autotask total", "Rounding line"],
                          [[_nb(i.number), escape(i.company), _nb(i.invoice_date), _nb(_kind(i)),
                            _m(i.autotask_total, i.currency), _m(i.rounding_line, i.currency)] for i in r.ready],
                          {4, 5}, heading=section))
        if any(_kind(i) == "Credit note" for i in r.ready):
            out.append("<p class=small>A negative Autotask total goes to Xero as a credit note of the positive "
                       "amount.</p>")
    else:
        out.append(f"{section}<p>None.</p>")
    return "<html><body>" + "".join(out) + "</body></html>"


def build_document(r: MonthEndReport, tables: _Tables | None = None) -> QTextDocument:
    doc = QTextDocument()
    doc.setDefaultStyleSheet(_CSS)
    doc.setDefaultFont(QFont("DejaVu Sans", 9))
    doc.setHtml(report_html(r, tables))
    doc.setMetaInformation(QTextDocument.MetaInformation.DocumentTitle, "Month-end report")
    return doc


def _lead_block(doc: QTextDocument, frame: QTextTable, lead: int) -> QTextBlock:
    """The first of the ``lead`` text blocks right before ``frame`` (its section or invoice heading)."""
    block = doc.findBlock(frame.firstPosition() - 1)
    while block.isValid():
        if block.text().strip():
            lead -= 1
            if not lead:
                return block
        block = block.previous()
    return frame.cellAt(0, 0).firstCursorPosition().block()


def _row_cut_by_a_page(doc: QTextDocument, parts: list[tuple[int, int, int]], page: float,
                       breaks: dict[int, set[int]], below: float) -> tuple[int, int] | None:
    """The first (table number, row) of a table part that runs onto another page than its heading's, or None.

    Qt would cut a tall row in two, or move it to the next page and stretch the row above to the foot
    of the page: either way the part ends before that row, which begins the next page under the heading
    again. A first row off its heading's page moves the whole table, with the section or invoice heading
    written before it (a heading left alone at the foot of a page would say nothing); a row taller than a
    page, or the first row of a part already beginning a page, is left as it is. ``below``: the cell
    padding and border under a row's last line.
    """
    layout = doc.documentLayout()
    frames = [f for f in doc.rootFrame().childFrames() if isinstance(f, QTextTable)]
    for frame, (number, start, lead) in zip(frames, parts):
        first = _lead_block(doc, frame, lead) if lead else frame.cellAt(0, 0).firstCursorPosition().block()
        heading = int(layout.blockBoundingRect(first).top() // page)
        for row in range(1, frame.rows()):  # row 0 is the heading
            cells = [frame.cellAt(row, c) for c in range(frame.columns())]
            top = min(layout.blockBoundingRect(c.firstCursorPosition().block()).top() for c in cells)
            bottom = max(layout.blockBoundingRect(c.lastCursorPosition().block()).bottom() for c in cells) + below
            if bottom - top < page and {int(top // page), int((bottom - 1) // page)} != {heading}:
                if row == 1 and (start > 0 or 0 in breaks.get(number, ())):
                    break  # already at the top of a page
                return number, start + row - 1
    return None


def paginated(r: MonthEndReport, device, page: QSizeF) -> QTextDocument:
    """The report laid out on ``device`` in pages of ``page``: no table row cut across two pages (the row
    that would be begins the next page, under the table's heading), every page's table with its heading."""
    breaks: dict[int, set[int]] = {}
    for _ in range(MAX_PAGE_PASSES):
        tables = _Tables(breaks)
        doc = build_document(r, tables)
        doc.documentLayout().setPaintDevice(device)
        frame = doc.rootFrame().frameFormat()
        frame.setMargin(0)  # the page's margins are the writer's
        doc.rootFrame().setFrameFormat(frame)
        doc.setPageSize(page)
        below = ROW_FOOT_PX * device.logicalDpiY() / 96  # in device pixels
        cut = _row_cut_by_a_page(doc, tables.parts, page.height(), breaks, below)
        if cut is None:
            break
        breaks.setdefault(cut[0], set()).add(cut[1])
    return doc


def _print(doc: QTextDocument, writer: QPdfWriter, page: QSizeF) -> None:
    """Each page of the laid-out ``doc``, with "Page n of N" in the foot."""
    painter = QPainter(writer)
    painter.setFont(QFont("DejaVu Sans", 8))
    total = doc.pageCount()
    for n in range(total):
        if n:
            writer.newPage()
        painter.save()
        painter.translate(0, -n * page.height())
        doc.drawContents(painter, QRectF(0, n * page.height(), page.width(), page.height()))
        painter.restore()
        painter.drawText(QRectF(0, page.height(), page.width(), FOOT_PX), int(Qt.AlignmentFlag.AlignRight
                         | Qt.AlignmentFlag.AlignBottom), f"Page {n + 1} of {total}")
    painter.end()


def write_pdf(r: MonthEndReport, path: str | Path) -> int:
    """Write the report as an A4 PDF at ``path`` (whole or not at all). Returns the page count."""
    target = check_target(path)
    ensure_gui_app()
    pages = 0

    def write(tmp: Path) -> None:
        nonlocal pages
        writer = QPdfWriter(str(tmp))
        writer.setResolution(RESOLUTION)
        writer.setTitle(f"Month-end report {_period(r)}")
        writer.setCreator(f"Depot GUI {version()}")
        writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                         QMarginsF(15, 15, 15, 15), QPageLayout.Unit.Millimeter))
        page = QSizeF(writer.width(), writer.height() - FOOT_PX)  # the foot keeps the page number
        _print(paginated(r, writer, page), writer, page)  # laid out on the PDF's own metrics
        del writer  # finishes the file
        pages = pdf_page_count(tmp)

    atomic_write(target, write)
    return pages


def pdf_page_count(path: str | Path) -> int:
    """The number of page objects in a PDF Qt wrote (its page tree is plain, uncompressed text)."""
    return len(re.findall(rb"/Type\s*/Page(?![A-Za-z])", Path(path).read_bytes()))
