"""File › Export… and File › Month-end report (PDF)…: native save dialogs, the work on a worker.

Export writes what the invoice table shows (its filter and its order) and, beside it, each of
those invoices' line-by-line comparison. The month-end report asks for the invoice dates
(the last full month by default) and prints the PDF through Qt. Both only read the local store.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QDate, QObject, QSettings, QStandardPaths, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDateEdit, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QWidget

from depot_gui.store.db import InvoiceRow
from depot_gui.sync.reports.files import export_table, period_reports

from depot_gui.ui.dialogs.errors import friendly_message
from depot_gui.ui.ops.workers import Op

log = logging.getLogger("depot_gui.ui")

LAST_DIR_KEY = "reports/last_dir"
SaveAs = Callable[[str, str, str], str]  # (title, suggested path, filter) -> chosen path or ""


def native_save_as(parent: QWidget) -> SaveAs:
    def ask(title: str, suggested: str, filt: str) -> str:
        return QFileDialog.getSaveFileName(parent, title, suggested, filt)[0]

    return ask


def last_full_month(today: date) -> tuple[date, date]:
    first = today.replace(day=1)
    end = first - timedelta(days=1)
    return end.replace(day=1), end


class PeriodDialog(QDialog):
    """The invoice dates of the month-end report (from, to), the last full month at first."""

    def __init__(self, since: date, until: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Month-end report")
        form = QFormLayout(self)
        self.since = QDateEdit(QDate(since.year, since.month, since.day), calendarPopup=True)
        self.until = QDateEdit(QDate(until.year, until.month, until.day), calendarPopup=True)
        for edit in (self.since, self.until):
            edit.setDisplayFormat("yyyy-MM-dd")
        form.addRow("Invoice dates &from:", self.since)
        form.addRow("&to:", self.until)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Choose file…")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def period(self) -> tuple[date, date]:
        a, b = self.since.date().toPython(), self.until.date().toPython()
        return (a, b) if a <= b else (b, a)


class ReportActions(QObject):
    """The two File-menu actions over the window's session and invoice list.

    Signals:
        finished_message(str): which files were written (status bar).
        failed(str, str): title and one-sentence reason.
    """

    finished_message = Signal(str)
    failed = Signal(str, str)

    def __init__(self, window: QWidget, session, invoice_list, save_as: SaveAs | None = None) -> None:
        super().__init__(window)
        self.window, self.session, self.list = window, session, invoice_list
        self.save_as = save_as or native_save_as(window)
        self.current: Op | None = None
        self.act_export = QAction("&Export…", window)
        self.act_export.setShortcut(QKeySequence("Ctrl+E"))
        self.act_export.setStatusTip("Save the invoices the list shows, and their lines, as CSV for a spreadsheet")
        self.act_export.triggered.connect(lambda: self.export())
        self.act_month_end = QAction("&Month-end report (PDF)…", window)
        self.act_month_end.setShortcut(QKeySequence("Ctrl+P"))
        self.act_month_end.setStatusTip("A printable report of a period's invoices: counts, mismatches, what is in Xero")
        self.act_month_end.triggered.connect(lambda: self.month_end())

    def shown_rows(self) -> list[InvoiceRow]:
        """The rows the table shows, in its order (its filter and sort)."""
        return self.list.model.shown_rows()

    # ------------------------------------------------------------------ actions
    def export(self, path: str | None = None) -> Op | None:
        rows = self.shown_rows()
        path = path or self._ask("Export invoices as CSV", f"invoices-{date.today().isoformat()}.csv",
                                 "CSV files (*.csv)", ".csv")
        if not path:
            return None
        store = self.session.store

        def work(cancel, progress):
            return export_table(store, rows, path, tick=self._tick(cancel, progress, "Reading invoice"))

        return self._run(work, "Exporting invoices", "Export")

    def month_end(self, path: str | None = None, period: tuple[date, date] | None = None) -> Op | None:
        if period is None:
            dialog = PeriodDialog(*self._default_period(), parent=self.window)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            period = dialog.period()
        since, until = period
        path = path or self._ask("Save the month-end report", f"month-end-{since.isoformat()}-to-{until.isoformat()}.pdf",
                                 "PDF files (*.pdf)", ".pdf")
        if not path:
            return None
        store = self.session.store

        def work(cancel, progress):
            from depot_gui.ui.reports.pdf import write_pdf

            return period_reports(store, since, until, pdf=path, pdf_writer=write_pdf,
                                  tick=self._tick(cancel, progress, "Reading invoice"))

        return self._run(work, "Writing the month-end report", "Month-end report")

    # ------------------------------------------------------------------ helpers
    def _default_period(self) -> tuple[date, date]:
        """The list's date range when it filters by date, else the last full month."""
        lst = self.list
        if getattr(lst, "date_check", None) is not None and lst.date_check.isChecked():
            return lst.date_from.date().toPython(), lst.date_to.date().toPython()
        return last_full_month(date.today())

    def _ask(self, title: str, name: str, filt: str, suffix: str) -> str:
        folder = QSettings().value(LAST_DIR_KEY) or QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation)
        chosen = self.save_as(title, str(Path(str(folder)) / name), filt)
        if not chosen:
            return ""
        if not Path(chosen).suffix:
            chosen += suffix
        QSettings().setValue(LAST_DIR_KEY, str(Path(chosen).parent))
        return chosen

    @staticmethod
    def _tick(cancel, progress, what: str):
        def tick(done: int, total: int) -> None:
            cancel.check()
            progress(f"{what} {done} of {total}", done, total)

        return tick

    def _run(self, work, label: str, title: str) -> Op:
        def done(written) -> None:  # each file once: "Saved a.csv (2 invoices) and a-lines.csv (4 lines)."
            names = [f"{w.path.name} ({w.count} {w.what})" for w in written]
            self.finished_message.emit("Saved " + " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1
                                                               else names) + ".")

        def failed(exc: BaseException) -> None:
            log.error("%s failed", title, exc_info=(type(exc), exc, exc.__traceback__))
            self.failed.emit(title, friendly_message(exc))

        def finished() -> None:
            self.current = None
            self._enable(True)

        self._enable(False)
        self.current = Op(self.window, work).success(done).failure(failed).finally_(finished)
        return self.current.with_progress(label, cancellable=True).run()

    def _enable(self, on: bool) -> None:
        self.act_export.setEnabled(on)
        self.act_month_end.setEnabled(on)
