"""The invoice table's columns are fitted once, on the first rows: the columns that fill in only after a sync,
a send or a payments check are made wide enough then for what they will show (pytest-qt, the real window)."""

from __future__ import annotations

import re

import pytest

from depot_gui.ui.models.invoice_table import Col

from tests.ui.conftest import demo_session, temp_qsettings, window  # noqa: F401 - the window fixtures

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


def cell(win, number, col):
    model = win.invoices.model
    return model.index(model.source_row(next(r.autotask_id for r in win.rows() if r.invoice_number == number)), col).data()


def test_the_synced_column_shows_the_whole_time_after_the_first_sync(window, qtbot):
    header, view = window.invoices.view.horizontalHeader(), window.invoices.view
    assert cell(window, "INV-5003", Col.SYNCED_AT) == "—"  # fitted while nothing was synced yet
    assert window.invoices.select_number("INV-5003")
    qtbot.waitUntil(lambda: window.detail.row is not None and window.detail.row.invoice_number == "INV-5003")
    window.detail.sync_button.click()
    qtbot.waitUntil(lambda: not window.ops.busy and cell(window, "INV-5003", Col.STATUS) == "Synced", timeout=30000)
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", cell(window, "INV-5003", Col.SYNCED_AT))
    window.invoices.columns.show_column(Col.SYNCED_AT, True)  # hidden at first in a narrow list (columns.py)
    # the column was not fitted again, yet the time fits it whole ("2026-12…" before)
    assert header.sectionSize(Col.SYNCED_AT) >= view.sizeHintForColumn(Col.SYNCED_AT)

