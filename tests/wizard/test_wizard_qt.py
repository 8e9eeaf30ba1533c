"""Walk the QWizard against the sandbox (pytest-qt, offscreen; Qt warnings fail the test)."""

from __future__ import annotations

import json

import httpx2
import pytest
from PySide6.QtWidgets import QWizard

from depot_gui.store.secrets import SecretStore
from depot_gui.sync.session.connections import S_XERO_TOKENS
from depot_gui.sync.setup import Page, SetupFlow
from depot_gui.xero.errors import XeroAuthError

from .conftest import CODE, SECRET, USER, grep_tree, make_endpoints, offline_endpoints

# The offscreen platform's one harmless message (toolchain.md §5); every other warning fails.
pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")

NEXT = QWizard.WizardButton.NextButton
FINISH = QWizard.WizardButton.FinishButton
TIMEOUT = 20000


def fill_autotask(qtbot, wizard, user=USER, secret=SECRET, code=CODE):
    page = wizard.page_for(Page.AUTOTASK)
    page.username.setText(user)
    page.secret.setText(secret)
    page.code.setText(code)
    qtbot.mouseClick(page.check_button, qtbot_left())
    qtbot.waitUntil(lambda: not page.busy and bool(page.error or page.flow.autotask_check), timeout=TIMEOUT)
    return page


def qtbot_left():
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton


def go_next(qtbot, wizard, expect: Page):
    qtbot.waitUntil(lambda: wizard.button(NEXT).isEnabled(), timeout=TIMEOUT)
    wizard.next()
    assert wizard.currentId() == expect.value


def wait_idle(qtbot, page):
    qtbot.waitUntil(lambda: not page.busy, timeout=TIMEOUT)


def walk_to_summary(qtbot, wizard, browser, *, confirm_red: bool):
    page = fill_autotask(qtbot, wizard)
    assert page.flow.autotask_check.ok, page.error
    assert "Connected to Autotask" in page.result.text()
    go_next(qtbot, wizard, Page.LOB)
    lob = wizard.page_for(Page.LOB)
    qtbot.waitUntil(lambda: wizard.flow.lob is not None and not lob.busy, timeout=TIMEOUT)
    if confirm_red:
        assert not wizard.button(NEXT).isEnabled()
        assert lob.confirm.isVisible()
        lob.confirm.setChecked(True)
    go_next(qtbot, wizard, Page.XERO)
    xero = wizard.page_for(Page.XERO)
    xero.port.setValue(0)
    qtbot.mouseClick(xero.connect_button, qtbot_left())
    qtbot.waitUntil(lambda: wizard.flow.xero_connected and not xero.busy, timeout=TIMEOUT)
    assert xero.organisation.count() == 1 and "Connected to Xero" in xero.result.text()  # the demo has one tenant
    assert browser.visited and "code_challenge=" in browser.visited[0]
    go_next(qtbot, wizard, Page.MAPPING)
    mapping = wizard.page_for(Page.MAPPING)
    qtbot.waitUntil(lambda: wizard.flow.mapping is not None and not mapping.busy, timeout=TIMEOUT)
    assert mapping.account_combos and mapping.tax_combos
    go_next(qtbot, wizard, Page.SUMMARY)
    assert wizard.button(FINISH).isEnabled()
    return lob


def test_restricted_user_walk_red_verdict_then_confirmed(qtbot, make_wizard, flow, browser, data_dir, config_dir,
                                                          memory_keyring):
    wizard = make_wizard(flow, open_url=browser)
    lob = walk_to_summary(qtbot, wizard, browser, confirm_red=True)
    assert "Sydney / Hardware" in lob.verdict.text()
    assert "Sydney / Hardware" in lob.evidence.text() and "Line of Business" in lob.fix_steps.text()
    summary = wizard.page_for(Page.SUMMARY).summary.text()
    assert USER in summary and "Warning" in summary
    wizard.accept()

    # nothing secret anywhere on disk: the data dir, the config dir
    tokens = json.loads(memory_keyring.data[("depot-gui", S_XERO_TOKENS)])
    needles = [SECRET, CODE, tokens["access_token"], tokens["refresh_token"]]
    assert grep_tree(data_dir, needles) == []
    assert grep_tree(config_dir, needles) == []
    assert list(data_dir.iterdir())  # the store was written


def test_unrestricted_user_is_green(qtbot, make_wizard, unrestricted_scenario, open_sandbox, store, browser):
    flow = SetupFlow(store, SecretStore(), make_endpoints(open_sandbox(unrestricted_scenario)))
    flow.port = 0
    # the browser must reach the same sandbox as the flow
    from depot_gui.sync.setup import sandbox_browser

    visited = []
    opener = sandbox_browser(flow.endpoints.transport)

    def visit(url):
        visited.append(url)
        opener(url)

    visit.visited = visited
    wizard = make_wizard(flow, open_url=visit)
    lob = walk_to_summary(qtbot, wizard, visit, confirm_red=False)
    assert lob.verdict.text() == "The API user sees every line of business."
    assert not lob.confirm.isVisible() and not lob.fix_box.isVisible()


@pytest.mark.parametrize(
    ("user", "secret", "code", "expected"),
    [
        (USER, "wrong-secret", CODE, "refused the secret"),
        ("nobody@elsewhere.example", SECRET, CODE, "does not know the API username"),
        (USER, SECRET, "WRONGCODE", "rejected the integration code"),
        (USER, SECRET, "", "Enter the API integration code"),
    ],
)
def test_autotask_page_messages(qtbot, make_wizard, flow, user, secret, code, expected):
    wizard = make_wizard(flow)
    page = fill_autotask(qtbot, wizard, user, secret, code)
    assert expected in page.error
    assert page.error_label.isVisible()
    assert not wizard.button(NEXT).isEnabled()
    assert "wrong-secret" not in page.error


def test_network_error_message(qtbot, make_wizard, store):
    flow = SetupFlow(store, SecretStore(), offline_endpoints(httpx2.ConnectError("[Errno -2] Name or service not known")))
    wizard = make_wizard(flow)
    page = fill_autotask(qtbot, wizard)
    assert "offline" in page.error
    assert not wizard.button(NEXT).isEnabled()


def test_page_is_busy_while_checking(qtbot, make_wizard, flow):
    wizard = make_wizard(flow)
    page = wizard.page_for(Page.AUTOTASK)
    page.username.setText(USER)
    page.secret.setText(SECRET)
    page.code.setText(CODE)
    with qtbot.waitSignal(page.completeChanged, timeout=TIMEOUT):
        page.check_button.click()
    assert page.busy and not page.check_button.isEnabled()
    wait_idle(qtbot, page)
    assert wizard.button(NEXT).isEnabled()
    # editing the secret invalidates the check
    page.secret.setText(SECRET + "x")
    assert not wizard.button(NEXT).isEnabled()


def test_no_keyring_says_so_at_the_top_and_retry_finds_one(qtbot, make_wizard, flow, memory_keyring):
    import keyring
    from keyring.backends import fail

    keyring.set_keyring(fail.Keyring())
    wizard = make_wizard(flow)
    page = wizard.page_for(Page.AUTOTASK)
    assert page.body.itemAt(0).widget() is page.keyring_banner  # the top of the page, not a red line below
    assert page.keyring_banner.text() == (
        "No system keyring is available to keep the Autotask secret and the Xero sign-in safe. On Linux, install "
        "and unlock a Secret Service keyring (for example gnome-keyring or KWallet); on Windows and macOS it is "
        "built in. Then press Retry."
    )
    assert page.error == "" and not page.check_button.isEnabled()
    assert page.keyring_banner.action.text() == "&Retry" and page.keyring_banner.action.isVisible()
    qtbot.mouseClick(page.keyring_banner.action, qtbot_left())
    assert page.keyring_banner.text() != "" and not page.check_button.isEnabled()  # still none
    keyring.set_keyring(memory_keyring)  # the user unlocked it
    qtbot.mouseClick(page.keyring_banner.action, qtbot_left())
    assert page.keyring_banner.isHidden() and page.check_button.isEnabled()


def test_demo_wizard_needs_no_keyring(qtbot, data_dir, demo_scenario):
    import keyring
    from keyring.backends import fail

    from depot_gui.sync.session.session import Session
    from depot_gui.ui.wizard.wizard import SetupWizard, make_flow

    keyring.set_keyring(fail.Keyring())
    with Session.open(data_dir, demo_scenario) as session:
        flow = make_flow(session)
        wizard = SetupWizard(flow)
        qtbot.addWidget(wizard)
        page = wizard.page_for(Page.AUTOTASK)
        assert page.keyring_banner.isHidden() and page.check_button.isEnabled()
        page = fill_autotask(qtbot, wizard)
        assert page.flow.autotask_check.ok, page.error
        flow.commit()  # kept in memory for this session: nothing to do with a keyring
        assert make_flow(session).has_saved_secret()
        assert flow.secrets.where() == "memory only (sandbox credentials are not secrets)"


def test_revoked_xero_connection_opens_the_xero_page_with_a_message(qtbot, make_wizard, flow, browser):
    from depot_gui.xero import oauth

    from .test_flow import check
    from .test_xero import connect_xero

    flow.autotask_check = check(flow)
    flow.commit()
    connect_xero(flow, browser)
    tokens = flow.token_store().load()
    oauth.revoke(flow.client_id, tokens.refresh_token, identity_root=flow.endpoints.xero_identity_root,
                 transport=flow.endpoints.transport)
    # what the main window does when Xero refuses the saved connection
    again = SetupFlow(flow.store, SecretStore(), flow.endpoints)
    again.port = 0
    with pytest.raises(XeroAuthError) as info:
        again.recheck_xero()
    wizard = make_wizard(again, open_url=browser, start_at=again.start_page(info.value))
    assert wizard.currentId() == Page.XERO.value
    xero = wizard.page_for(Page.XERO)
    assert "Connect to Xero" in xero.error and "revoked" in xero.error
    assert not wizard.button(NEXT).isEnabled()
    # reconnecting fixes it
    qtbot.mouseClick(xero.connect_button, qtbot_left())
    qtbot.waitUntil(lambda: again.xero_connected and not xero.busy, timeout=TIMEOUT)
    assert wizard.button(NEXT).isEnabled() and not xero.error


def test_saved_revoked_connection_is_detected_on_entering_the_page(qtbot, make_wizard, flow, browser):
    from depot_gui.xero import oauth

    from .test_flow import check
    from .test_xero import connect_xero

    flow.autotask_check = check(flow)
    flow.commit()
    connect_xero(flow, browser)
    tokens = flow.token_store().load()
    oauth.revoke(flow.client_id, tokens.refresh_token, identity_root=flow.endpoints.xero_identity_root,
                 transport=flow.endpoints.transport)
    again = SetupFlow(flow.store, SecretStore(), flow.endpoints)
    wizard = make_wizard(again, open_url=browser, start_at=Page.XERO)
    xero = wizard.page_for(Page.XERO)
    qtbot.waitUntil(lambda: bool(xero.error), timeout=TIMEOUT)
    assert "revoked" in xero.error and not wizard.button(NEXT).isEnabled()


@pytest.mark.parametrize("accept", [True, False])
def test_run_setup_wizard_returns_whether_finished(qtbot, data_dir, demo_scenario, accept):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from depot_gui.sync.session.session import Session
    from depot_gui.ui.wizard import run_setup_wizard

    seen = []

    def close_it():
        wizard = QApplication.activeModalWidget()
        if wizard is None:
            QTimer.singleShot(10, close_it)
            return
        seen.append(wizard)
        assert wizard.flow.endpoints.sandbox and wizard.flow.secrets.service == "depot-gui-memory"
        wizard.accept() if accept else wizard.reject()

    with Session.open(data_dir, demo_scenario) as session:
        QTimer.singleShot(0, close_it)
        assert run_setup_wizard(None, session) is accept
    assert seen
