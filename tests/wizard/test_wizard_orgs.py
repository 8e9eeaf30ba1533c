"""The setup wizard with several Xero organisations (issue 20), where the focus goes on the Xero page, the step
indicator, and the mapping step's words and status of new Xero invoices (issues 22, 24)."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import httpx2

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from depot_gui.store.secrets import MemorySecretStore
from depot_gui.sync.setup import Page, SetupFlow, sandbox_browser
from depot_gui.ui.wizard.mapping_page import RESYNC_NOTE

from ..conftest import DEMO_PATH
from .conftest import make_endpoints

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")
AU, NZ = "3f1c2a7e-5b0d-4c39-9a43-2f1e8d6b7c10", "9b2e4c1d-7a3f-4e8b-b5d6-0c1f2e3a4b5c"
TIMEOUT = 20000
_KEEP: list = []


@pytest.fixture(autouse=True)
def _release():
    yield
    _KEEP.clear()


@pytest.fixture
def two(tmp_path):
    """The demo with a second organisation, based in NZD."""
    sc = json.loads(DEMO_PATH.read_text())
    sc["xero"]["tenants"].append({"tenantId": NZ, "tenantName": "Acme MSP NZ Ltd", "tenantType": "ORGANISATION",
                                  "Organisation": {"BaseCurrency": "NZD", "CountryCode": "NZ"}})
    path = tmp_path / "two.json"
    path.write_text(json.dumps(sc))
    return path


def active(qtbot, wizard):
    """The wizard as the active window (the focus is only ever somewhere in an active window)."""
    _KEEP[:] = [wizard]
    wizard.activateWindow()
    qtbot.waitUntil(wizard.isActiveWindow)
    return wizard


def signed_in(qtbot, make_wizard, flow):
    """The wizard on its Xero page, signed in (the sandbox approves at once)."""
    flow.port = 0
    wizard = active(qtbot, make_wizard(flow, start_at=Page.XERO, open_url=sandbox_browser(flow.endpoints.transport)))
    page = wizard.page_for(Page.XERO)
    page.connect_button.setFocus()
    qtbot.mouseClick(page.connect_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: flow.xero_connected and not page.busy, timeout=TIMEOUT)
    return wizard, page


def test_several_organisations_are_listed_with_their_currency_to_use_and_choose_the_default(
        qtbot, make_wizard, two, open_sandbox, store):
    store.set_setting("orgs.routes", json.dumps({"100": [NZ, "Acme Dental Group"]}))
    flow = SetupFlow(store, MemorySecretStore(), make_endpoints(open_sandbox(two)))
    wizard, page = signed_in(qtbot, make_wizard, flow)
    box = page.organisations
    assert [c.text() for c in box.checks.values()] == [
        "Acme MSP Pty Ltd \u00b7 base currency AUD (the default: always used)", "Acme MSP NZ Ltd \u00b7 base currency NZD"]
    assert [c.isChecked() for c in box.checks.values()] == [True, True]
    assert not box.checks[AU].isEnabled() and box.checks[NZ].isEnabled()
    assert box.note.isVisible() and box.single.isHidden()
    assert [page.organisation.itemText(i) for i in range(page.organisation.count())] == [
        "Acme MSP Pty Ltd \u00b7 base currency AUD", "Acme MSP NZ Ltd \u00b7 base currency NZD"]

    box.checks[NZ].setChecked(False)  # not used: no longer a choice for the default
    assert [page.organisation.itemData(i) for i in range(page.organisation.count())] == [AU]
    assert flow.pending_changes()[1]["orgs.unused"] == json.dumps([NZ])
    assert flow.pending_changes()[1]["orgs.routes"] == "{}"  # the company routed there goes to the default

    box.checks[NZ].setChecked(True)
    page.organisation.setCurrentIndex(page.organisation.findData(NZ))  # the NZ organisation is the default
    assert box.checks[AU].isEnabled() and not box.checks[NZ].isEnabled()
    settings = flow.pending_changes()[1]
    assert (settings["conn.xero_tenant_id"], settings["orgs.default"], settings["orgs.unused"]) == (NZ, NZ, "[]")
    assert wizard.button(wizard.WizardButton.NextButton).isEnabled()


def test_one_organisation_is_shown_with_nothing_to_answer(qtbot, make_wizard, flow):
    _, page = signed_in(qtbot, make_wizard, flow)
    box = page.organisations
    assert box.single.text() == "Acme MSP Pty Ltd \u00b7 base currency AUD" and box.single.isVisible()
    assert box.checks == {} and box.note.isHidden() and box.default_row.isHidden()


def assert_focus_not_in_client_id(page):
    assert QApplication.focusWidget() is not page.client_id
    assert page.client_id.selectedText() == ""


def test_after_connecting_the_focus_is_not_in_the_client_id(qtbot, make_wizard, flow):
    wizard, page = signed_in(qtbot, make_wizard, flow)
    assert QApplication.focusWidget() is wizard.button(wizard.WizardButton.NextButton)
    assert_focus_not_in_client_id(page)


def test_after_cancelling_or_an_error_the_focus_is_on_connect(qtbot, make_wizard, flow):
    flow.port = 0
    wizard = active(qtbot, make_wizard(flow, start_at=Page.XERO, open_url=lambda url: None))  # never signs in
    page = wizard.page_for(Page.XERO)
    page.connect_button.setFocus()
    qtbot.mouseClick(page.connect_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.busy and page._login is not None)
    assert QApplication.focusWidget() is page.cancel_button  # not the client id, read-only and selected
    assert_focus_not_in_client_id(page)
    qtbot.mouseClick(page.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.busy)
    assert QApplication.focusWidget() is page.connect_button
    assert_focus_not_in_client_id(page)

    page.connect_button.setFocus()
    qtbot.mouseClick(page.connect_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.busy and page._login is not None)
    login = page._login  # Xero sends the browser back with an error
    state = parse_qs(urlsplit(login.url).query)["state"][0]
    httpx2.get(login.redirect_uri.replace("localhost", "127.0.0.1"), trust_env=False, timeout=10,
               params={"error": "access_denied", "state": state})
    qtbot.waitUntil(lambda: bool(page.error) and not page.busy)
    assert page.error.startswith("Xero sign-in did not complete: access was not allowed in Xero")
    assert QApplication.focusWidget() is page.connect_button
    assert_focus_not_in_client_id(page)


def test_every_page_says_which_step_it_is(qtbot, make_wizard, flow):
    wizard = make_wizard(flow)
    assert [wizard.page_for(p).title() for p in Page] == [
        "Step 1 of 5 \u2014 Connect to Autotask", "Step 2 of 5 \u2014 Lines of business",
        "Step 3 of 5 \u2014 Connect to Xero", "Step 4 of 5 \u2014 Map Autotask to Xero",
        "Step 5 of 5 \u2014 Ready"]


def test_the_mapping_step_speaks_like_settings_and_offers_the_status_of_new_invoices(qtbot, make_wizard, flow):
    wizard = make_wizard(flow)
    page = wizard.page_for(Page.MAPPING)
    assert page.subTitle() == ("The sales account for each Autotask billing code, the Xero tax rate for each "
                               "Autotask tax, how contacts are matched and the status of new Xero invoices.")
    assert [page.contact_rule.itemText(i) for i in range(page.contact_rule.count())] == [
        "Name or account number", "Name", "Account number"]  # the Settings dialog's words
    assert [page.xero_status.itemText(i) for i in range(page.xero_status.count())] == [
        "Draft (review in Xero before approving)", "Awaiting approval (submitted)", "Approved (authorised)"]
    assert page.xero_status.currentText() == "Draft (review in Xero before approving)"
    assert page.resync_note.text() == RESYNC_NOTE == (
        "Re-sync updates a draft or an invoice awaiting approval; it never changes an approved invoice: void it in "
        "Xero (or add a credit note) if it is wrong, then Re-sync.")
    page.xero_status.setCurrentIndex(2)
    assert flow.xero_status == "approved"


def test_the_wizard_opens_on_a_damaged_stored_setting_and_offers_the_stored_status(qtbot, make_wizard, sandbox, store):
    store.set_setting("tolerance", "not a number")
    store.set_setting("xero_status", "submitted")
    flow = SetupFlow(store, MemorySecretStore(), make_endpoints(sandbox))
    wizard = make_wizard(flow)
    page = wizard.page_for(Page.MAPPING)
    assert page.xero_status.currentText() == "Awaiting approval (submitted)"
    store.set_setting("xero_status", "garbled")
    assert SetupFlow(store, MemorySecretStore(), make_endpoints(sandbox)).xero_status == "draft"
