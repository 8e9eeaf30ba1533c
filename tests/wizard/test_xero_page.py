"""The Xero page: registering an app when the build has none, the sign-in link, errors and timeouts."""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlsplit

import httpx2
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextOption
from PySide6.QtWidgets import QApplication

from depot_gui.store.secrets import SecretStore
from depot_gui.sync.setup import Endpoints, Page, SetupFlow
from depot_gui.ui.wizard import xero_page

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")
LEFT = Qt.MouseButton.LeftButton
GOOD_ID = "E57D7FD5C2C34B0FAD6A27C37D234008"


_KEEP: list = []  # the wizard must outlive the page the test holds


@pytest.fixture(autouse=True)
def _release():
    yield
    _KEEP.clear()


def xero_page_of(make_wizard, flow):
    wizard = make_wizard(flow, start_at=Page.XERO, open_url=lambda url: None)
    _KEEP[:] = [wizard]
    return wizard.page_for(Page.XERO)


def real_flow(store) -> SetupFlow:
    return SetupFlow(store, SecretStore(), Endpoints(sleep=lambda s: None))


def test_without_a_build_client_id_the_page_explains_registration(qtbot, make_wizard, store):
    page = xero_page_of(make_wizard, real_flow(store))
    box = page.registration
    assert box is not None and box.isVisible()
    text = " ".join(label.text() for label in box.findChildren(type(page.result)))
    assert "<b>1.</b> Sign in at" in text and "<b>Mobile or desktop app</b>" in text and "PKCE" in text
    assert "<b>2.</b> As the <b>redirect URI</b> enter exactly:" in text
    assert "<b>3.</b> Save the app" in text
    assert box.redirect.field.text() == "http://localhost:8765/callback"
    assert not page.connect_button.isEnabled()
    qtbot.mouseClick(box.redirect.copy_button, LEFT)
    assert QApplication.clipboard().text() == "http://localhost:8765/callback"
    page.port.setValue(8766)
    assert box.redirect.field.text() == "http://localhost:8766/callback"


def test_the_client_id_field_checks_the_form_before_the_browser(qtbot, make_wizard, store):
    page = xero_page_of(make_wizard, real_flow(store))
    box = page.registration
    box.client_id.setText("DEPOT-GUI-XERO-CLIENT-ID")
    assert box.problem.text() == (
        "A Xero client id is 32 characters, digits 0-9 and letters A-F; this one has 24 and other characters."
    )
    assert not page.connect_button.isEnabled()
    box.client_id.setText(GOOD_ID)
    assert box.problem.isHidden() and page.connect_button.isEnabled()
    assert page.flow.client_id == GOOD_ID


def test_a_build_client_id_needs_no_registration(qtbot, make_wizard, store, monkeypatch):
    monkeypatch.setenv("DEPOT_XERO_CLIENT_ID", GOOD_ID)
    page = xero_page_of(make_wizard, real_flow(store))
    assert page.registration is None
    assert page.client_id.text() == GOOD_ID and page.connect_button.isEnabled()


def start_waiting(qtbot, make_wizard, flow):
    opened = []
    wizard = make_wizard(flow, start_at=Page.XERO, open_url=opened.append)  # a browser that never signs in
    _KEEP[:] = [wizard]
    page = wizard.page_for(Page.XERO)
    qtbot.mouseClick(page.connect_button, LEFT)
    qtbot.waitUntil(lambda: page.busy and page._login is not None)
    return page, opened


def test_the_sign_in_link_is_selectable_wraps_and_copies(qtbot, make_wizard, flow):
    page, opened = start_waiting(qtbot, make_wizard, flow)
    url = page._login.url
    assert opened == [url]
    assert page.link.isVisible() and page.link.text() == url
    assert page.link.url.wordWrapMode() == QTextOption.WrapMode.WrapAnywhere
    assert page.link.url.isReadOnly()
    qtbot.mouseClick(page.link.copy_button, LEFT)
    assert QApplication.clipboard().text() == url and page.link.copied.text() == "Copied."
    qtbot.mouseClick(page.link.open_button, LEFT)
    assert opened == [url, url]
    assert page.cancel_button.isVisible()
    assert page.waiting.text() in (
        "Waiting for you to approve access in the browser (5:00 left). Cancel sign-in stops waiting.",
        "Waiting for you to approve access in the browser (4:59 left). Cancel sign-in stops waiting.",
    )
    qtbot.mouseClick(page.cancel_button, LEFT)
    qtbot.waitUntil(lambda: not page.busy)
    assert page.error == "Sign-in cancelled. Click 'Connect to Xero…' to try again."
    assert not page.cancel_button.isVisible() and not page.link.isVisible()


def test_an_error_on_the_callback_shows_at_once(qtbot, make_wizard, flow):
    page, _ = start_waiting(qtbot, make_wizard, flow)
    login = page._login
    state = parse_qs(urlsplit(login.url).query)["state"][0]
    started = time.monotonic()
    reply = httpx2.get(login.redirect_uri.replace("localhost", "127.0.0.1"), trust_env=False, timeout=10, params={
        "error": "access_denied", "error_description": "The user denied <b>access</b>", "state": state,
    })
    assert reply.status_code == 400 and "&lt;b&gt;access&lt;/b&gt;" in reply.text  # escaped on the page
    qtbot.waitUntil(lambda: bool(page.error), timeout=5000)
    assert time.monotonic() - started < 5
    assert page.error == (
        "Xero sign-in did not complete: access was not allowed in Xero (Cancel or Deny was pressed) "
        "(access_denied: The user denied <b>access</b>). Click 'Connect to Xero…' to try again."
    )
    assert page.error_label.textFormat() == Qt.TextFormat.PlainText  # what Xero sent is never markup here


def test_waiting_ends_with_a_clear_timeout_message(qtbot, make_wizard, flow, monkeypatch):
    monkeypatch.setattr(xero_page, "LOGIN_TIMEOUT", 0.5)
    page, _ = start_waiting(qtbot, make_wizard, flow)
    qtbot.waitUntil(lambda: not page.busy, timeout=10000)
    assert page.error == (
        "Nobody finished signing in to Xero within 1 minute, so Depot GUI stopped waiting. If the browser "
        "showed an error from Xero, check the client id and redirect URI; otherwise click 'Connect to Xero…' "
        "and finish signing in."
    )
    assert not page.cancel_button.isVisible()
