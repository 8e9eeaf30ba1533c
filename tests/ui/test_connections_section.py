"""Settings › Connections is a section, not a line (issue 22): Autotask's API user, zone, line-of-business
verdict and when it was checked; Xero's organisations, sign-in and permissions; Reconnect… and Sign out of
Xero…. The details are read in the background (the labels say "Checking…" meanwhile)."""

from __future__ import annotations

import re

import pytest

from depot_gui.ui.colors import SHADES
from depot_gui.ui.dialogs.settings import SettingsDialog
from depot_gui.ui.ops.workers import wait_for_ops

from .conftest import demo_session, temp_qsettings  # noqa: F401 - the fixtures

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


def opened(qtbot, session) -> SettingsDialog:
    dialog = SettingsDialog(session, "Demo sandbox · Autotask: depot.api@acme-msp.example · Xero: Acme MSP Pty Ltd")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.show_connections()
    return dialog


def test_the_section_names_each_service_and_what_it_is_connected_as(qtbot, demo_session):
    dialog = opened(qtbot, demo_session)
    section = dialog.connections
    assert section.fields["lines"].text() == "Checking…"  # not read on the UI thread: the op answers later
    qtbot.waitUntil(lambda: section.report is not None, timeout=30000)
    f = {key: label.text() for key, label in section.fields.items()}
    assert f["autotask_user"] == "depot.api@acme-msp.example"
    assert f["lines"] == ("Hidden from the API user: Sydney / Hardware. Their billing items are left out of every "
                          "download; clear the API user's Line of Business section in Autotask.")
    assert section.fields["lines"].styleSheet() in {f"color: {shade};" for shade in SHADES["error"]}
    assert f["organisations"] == "Acme MSP Pty Ltd"
    assert re.fullmatch(r"Signed in; the current access lasts until \d{4}-\d\d-\d\d \d\d:\d\d UTC and is renewed by "
                        r"itself\. The sign-in ends if Depot GUI is not used for 60 days, or with Sign out\.", f["access"])
    assert f["scopes"].split("\n") == [
        "offline_access (stay signed in)", "accounting.invoices (invoices and credit notes)",
        "accounting.contacts (contacts)",
        "accounting.settings.read (read the chart of accounts, tax rates and currencies)"]
    assert f["checked"].endswith(" (sandbox)")
    assert [b.text() for b in (section.setup_button, section.sign_out_button, section.check_button,
                               section.recheck_button)] == ["Reconnect…", "Sign out of Xero…", "Re-check", "Refresh invoices"]
    wait_for_ops()


def test_sign_out_asks_first_and_says_what_it_did(qtbot, demo_session):
    dialog = opened(qtbot, demo_session)
    section = dialog.connections
    qtbot.waitUntil(lambda: section.report is not None, timeout=30000)
    asked = []
    section.ask = lambda question: asked.append(question) or False
    section.sign_out_button.click()
    assert asked == ["Sign out of Xero?\n\nDepot GUI stops reaching your Xero organisations until you sign in again "
                     "with Reconnect…. Nothing in Xero or Autotask changes."]
    section.ask = lambda question: True
    with qtbot.waitSignal(dialog.signed_out, timeout=30000) as said:
        section.sign_out_button.click()
    assert said.args == ["Signed out of the sandbox's Xero; a sandbox signs in again by itself at the next refresh."]
    wait_for_ops()
