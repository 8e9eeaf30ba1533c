"""A credit note in Xero, approved, in the window: the pane says it is not sent from Xero because it is a credit
note (as depot-sync send says), offers no Send from Xero… button, and the Sent column shows "—", not "Not sent"
(pytest-qt, the real window on the ties scenario: INV-7002 is a credit of 85.06)."""

from __future__ import annotations

import pytest

from depot_gui.ui.models.invoice_table import Col

from tests.ties import write_ties
from depot_gui.sync.session.session import Session

from tests.ui.conftest import close_window, open_window, temp_qsettings  # noqa: F401 - the window fixtures

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


def cell(win, number, col):
    model = win.invoices.model
    return model.index(model.source_row(next(r.autotask_id for r in win.rows() if r.invoice_number == number)), col).data()


def synced(win, qtbot, number):
    assert win.invoices.select_number(number)
    qtbot.waitUntil(lambda: win.detail.row is not None and win.detail.row.invoice_number == number)
    win.detail.sync_button.click()
    qtbot.waitUntil(lambda: not win.ops.busy and cell(win, number, Col.STATUS) == "Synced", timeout=30000)
    qtbot.waitUntil(lambda: win.detail.row is not None and win.detail.row.status == "synced")


@pytest.fixture
def window(qtbot, tmp_path):
    """The window on the ties scenario with new Xero invoices approved; INV-7002 (the credit) synced."""
    session = Session.open(tmp_path / "data", write_ties(tmp_path))
    session.set_settings({"xero_status": "approved", "send_from_xero": "email"})
    win = open_window(qtbot, session, rows=2)
    synced(win, qtbot, "INV-7002")
    yield win
    close_window(qtbot, win)
    session.close()


def test_an_approved_credit_note_says_why_it_is_not_sent_and_offers_no_send_button(window):
    assert window.detail.row.xero_status == "AUTHORISED"
    assert window.detail.finishing.sent.text() == "Not sent: a credit note; only invoices are sent from Xero."
    assert window.detail.finishing.send_button.isHidden()
    assert cell(window, "INV-7002", Col.SENT) == "\u2014"


def test_an_approved_invoice_beside_it_can_be_sent(window, qtbot):
    synced(window, qtbot, "INV-7001")
    assert window.detail.finishing.sent.text() == "Not sent from Xero yet."
    assert window.detail.finishing.send_button.isVisibleTo(window.detail)
    assert window.detail.finishing.send_button.isEnabled()
    assert cell(window, "INV-7001", Col.SENT) == "Not sent"
