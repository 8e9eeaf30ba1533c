"""Credit notes read as credit notes before they are sent (issue 22): a negative Autotask total is
shown in the detail pane, the sync question and the month-end PDF as a credit note of the positive
amount, with its currency."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt

import pytest

from depot_gui.store.db import InvoiceRow
from depot_gui.sync.reports.month_end import month_end_report
from depot_gui.sync.session.session import Session
from depot_gui.ui.dialogs.batch_confirm import batch_question, sync_title
from depot_gui.ui.reports.pdf import report_html

from ..ties import write_ties
from .conftest import close_window, open_window, temp_qsettings  # noqa: F401 - the window fixtures

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


@pytest.fixture
def ties_window(qtbot, tmp_path):
    session = Session.open(tmp_path / "data", write_ties(tmp_path))
    win = open_window(qtbot, session, rows=2)
    yield win
    close_window(qtbot, win)
    session.close()


def test_the_detail_pane_names_a_credit_note_with_its_amount_and_currency(ties_window, qtbot):
    win = ties_window
    assert win.invoices.select_number("INV-7002")
    qtbot.waitUntil(lambda: win.detail.row is not None and win.detail.row.invoice_number == "INV-7002")
    header = win.detail.header
    assert header.title.text() == "Credit note INV-7002 · Acme Dental Group"
    assert header.figures["autotask"].text() == "AUD -85.06"
    assert header.figures["xero"].text() == "credit note AUD 85.06"
    assert header.verdict.text() == ("Ready to sync as a credit note: Xero will hold a credit note of AUD 85.06 "
                                     "(Autotask's total is AUD -85.06), exactly Autotask's amount.")
    assert win.invoices.select_number("INV-7001")  # an invoice stays an invoice
    qtbot.waitUntil(lambda: win.detail.row.invoice_number == "INV-7001")
    assert header.title.text() == "INV-7001 · Acme Dental Group"
    assert header.figures["xero"].text() == "AUD 101.22"


def test_the_sync_question_names_the_credit_note_with_its_currency(ties_window):
    rows = sorted(ties_window.rows(), key=lambda r: r.invoice_number)
    question, details = batch_question(rows, [])
    assert question == "Send 1 invoice and 1 credit note to Xero?"
    assert details.split("\n") == [
        "INV-7001  Acme Dental Group  AUD 101.22",
        "INV-7002  Acme Dental Group  credit note AUD 85.06",
        "Total AUD 16.16: invoices AUD 101.22 less credit notes AUD 85.06",
    ]


def test_the_totals_of_the_question_stay_apart_per_currency():
    def row(i: int, total: str, currency: str) -> InvoiceRow:
        return InvoiceRow(i, f"INV-{i}", "Acme", "2026-11-01", total, total, "0.00", "0.00", "ready", [], "", None,
                          None, None, False, "", currency=currency)

    _, details = batch_question([row(1, "1200.00", "AUD"), row(2, "-50.00", "NZD")], [])
    assert details.split("\n") == ["INV-1  Acme  AUD 1,200.00", "INV-2  Acme  credit note NZD 50.00",
                                   "Total AUD 1,200.00", "Total of the credit notes NZD 50.00"]


def test_the_sync_progress_names_invoices_and_credit_notes_apart(ties_window, qtbot):
    """The strip's title said "Syncing 200 ready invoices" when 8 were credit notes (issue 22)."""
    win = ties_window
    win.ask = lambda box: True
    win.commands.act_sync_all.trigger()
    assert win.status.progress.label.text() == "Syncing 1 ready invoice and 1 credit note to Xero"
    qtbot.waitUntil(lambda: not win.ops.busy, timeout=60000)

    def row(i: int, total: str) -> InvoiceRow:
        return InvoiceRow(i, f"INV-{i}", "Acme", "2026-11-01", total, total, "0.00", "0.00", "ready", [], "", None,
                          None, None, False, "", currency="AUD")

    rows = [row(i, "-10.00" if i % 25 == 0 else "10.00") for i in range(1, 201)]
    assert sync_title(rows) == "Syncing 192 ready invoices and 8 credit notes to Xero"
    assert sync_title(rows[:3]) == "Syncing 3 ready invoices to Xero"
    assert sync_title([rows[24]]) == "Syncing 1 ready credit note to Xero"


def test_the_month_end_pdf_says_which_ready_document_is_a_credit_note(ties_window):
    store = ties_window.session.store
    report = month_end_report(store, store.invoices(), date(2026, 1, 1), date(2026, 12, 31), "2026-11-30T10:00")
    html = report_html(report)
    assert ("<tr><td>INV-7002</td><td>Acme Dental Group</td><td>2026-11-01</td><td>Credit&nbsp;note</td>"
            "<td class=n>AUD&nbsp;-85.06</td>") in html
    assert "<td>INV-7001</td><td>Acme Dental Group</td><td>2026-11-01</td><td>Invoice</td>" in html
    assert "A negative Autotask total goes to Xero as a credit note of the positive amount." in html


def table(model) -> list[list[str]]:
    return [[model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]] + [
        [model.index(r, c).data() for c in range(model.columnCount())] for r in range(model.rowCount())]


def test_a_credit_notes_lines_show_what_xero_holds_next_to_what_autotask_has(ties_window, qtbot):
    """The header says Xero holds a credit note of AUD 85.06: its lines are positive in Xero, as the columns
    headed 'Xero credit note' say; Autotask's columns keep Autotask's negative amounts (issue 22)."""
    win = ties_window
    assert win.invoices.select_number("INV-7002")
    qtbot.waitUntil(lambda: win.detail.row is not None and win.detail.row.invoice_number == "INV-7002")
    assert table(win.detail.line_model) == [
        ["Item", "Autotask\nqty × rate", "Autotask\namount + tax", "Xero credit note\nqty × unit",
         "Xero credit note\namount + tax", "Check"],
        ["Tie 9711", "3 × -19.995", "-59.99 + -9.00", "3 × 19.995", "59.99 + 9.00", "ok"],
        ["Tie 9712", "1 × -14.28", "-14.28 + -1.79", "1 × 14.28", "14.28 + 1.79", "ok"],
        ["Total (incl. tax)", "—", "-85.06", "—", "85.06", "equal"],
    ]
    assert win.detail.lines_heading.text() == ("Line by line: Autotask billing items and the lines of the Xero credit "
                                               "note we would send (amounts in AUD; a credit note's lines are positive "
                                               "in Xero)")
    assert win.invoices.select_number("INV-7001")  # an invoice's lines keep the plain headings and signs
    qtbot.waitUntil(lambda: win.detail.row.invoice_number == "INV-7001")
    assert table(win.detail.line_model)[0][3:5] == ["Xero\nqty × unit", "Xero\namount + tax"]
    assert table(win.detail.line_model)[-1][4] == "101.22"


def test_a_credit_notes_negative_quantity_and_positive_line_as_the_credit_note_carries_them():
    """Xero's credit note (``XeroDraft.payload``): a negative quantity moves its sign to the unit price, which
    the credit note negates; a line that adds to the credit (a fee) is negative on it."""
    from decimal import Decimal as D

    from depot_gui.core.audit import AuditResult, LineComparison
    from depot_gui.ui.models.line_table import rows_for

    lines = (LineComparison(1, "Refund", D("-2"), D("50"), D("-100"), D("-10"), D("-2"), D("50"), D("-100"), D("-10")),
             LineComparison(2, "Fee", D("1"), D("20"), D("20"), D("2"), D("1"), D("20"), D("20"), D("2")))
    result = AuditResult(9, "CN-9", "Acme", "ready", D("-88"), D("-88"), D("0"), D("0"), D("3"), lines=lines)
    assert [r.values[4:] for r in rows_for(result)] == [
        (D("2"), D("50"), D("100"), D("10")), (D("1"), D("-20"), D("-20"), D("-2")), (None, None, D("88"), None)]
    assert [r.values[:4] for r in rows_for(result)][:2] == [(D("-2"), D("50"), D("-100"), D("-10")),
                                                            (D("1"), D("20"), D("20"), D("2"))]
