"""The Settings dialog takes every value the settings allow, and OK stores exactly what it shows."""

from decimal import Decimal as D

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from depot_gui.ui.dialogs.settings import SettingsDialog

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


def open_dialog(qtbot, session) -> SettingsDialog:
    dialog = SettingsDialog(session, "Connected to the sandbox.")
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def press_ok(qtbot, dialog: SettingsDialog) -> None:
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    with qtbot.waitSignal(dialog.accepted, timeout=5000):
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)


@pytest.mark.parametrize("stored", ["10000.01", "250000.00", "999999.99", "1000000.00"])
def test_a_stored_tolerance_above_10000_survives_ok(qtbot, demo_session, stored):
    # depot-sync settings set tolerance accepts up to 1,000,000.00; OK used to lower it to 10,000.00.
    demo_session.set_setting("tolerance", stored)
    dialog = open_dialog(qtbot, demo_session)
    assert f"{D(str(dialog.tolerance.value())):.2f}" == stored
    press_ok(qtbot, dialog)
    assert demo_session.settings().tolerance == D(stored)


def test_the_widgets_allow_exactly_the_settings_range(qtbot, demo_session):
    dialog = open_dialog(qtbot, demo_session)
    assert (dialog.tolerance.minimum(), dialog.tolerance.maximum(), dialog.tolerance.decimals()) == (0.0, 1000000.0, 2)
    assert (dialog.fresh_minutes.minimum(), dialog.fresh_minutes.maximum()) == (0, 1440)


def test_typing_the_largest_tolerance(qtbot, demo_session):
    dialog = open_dialog(qtbot, demo_session)
    dialog.tolerance.selectAll()
    qtbot.keyClicks(dialog.tolerance, "1000000")
    press_ok(qtbot, dialog)
    assert demo_session.settings().tolerance == D("1000000.00")


def test_the_audit_period_round_trips_including_all_dates(qtbot, demo_session):
    dialog = open_dialog(qtbot, demo_session)
    assert (dialog.audit_months.minimum(), dialog.audit_months.maximum(), dialog.audit_months.value()) == (0, 120, 2)
    dialog.audit_months.setValue(0)
    assert dialog.audit_months.text() == "All dates" and dialog.texts()["audit_months"] == "all"
    press_ok(qtbot, dialog)
    assert demo_session.settings().audit_months == 0
    dialog = open_dialog(qtbot, demo_session)
    dialog.audit_months.setValue(6)
    press_ok(qtbot, dialog)
    assert demo_session.settings().audit_months == 6


def test_an_account_the_organisation_does_not_have_is_refused_in_the_dialog(qtbot, demo_session):
    demo_session.auditor().audit(["INV-5001"])  # reads (and keeps) the chart of accounts
    dialog = open_dialog(qtbot, demo_session)
    dialog.default_account.setText("ZZZ")
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.error.isVisible()
    assert dialog.error.text() == (
        "Default sales account code: 'ZZZ' is not an active account in the Xero organisation's chart of accounts (as "
        "read at the last audit); its sales accounts include 200 (Sales), 260 (Other Revenue)")
    assert demo_session.settings().default_account == "200"
