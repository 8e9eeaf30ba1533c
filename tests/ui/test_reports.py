"""The month-end PDF (Qt printing) from the CLI, and File › Export… / Month-end report in the window."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFileDialog

from depot_gui.cli.commands import main as cli
from depot_gui.sync.reports.month_end import month_end_report, period_rows
from depot_gui.sync.session.session import Session
from depot_gui.ui.models.invoice_table import Col
from depot_gui.ui.reports.actions import PeriodDialog, last_full_month
from depot_gui.ui.reports.pdf import build_document

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")
NOV = (date(2026, 11, 1), date(2026, 11, 30))
# Text the first pages must carry (no words Qt sets with ligatures, so pdftotext reads them back alike).
EXPECTED_TEXT = [
    "Month-end report: Autotask to Xero", "Invoice dates 2026-11-01 to 2026-11-30", "Invoices by status",
    "INV-5002 — Bluegum Legal — Mismatch", "4,177.80", "INV-5004 — Acme Dental Group — Mismatch", "137.50",
    "Synced to Xero", "Ready, not yet in Xero", "Harbour Logistics Pty Ltd",
]


def pdf_pages(data: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![A-Za-z])", data))


@pytest.fixture(scope="module")
def synced_dir(tmp_path_factory, demo_scenario):
    """The demo tenant audited, INV-5005 synced."""
    d = tmp_path_factory.mktemp("pdf") / "data"
    assert cli(["--data-dir", str(d), "--sandbox", str(demo_scenario), "sync", "INV-5005"]) == 0
    assert cli(["--data-dir", str(d), "--sandbox", str(demo_scenario), "audit"]) == 0
    return d


def test_cli_writes_the_month_end_pdf(synced_dir, tmp_path, capsys):
    capsys.readouterr()
    pdf = tmp_path / "november.pdf"
    code = cli(["--data-dir", str(synced_dir), "report", "--since", "2026-11-01", "--until", "2026-11-30", "--pdf", str(pdf)])
    assert code == 0
    assert capsys.readouterr().out.splitlines() == [f"Wrote {pdf} (pages: 2)"]
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-") and pdf_pages(data) == 2
    with Session.open(synced_dir) as s:
        rows, _ = period_rows(s.store, *NOV)
        text = build_document(month_end_report(s.store, rows, *NOV, "now")).toPlainText()
    sources = [" ".join(text.split())]
    if shutil.which("pdftotext"):  # the PDF's own text too, where poppler is installed
        sources.append(" ".join(subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                                               check=True).stdout.split()))
    for source in sources:
        missing = [t for t in EXPECTED_TEXT if t not in source]
        assert missing == []
        assert re.search(r"INV-5005 Bluegum Legal 2026-11-01 Invoice AUD 110\.00 INV-5005 20\d\d-\d\d-\d\d —", source)


def test_window_export_writes_what_the_table_shows(window, qtbot, tmp_path, monkeypatch):
    win = window
    asked = []

    def fake_save(parent, title, suggested, filt):
        asked.append((title, filt))
        return str(tmp_path / "shown"), filt

    monkeypatch.setattr(QFileDialog, "getSaveFileName", fake_save)
    win.invoices.status_filter.setCurrentIndex(win.invoices.status_filter.findData("mismatch"))
    win.invoices.view.sortByColumn(Col.AUTOTASK_TOTAL, Qt.SortOrder.DescendingOrder)
    win.reports.act_export.trigger()
    qtbot.waitUntil(lambda: win.reports.current is None and (tmp_path / "shown.csv").exists(), timeout=20000)
    assert asked == [("Export invoices as CSV", "CSV files (*.csv)")]
    rows = (tmp_path / "shown.csv").read_text(encoding="utf-8-sig").splitlines()
    assert [r.split(",")[0] for r in rows[1:]] == ["INV-5002", "INV-5004"]
    lines = (tmp_path / "shown-lines.csv").read_text(encoding="utf-8-sig").splitlines()
    assert [r.split(",")[1] for r in lines[1:]] == ["9003", "9005", "9009", "9010"]
    assert win.status.currentMessage() == "Saved shown.csv (2 invoices) and shown-lines.csv (4 lines)."


def test_window_month_end_report(window, qtbot, tmp_path, monkeypatch):
    win = window
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: (str(tmp_path / "nov.pdf"), "PDF files (*.pdf)"))
    monkeypatch.setattr(PeriodDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    monkeypatch.setattr(PeriodDialog, "period", lambda self: NOV)
    win.reports.act_month_end.trigger()
    assert not win.reports.act_export.isEnabled()  # one report at a time
    qtbot.waitUntil(lambda: win.reports.current is None, timeout=30000)
    assert pdf_pages((tmp_path / "nov.pdf").read_bytes()) == 2
    assert win.status.currentMessage() == "Saved nov.pdf (2 pages)."
    assert win.reports.act_export.isEnabled()


def test_cancelled_save_dialog_writes_nothing_and_a_bad_folder_is_one_sentence(window, qtbot, tmp_path, monkeypatch):
    win, out = window, tmp_path / "out"
    out.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: ("", ""))
    assert win.reports.export() is None and win.reports.month_end(period=NOV) is None
    assert list(out.iterdir()) == []
    win.reports.export(str(out / "gone" / "x.csv"))
    qtbot.waitUntil(lambda: win.reports.current is None, timeout=20000)
    assert win.banner.isVisible() and list(out.iterdir()) == []
    assert f"Export: Cannot write {out / 'gone' / 'x.csv'}: the folder {out / 'gone'} does not exist." in win.banner.text()


def test_month_end_period_follows_the_lists_date_range(window):
    lst = window.invoices
    lst.date_from.setDate(date(2026, 11, 1))
    lst.date_to.setDate(date(2026, 11, 15))
    lst.date_check.setChecked(True)
    assert window.reports._default_period() == (date(2026, 11, 1), date(2026, 11, 15))


def test_period_dialog_defaults_to_the_last_full_month(qtbot):
    assert last_full_month(date(2026, 3, 15)) == (date(2026, 2, 1), date(2026, 2, 28))
    assert last_full_month(date(2026, 1, 1)) == (date(2025, 12, 1), date(2025, 12, 31))
    dialog = PeriodDialog(date(2026, 11, 30), date(2026, 11, 1))
    qtbot.addWidget(dialog)
    assert dialog.period() == (date(2026, 11, 1), date(2026, 11, 30))  # given backwards, read in order


def test_window_export_to_a_fifo_is_one_sentence_and_a_symlink_is_written_through(window, qtbot, tmp_path):
    import os
    import stat

    win = window
    pipe = tmp_path / "pipe.csv"
    os.mkfifo(pipe)
    win.reports.export(str(pipe))
    qtbot.waitUntil(lambda: win.reports.current is None, timeout=20000)
    assert f"Export: {pipe} is a named pipe (FIFO), not a file; give a file name to write." in win.banner.text()
    assert stat.S_ISFIFO(os.lstat(pipe).st_mode) and sorted(p.name for p in tmp_path.iterdir()) == ["data", "pipe.csv"]
    real = tmp_path / "real.pdf"
    link = tmp_path / "link.pdf"
    link.symlink_to(real)
    win.reports.month_end(str(link), period=NOV)
    qtbot.waitUntil(lambda: win.reports.current is None, timeout=30000)
    assert link.is_symlink() and pdf_pages(real.read_bytes()) == 2
