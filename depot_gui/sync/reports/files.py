"""Writing the accountant's files, for both UIs: the table's CSV pair and the period's reports.

The PDF renderer is Qt (``depot_gui.ui.reports.pdf.write_pdf``); callers pass it in, so this
module stays free of Qt and the CLI loads Qt only when a PDF is asked for.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

from depot_gui.store.db import InvoiceRow, Store

from depot_gui.sync.reports.month_end import MonthEndReport, Tick, line_rows, month_end_report, period_rows, report_invoices
from depot_gui.sync.reports.csv_writer import ReportFileError, check_target, lines_path_for, write_invoices_csv, write_lines_csv

PdfWriter = Callable[[MonthEndReport, Path], int]  # writes the PDF, returns its page count


@dataclass(frozen=True)
class Written:
    """One file written: where, what and how many (rows or pages)."""

    path: Path
    what: str
    count: int

    def line(self) -> str:
        return f"Wrote {self.path} ({self.what}: {self.count})"


def check_request(
    since: date | None, until: date | None, csv: str | None, lines_csv: str | None, pdf: str | None
) -> list[Path]:
    """Every target checked before anything is read or written; ReportFileError says what is wrong."""
    if since and until and since > until:
        raise ReportFileError(f"--since {since.isoformat()} is after --until {until.isoformat()}; swap them")
    if not csv and not pdf:
        raise ReportFileError("nothing to write; give --csv FILE, --pdf FILE or both")
    if lines_csv and not csv:
        raise ReportFileError("--lines-csv goes with --csv FILE (the invoices it details)")
    targets = []
    if csv:
        targets += [check_target(csv), check_target(lines_csv or lines_path_for(csv))]
    if pdf:
        targets.append(check_target(pdf))
    resolved = [t.resolve() for t in targets]
    if len(set(resolved)) != len(resolved):
        raise ReportFileError("two of the report files have the same name; give each its own")
    return targets


def export_table(store: Store, rows: Sequence[InvoiceRow], csv: str | Path, lines_csv: str | Path | None = None,
                 tick: Tick | None = None) -> list[Written]:
    """The rows as shown (their order) to ``csv`` and their line-by-line comparison beside it."""
    target = check_target(csv)
    lines_target = check_target(lines_csv or lines_path_for(target))
    invoices = report_invoices(store, rows, tick)
    lines = line_rows(store, rows)
    return [
        Written(target, "invoices", write_invoices_csv(target, invoices)),
        Written(lines_target, "lines", write_lines_csv(lines_target, lines)),
    ]


def period_reports(
    store: Store, since: date | None, until: date | None, *, csv: str | None = None, lines_csv: str | None = None,
    pdf: str | None = None, pdf_writer: PdfWriter | None = None, tick: Tick | None = None,
) -> list[Written]:
    """The invoices dated in [since, until]: the CSV pair and/or the month-end PDF."""
    check_request(since, until, csv, lines_csv, pdf)
    generated = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    rows, undated = period_rows(store, since, until)
    report = month_end_report(store, rows, since, until, generated, undated, tick)
    written: list[Written] = []
    if csv:
        written += export_table(store, rows, csv, lines_csv)
    if pdf:
        if pdf_writer is None:
            raise ReportFileError("no PDF renderer is available")
        written.append(Written(Path(pdf), "pages", pdf_writer(report, Path(pdf))))
    return written

