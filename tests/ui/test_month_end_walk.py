"""What a bookkeeper met at month-end in the window (issue 22): each test pins the words or values that misled."""

from __future__ import annotations

from datetime import date

import pytest

from depot_gui.ui.ops.operations import cancelled_text
from depot_gui.ui.window.invoice_list import InvoiceList, default_date_range

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


def test_the_date_range_first_offered_holds_the_month_being_closed():
    # 7 December: November's invoices (dated 1 November) are inside; a month back from today began on 7 November
    assert default_date_range(date(2026, 12, 7)) == (date(2026, 11, 1), date(2026, 12, 7))
    assert default_date_range(date(2026, 12, 1)) == (date(2026, 11, 1), date(2026, 12, 1))
    assert default_date_range(date(2027, 1, 3)) == (date(2026, 12, 1), date(2027, 1, 3))
    assert default_date_range(date(2026, 3, 31)) == (date(2026, 2, 1), date(2026, 3, 31))


def test_the_lists_date_range_starts_on_the_first_of_last_month(qtbot):
    lst = InvoiceList()
    qtbot.addWidget(lst)
    since, until = default_date_range(date.today())
    assert (lst.date_from.date().toPython(), lst.date_to.date().toPython()) == (since, until)
    assert since.day == 1 and until == date.today()


def test_a_cancelled_sync_of_200_says_what_was_not_sent_whole_at_1366(window, qtbot):
    # Sync all ready on 200 invoices, cancelled while the third batch of 50 was on its way: 50 not sent
    window.resize(1366, 740)
    window.status.showMessage(cancelled_text(200, 100, 150))
    qtbot.waitUntil(lambda: window.status.message.isVisible())
    assert window.status.message.text().endswith(
        "Sync cancelled: 50 invoices not sent; 150 sent, 50 of them already on their way.")
    assert not window.status.message.is_elided(), window.status.message.width()


def test_the_user_guide_shows_every_paragraph_after_an_angle_bracket(qtbot):
    from depot_gui.ui.dialogs.user_guide import UserGuide, plain_angles

    assert plain_angles('mark "Autotask invoice <id>" `a <b>` and\n```\n<c>\n```\n') == (
        'mark "Autotask invoice &lt;id>" `a <b>` and\n```\n<c>\n```\n')
    guide = UserGuide()
    qtbot.addWidget(guide)
    shown = guide.browser.toPlainText()
    # the README's "(`Reference` "Autotask invoice <id>")" swallowed this and the next paragraphs
    assert 'Depot GUI marks what it creates (Reference "Autotask invoice <id>") and trusts only that mark' in shown
    assert "Drafts changed in Xero: a draft the bookkeeper deleted is made again on Re-sync" in shown
    assert "Several Xero organisations: one Xero sign-in reaches every organisation chosen there." in shown


def test_the_organisations_dialog_names_the_connections_button_that_exists(window, qtbot):
    from depot_gui.ui.dialogs.connections_tab import ConnectionsSection
    from depot_gui.ui.orgs.routing_dialog import RoutingDialog

    dialog = RoutingDialog([("t-au", "Acme MSP Pty Ltd")], "t-au", [(100, "Acme Dental Group", "t-au")])
    qtbot.addWidget(dialog)
    section = ConnectionsSection(window.session, "")
    qtbot.addWidget(section)
    assert section.setup_button.text() == "Reconnect…"  # it said "Set up connections…", a button nowhere
    assert dialog.intro.text().endswith("tick it in the setup (Settings › Connections › Reconnect…).")


@pytest.mark.parametrize("answer, tolerance, closed, refreshed", [
    ("Save", "5.00", True, True), ("Discard", "3.00", True, True), ("Cancel", "3.00", False, False)])
def test_refresh_invoices_in_settings_never_drops_what_was_typed_unasked(qtbot, demo_session, answer, tolerance,
                                                                         closed, refreshed):
    from PySide6.QtWidgets import QMessageBox

    from depot_gui.ui.dialogs.settings import SettingsDialog

    dialog = SettingsDialog(demo_session, "Connected to the sandbox.")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.tolerance.setValue(5.0)  # typed, not saved yet; then Connections › Refresh invoices
    asked, emitted = [], []
    dialog.ask_unsaved = lambda: asked.append(dialog.changed()) or getattr(QMessageBox.StandardButton, answer)
    dialog.recheck_requested.connect(lambda: emitted.append(True))
    dialog.connections.recheck_requested.emit()
    assert asked == [["tolerance"]]
    assert f"{demo_session.settings().tolerance:.2f}" == tolerance
    assert dialog.isHidden() is closed and bool(emitted) is refreshed
    if not closed:
        assert f"{dialog.tolerance.value():.2f}" == "5.00"  # still there to save


def test_refresh_invoices_with_nothing_changed_asks_nothing(qtbot, demo_session):
    from depot_gui.ui.dialogs.settings import SettingsDialog

    dialog = SettingsDialog(demo_session, "Connected to the sandbox.")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.ask_unsaved = lambda: pytest.fail("asked with nothing changed")
    with qtbot.waitSignal(dialog.recheck_requested, timeout=1000):
        dialog.connections.recheck_requested.emit()
    assert dialog.isHidden()


def test_ok_keeps_what_the_setup_wizard_saved_while_settings_was_open(qtbot, demo_session):
    from PySide6.QtWidgets import QDialogButtonBox

    from depot_gui.ui.dialogs.settings import SettingsDialog

    dialog = SettingsDialog(demo_session, "Connected to the sandbox.")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.xero_status.currentData() == "draft"
    # Connections › Reconnect…: the wizard's mapping page saves these while the dialog stays open beneath it
    demo_session.set_settings({"xero_status": "approved", "contact_match": "name"})
    dialog.tolerance.setValue(5.0)
    with qtbot.waitSignal(dialog.settings_saved, timeout=5000) as saved:
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert saved.args == [["tolerance"]]
    shown = demo_session.settings().shown()
    assert (shown["xero_status"], shown["contact_match"], shown["tolerance"]) == ("approved", "name", "5.00")


def test_settings_shows_what_the_setup_wizard_saved_beneath_it(window, qtbot, monkeypatch):
    """Connections › Reconnect… runs the wizard over the open Settings dialog; afterwards the dialog shows the
    values the wizard saved, and keeps what the person typed before (issue 22: it still showed the old ones)."""
    from PySide6.QtWidgets import QDialogButtonBox

    import depot_gui.ui.wizard as wizard

    win = window
    win.show_connection_settings()
    dialog = win.settings_dialog
    assert (dialog.xero_status.currentData(), dialog.contact_match.currentData()) == ("draft", "name_or_account_number")
    dialog.tolerance.setValue(5.0)  # typed before Reconnect…

    def the_wizard(parent, session) -> bool:  # its mapping page saves these, then the person cancels a later page
        session.set_settings({"xero_status": "approved", "contact_match": "name"})
        return False

    monkeypatch.setattr(wizard, "run_setup_wizard", the_wizard)
    qtbot.waitUntil(dialog.connections.setup_button.isEnabled, timeout=30000)  # after the tab's reading
    dialog.connections.setup_button.click()
    assert (dialog.xero_status.currentData(), dialog.contact_match.currentData()) == ("approved", "name")
    assert dialog.xero_status.currentText() == "Approved (authorised)" and dialog.tolerance.value() == 5.0
    with qtbot.waitSignal(dialog.settings_saved, timeout=5000) as saved:
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert saved.args == [["tolerance"]]
    shown = win.session.settings().shown()
    assert (shown["xero_status"], shown["contact_match"], shown["tolerance"]) == ("approved", "name", "5.00")
    qtbot.waitUntil(lambda: not win.ops.busy, timeout=30000)
