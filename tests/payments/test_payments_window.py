"""Payments back in the window: a menu action runs the check in a worker; table, pane and banner show it."""

from __future__ import annotations

import pytest

from depot_gui.sync.payments.payments_back import READ_ONLY_MESSAGE
from depot_gui.ui.models.invoice_table import Col

from ..ui.conftest import demo_session, temp_qsettings, window  # noqa: F401 - the window fixtures

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


def cell(win, number, col):
    model = win.invoices.model
    return model.index(model.source_row(next(r.autotask_id for r in win.rows() if r.invoice_number == number)), col).data()


def sync(win, qtbot, number):
    assert win.invoices.select_number(number)
    qtbot.waitUntil(lambda: win.detail.row is not None and win.detail.row.invoice_number == number)
    win.detail.sync_button.click()
    qtbot.waitUntil(lambda: not win.ops.busy and cell(win, number, Col.STATUS) == "Synced", timeout=30000)
    qtbot.waitUntil(lambda: win.detail.row.status == "synced")  # the pane reads it again in a turn of its own


def test_check_payments_fills_the_column_and_the_pane(window, qtbot):
    win = window
    win.session.set_setting("xero_status", "authorised")
    sync(win, qtbot, "INV-5005")
    sync(win, qtbot, "INV-5001")
    win.session.sandbox.pay_invoice("INV-5005", on="2026-11-19")
    assert cell(win, "INV-5005", Col.PAYMENT) == ""
    assert win.commands.act_payments.isEnabled()
    win.commands.act_payments.trigger()
    assert win.ops.busy  # a worker, not the UI thread
    qtbot.waitUntil(lambda: not win.ops.busy, timeout=30000)
    assert (cell(win, "INV-5005", Col.PAYMENT), cell(win, "INV-5001", Col.PAYMENT), cell(win, "INV-5002", Col.PAYMENT)) \
        == ("Paid", "Overdue", "")
    assert win.status.currentMessage() == ("Payments checked for 2 invoices: 1 paid, 1 overdue. "
                                           "Autotask paid date written for 1.")
    assert win.invoices.select_number("INV-5005")
    qtbot.waitUntil(lambda: win.detail.row is not None and win.detail.row.invoice_number == "INV-5005")
    assert win.detail.payment.isVisible()
    assert win.detail.payment.text().startswith(
        "Payment: Paid in full in Xero on 2026-11-19. Autotask's paid date set to 2026-11-19. (Checked ")
    assert not win.banner.isVisible() or win.banner.property("kind") != "payments"


def test_read_only_paid_date_is_said_in_the_window(window, qtbot):
    win = window
    win.session.set_setting("xero_status", "authorised")
    sync(win, qtbot, "INV-5005")
    win.session.sandbox.set_option("autotask_paid_date_writable", False)
    win.session.sandbox.pay_invoice("INV-5005")
    win.commands.act_payments.trigger()
    qtbot.waitUntil(lambda: not win.ops.busy, timeout=30000)
    assert win.banner.isVisible() and win.banner.property("kind") == "payments"
    assert win.banner.text() == READ_ONLY_MESSAGE
    assert cell(win, "INV-5005", Col.PAYMENT) == "Paid"


def test_a_refresh_checks_payments_when_on_and_not_when_off(window, qtbot):
    win = window
    win.session.set_setting("xero_status", "authorised")
    sync(win, qtbot, "INV-5005")
    win.session.sandbox.pay_invoice("INV-5005")
    win.session.set_setting("payments_back", "off")
    win.commands.act_refresh.trigger()
    qtbot.waitUntil(lambda: not win.ops.busy, timeout=30000)
    assert cell(win, "INV-5005", Col.PAYMENT) == ""
    win.session.set_setting("payments_back", "on")
    win.commands.act_refresh.trigger()
    qtbot.waitUntil(lambda: not win.ops.busy and cell(win, "INV-5005", Col.PAYMENT) == "Paid", timeout=30000)
