"""The window on the packaged demo: the Currency column, every amount with its currency in the detail pane,
and the exchange rate setting previewed there."""

from __future__ import annotations

import pytest

from depot_gui.sync.session.session import Session
from depot_gui.ui.models.invoice_table import Col

from ..conftest import PACKAGED_DEMO_PATH
from .conftest import close_window, open_window

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


def cell(win, number, col):
    model = win.invoices.model
    return model.index(model.source_row(next(r.autotask_id for r in win.rows() if r.invoice_number == number)), col).data()


def show(win, qtbot, number):
    assert win.invoices.select_number(number)
    qtbot.waitUntil(lambda: win.detail.row is not None and win.detail.row.invoice_number == number)


def test_the_nzd_invoice_shows_its_currency_and_the_rate_it_goes_at(qtbot, tmp_path):
    with Session.open(tmp_path / "d", PACKAGED_DEMO_PATH) as session:
        win = open_window(qtbot, session, rows=6)
        try:
            assert [cell(win, n, Col.CURRENCY) for n in ("INV-5001", "INV-5006")] == ["AUD", "NZD"]
            assert cell(win, "INV-5006", Col.AUTOTASK_TOTAL) == "455.95"
            show(win, qtbot, "INV-5006")
            figures = {k: v.text() for k, v in win.detail.figures.items()}
            assert figures == {"autotask": "NZD 455.95", "xero": "NZD 455.95", "difference": "NZD 0.00",
                               "tolerance": "NZD 3.00"}
            assert win.detail.where.text() == (
                "Xero organisation: Acme MSP Pty Ltd · sent in NZD, not converted; Xero converts to AUD at Xero's "
                "rate of the day (Autotask's rate: 1 AUD = 1.085 NZD). Settings › Audit & sync › Exchange rate chooses which rate.")
            assert win.detail.lines_heading.text().endswith("(amounts in NZD)")
            show(win, qtbot, "INV-5001")
            assert win.detail.where.text() == "Xero organisation: Acme MSP Pty Ltd · AUD."
        finally:
            close_window(qtbot, win)


def test_with_autotask_s_rate_chosen_the_pane_says_so(qtbot, tmp_path):
    with Session.open(tmp_path / "d", PACKAGED_DEMO_PATH) as session:
        session.set_setting("exchange_rate", "autotask")
        win = open_window(qtbot, session, rows=6)
        try:
            show(win, qtbot, "INV-5006")
            assert "at Autotask's exchange rate, 1 AUD = 1.085 NZD" in win.detail.where.text()
        finally:
            close_window(qtbot, win)
