"""Send from Xero… in the window: the Sent column, the question naming recipients, the batch total, the
online invoice link with Copy (pytest-qt, the real window on the demo sandbox)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QItemSelectionModel
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from depot_gui.ui.models.invoice_table import Col

from tests.finish_month.send_helpers import emails, give_email
from tests.ui.conftest import demo_session, temp_qsettings, window  # noqa: F401 - the window fixtures

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


def cell(win, number, col):
    model = win.invoices.model
    return model.index(model.source_row(next(r.autotask_id for r in win.rows() if r.invoice_number == number)), col).data()


def show(win, qtbot, number):
    assert win.invoices.select_number(number)
    qtbot.waitUntil(lambda: win.detail.row is not None and win.detail.row.invoice_number == number)


def sync(win, qtbot, number):
    show(win, qtbot, number)
    win.detail.sync_button.click()
    qtbot.waitUntil(lambda: not win.ops.busy and cell(win, number, Col.STATUS) == "Synced", timeout=30000)
    qtbot.waitUntil(lambda: win.detail.row.status == "synced")  # the pane reads it again in a turn of its own


def select_numbers(win, numbers):
    view, proxy = win.invoices.view, win.invoices.proxy
    view.clearSelection()
    for row in range(proxy.rowCount()):
        if proxy.index(row, Col.NUMBER).data() in numbers:
            view.selectionModel().select(proxy.index(row, 0), QItemSelectionModel.SelectionFlag.Select
                                         | QItemSelectionModel.SelectionFlag.Rows)


def question(win, qtbot) -> QMessageBox:
    qtbot.waitUntil(lambda: win.sending.box is not None and win.sending.box.isVisible(), timeout=30000)
    return win.sending.box


def press(box: QMessageBox, role: QMessageBox.ButtonRole) -> None:
    next(b for b in box.buttons() if box.buttonRole(b) == role).click()


@pytest.fixture
def approved(window, qtbot):
    """INV-5001 (Acme, with an email address) and INV-5003 (Harbour) approved in Xero; send_from_xero email."""
    win = window
    win.session.set_settings({"xero_status": "approved", "send_from_xero": "email"})
    sync(win, qtbot, "INV-5001")
    sync(win, qtbot, "INV-5003")
    give_email(win.session, "Acme Dental Group", "accounts@acme.example")
    return win


def test_send_asks_naming_the_recipient_then_the_row_shows_sent(approved, qtbot):
    win = approved
    assert (cell(win, "INV-5001", Col.SENT), cell(win, "INV-5002", Col.SENT)) == ("Not sent", "—")
    show(win, qtbot, "INV-5001")
    assert win.detail.finishing.send_button.isEnabled() and win.sending.act_send.isEnabled()
    assert win.detail.finishing.sent.text() == "Not sent from Xero yet."
    win.detail.finishing.send_button.click()
    box = question(win, qtbot)
    assert box.text() == "Email 1 invoice from Xero?"
    assert box.informativeText().splitlines()[:3] == [
        "INV-5001  Acme Dental Group  AUD 1,633.50  to accounts@acme.example",
        "Total AUD 1,633.50 (1 invoice)",
        "Xero emails each invoice to the addresses named and marks it sent."]
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.Cancel)
    assert emails(win.session) == []  # nothing is sent before the answer
    press(box, QMessageBox.ButtonRole.AcceptRole)
    qtbot.waitUntil(lambda: not win.ops.busy and cell(win, "INV-5001", Col.SENT) == "Sent", timeout=30000)
    assert win.status.currentMessage() == (
        "Emailed from Xero: 1 of 1 invoice. Invoice emails left today: 999 of Xero's 1,000 a day for this "
        "organisation (emails sent from Xero itself count too).")
    assert emails(win.session) == [("INV-5001", ["accounts@acme.example"])]
    qtbot.waitUntil(lambda: win.detail.finishing.sent.text().startswith("Sent: emailed by Xero to its contact ("))
    assert not win.detail.finishing.send_button.isEnabled()
    assert not win.sending.act_send.isEnabled()


def test_a_batch_confirms_once_with_the_count_and_the_total_and_cancel_sends_nothing(approved, qtbot):
    win = approved
    give_email(win.session, "Harbour Logistics Pty Ltd", "ap@harbour.example")
    select_numbers(win, {"INV-5001", "INV-5003", "INV-5002"})
    assert win.sending.act_send.isEnabled()
    win.sending.act_send.trigger()
    box = question(win, qtbot)
    assert box.text() == "Email 2 invoices from Xero?"
    assert [b.text() for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.AcceptRole] == [
        "Email 2 invoices"]
    assert box.informativeText().splitlines()[:3] == [
        "INV-5001  Acme Dental Group  AUD 1,633.50  to accounts@acme.example",
        "INV-5003  Harbour Logistics Pty Ltd  AUD 2,970.00  to ap@harbour.example",
        "Total AUD 4,603.50 (2 invoices)"]
    press(box, QMessageBox.ButtonRole.RejectRole)
    qtbot.waitUntil(lambda: win.status.currentMessage() == "Send from Xero cancelled: nothing was sent.")
    assert emails(win.session) == []
    assert (cell(win, "INV-5001", Col.SENT), cell(win, "INV-5003", Col.SENT)) == ("Not sent", "Not sent")


def test_a_contact_without_an_address_is_named_and_not_sent(approved, qtbot):
    win = approved
    show(win, qtbot, "INV-5003")
    win.detail.finishing.send_button.click()
    box = question(win, qtbot)
    assert box.text() == "No invoice can be emailed"
    assert box.informativeText().splitlines()[:4] == [
        "Not sent:",
        "The Xero contact Harbour Logistics Pty Ltd has no email address, so INV-5003 is not sent: add one to "
        "the contact in Xero, or mark the invoice as sent instead.",
        "To mark an invoice as sent instead, without an email: Settings › Finishing the month › Send approved "
        "invoices from Xero: Only mark them as sent in Xero, then Send from Xero… again.",
        ""]
    box.accept()
    qtbot.waitUntil(lambda: not win.ops.busy)
    assert emails(win.session) == []


def test_where_to_mark_as_sent_names_what_the_settings_dialog_shows(qtbot, demo_session):
    """The Send from Xero box and the detail pane say where to mark an invoice as sent (issue 22): the tab,
    the setting and the choice are those of the Settings dialog."""
    from depot_gui.store.db import InvoiceRow
    from depot_gui.ui.detail.finishing_view import sent_sentence
    from depot_gui.ui.dialogs.settings import SettingsDialog

    dialog = SettingsDialog(demo_session, "Connected to the sandbox.")
    qtbot.addWidget(dialog)
    tab = next(i for i in range(dialog.tabs.count()) if dialog.tabs.tabText(i) == "Finishing the month")
    form = dialog.tabs.widget(tab).layout()
    labels = [form.itemAt(i, form.ItemRole.LabelRole).widget().text() for i in range(form.rowCount())
              if form.itemAt(i, form.ItemRole.LabelRole) is not None]
    assert "Send approved invoices from Xero" in labels
    assert dialog.send_from_xero.itemText(2) == "Only mark them as sent in Xero"
    row = InvoiceRow(5001, "INV-5001", "Acme Dental Group", "2026-11-01", "1633.50", "1633.50", "0.00", "0.00",
                     "synced", [], "", "x-1", "AUTHORISED", None, False, "", currency="AUD")
    message = ("The Xero contact has no email address in Xero, so invoice INV-5001 was not sent: add one to the "
               "contact in Xero, or mark the invoice as sent instead.")
    assert sent_sentence(row, None, message) == (
        f"Not sent from Xero yet. {message} To mark an invoice as sent instead, without an email: Settings › "
        "Finishing the month › Send approved invoices from Xero: Only mark them as sent in Xero, then Send from "
        "Xero… again.")
    assert sent_sentence(row, None, "") == "Not sent from Xero yet."


def test_with_sending_off_the_window_says_where_to_turn_it_on(window, qtbot):
    win = window
    win.session.set_setting("xero_status", "approved")
    sync(win, qtbot, "INV-5001")
    win.detail.finishing.send_button.click()
    box = question(win, qtbot)
    assert box.objectName() == "send_off"
    assert box.text() == ("Sending from Xero is off: turn it on in Settings (Send approved invoices from Xero: "
                          "email, or mark as sent).")
    box.accept()


def test_the_online_invoice_link_is_shown_with_copy(approved, qtbot):
    win = approved
    row = next(r for r in win.rows() if r.invoice_number == "INV-5001")
    url = "https://in.xero.com/abcDEF123"
    win.session.store.finishing.record_online_url(row.autotask_id, row.xero_invoice_id, url)
    win.ops.rows_updated.emit([win.session.store.invoice(row.autotask_id)])
    show(win, qtbot, "INV-5001")
    f = win.detail.finishing
    assert f.link.isVisible() and f.link.text() == url
    f.copy_button.click()
    assert QGuiApplication.clipboard().text() == url
    assert win.status.currentMessage() == f"Online invoice link copied: {url}"
    assert f"Online invoice: {url}" in win.detail.text().splitlines()
    show(win, qtbot, "INV-5002")
    assert not f.link.isVisible() and not f.copy_button.isVisible() and not f.send_button.isVisible()


def test_a_draft_in_xero_cannot_be_sent(window, qtbot):
    win = window
    win.session.set_settings({"xero_status": "draft", "send_from_xero": "email"})
    sync(win, qtbot, "INV-5001")
    show(win, qtbot, "INV-5001")
    assert win.detail.finishing.send_button.isVisible() and not win.detail.finishing.send_button.isEnabled()
    assert not win.sending.act_send.isEnabled()
    assert win.detail.finishing.sent.text() == "Not sent: only invoices approved in Xero are sent from Xero."
    assert cell(win, "INV-5001", Col.SENT) == "Not sent"


def test_settings_turns_sending_on_and_a_value_set_from_the_cli_survives_ok(qtbot, demo_session):
    from PySide6.QtWidgets import QDialogButtonBox

    from depot_gui.ui.dialogs.settings import SettingsDialog

    demo_session.set_setting("send_from_xero", "mark_sent")
    dialog = SettingsDialog(demo_session, "Connected to the sandbox.")
    qtbot.addWidget(dialog)
    dialog.show()
    assert [dialog.send_from_xero.itemText(i) for i in range(dialog.send_from_xero.count())] == [
        "Off (finance sends them)", "Xero emails them, after you confirm", "Only mark them as sent in Xero"]
    assert dialog.send_from_xero.currentText() == "Only mark them as sent in Xero"
    dialog.send_from_xero.setCurrentIndex(1)
    with qtbot.waitSignal(dialog.settings_saved, timeout=5000) as saved:
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert saved.args == [["send_from_xero"]]
    assert demo_session.settings().send_from_xero == "EMAIL"


def test_the_finishing_tab_sets_numbering_prefix_and_the_pdf_and_refuses_a_prefix_scheme_without_one(
        qtbot, demo_session):
    from PySide6.QtWidgets import QDialogButtonBox

    from depot_gui.ui.dialogs.settings import SettingsDialog

    dialog = SettingsDialog(demo_session, "Connected to the sandbox.")
    qtbot.addWidget(dialog)
    dialog.show()
    assert [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())] == [
        "Audit && sync", "Finishing the month", "Connections"]
    dialog.show_connections()
    assert dialog.tabs.currentIndex() == 2
    dialog.numbering.setCurrentIndex(dialog.numbering.findData("autotask_prefix"))
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.isVisible() and dialog.error.text() == (
        "Xero invoice numbers: the prefix and Autotask's number needs a prefix; fill in \u201cPrefix before "
        "Autotask's invoice number\u201d (like AT-), or choose another numbering.")
    dialog.number_prefix.setText("AT-")
    dialog.attach_pdf.setChecked(True)
    with qtbot.waitSignal(dialog.settings_saved, timeout=5000) as saved:
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert saved.args == [["numbering", "number_prefix", "attach_autotask_pdf"]]
    s = demo_session.settings()
    assert (s.numbering, s.number_prefix, s.attach_autotask_pdf) == ("AUTOTASK_PREFIX", "AT-", True)


def test_the_demo_shows_an_approved_invoice_with_its_pdf_attached_and_marked_sent(window, qtbot):
    """Issue 24's demo: approved on creation, Autotask's PDF attached, the online link, then marked sent."""
    win = window
    win.commands.act_settings.trigger()
    dialog = win.settings_dialog
    dialog.xero_status.setCurrentIndex(dialog.xero_status.findData("approved"))
    dialog.attach_pdf.setChecked(True)
    dialog.send_from_xero.setCurrentIndex(dialog.send_from_xero.findData("mark_sent"))
    with qtbot.waitSignal(dialog.settings_saved, timeout=5000):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    sync(win, qtbot, "INV-5001")
    f = win.detail.finishing
    assert f.attachment.text() == "Autotask's PDF is attached in Xero (Invoice_INV-5001.pdf)."
    assert f.link.text().startswith("https://in.xero.com/") and f.copy_button.isVisible()
    f.send_button.click()
    box = question(win, qtbot)
    assert box.text() == "Mark 1 invoice as sent in Xero?"
    press(box, QMessageBox.ButtonRole.AcceptRole)
    qtbot.waitUntil(lambda: not win.ops.busy and cell(win, "INV-5001", Col.SENT) == "Sent", timeout=30000)
    assert win.status.currentMessage() == "Marked as sent in Xero: 1 of 1 invoice."
    qtbot.waitUntil(lambda: f.sent.text().startswith("Sent: marked as sent in Xero ("))  # the pane's own turn
    assert emails(win.session) == []
