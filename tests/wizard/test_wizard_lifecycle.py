"""The wizard against the sandbox when the user moves on before background work answers:
Back during a check, another organisation, Cancel while checking, Cancel at the end."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import QThreadPool, QTimer
from PySide6.QtWidgets import QApplication

from depot_gui.sync.session.connections import K_AT_USER, K_XERO_TENANT, S_AT_CODE, S_AT_SECRET, S_XERO_TOKENS
from depot_gui.sync.session.session import Session
from depot_gui.sync.setup import K_MAPPING_ACCOUNTS, Organisation, Page
from depot_gui.ui.wizard import run_setup_wizard

from .conftest import CODE, SECRET, USER
from .test_wizard_qt import TIMEOUT, fill_autotask, go_next, qtbot_left, walk_to_summary

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


def requests_to(sandbox, fragment: str) -> int:
    return sum(1 for r in sandbox.state()["requests"] if fragment in r["path"])


@pytest.mark.slow
def test_back_during_the_lob_check_drops_its_verdict_and_rechecks_on_return(qtbot, make_wizard, flow, sandbox):
    wizard = make_wizard(flow)
    page = fill_autotask(qtbot, wizard)
    sandbox.add_fault({"api": "autotask", "path": "OrganizationalResources", "kind": "delay", "seconds": 2,
                       "nth": 1, "times": 1})
    go_next(qtbot, wizard, Page.LOB)
    lob = wizard.page_for(Page.LOB)
    assert lob.busy
    qtbot.wait(300)
    wizard.back()  # allowed while checking
    page.username.setText("someone.else@other.example")
    assert flow.lob is None and flow.autotask_check is None
    fill_autotask(qtbot, wizard, user=USER)  # checked again: green on page 1, no verdict yet
    assert flow.autotask_check.ok and flow.lob is None
    qtbot.waitUntil(lambda: not lob.busy, timeout=TIMEOUT)  # the old check answers...
    assert flow.lob is None  # ...for an earlier input: dropped
    n = requests_to(sandbox, "OrganizationalResources")
    go_next(qtbot, wizard, Page.LOB)
    assert lob.busy  # no current verdict: checks again on entry
    qtbot.waitUntil(lambda: flow.lob is not None and not lob.busy, timeout=TIMEOUT)
    assert requests_to(sandbox, "OrganizationalResources") > n
    assert "Sydney / Hardware" in lob.verdict.text()


def test_returning_while_the_current_check_runs_does_not_start_another(qtbot, make_wizard, flow, sandbox):
    wizard = make_wizard(flow)
    fill_autotask(qtbot, wizard)
    sandbox.add_fault({"api": "autotask", "path": "OrganizationalResources", "kind": "delay", "seconds": 1,
                       "nth": 1, "times": 1})
    go_next(qtbot, wizard, Page.LOB)
    lob = wizard.page_for(Page.LOB)
    task = lob._task
    wizard.back()
    wizard.next()  # same input: keep waiting for the running check
    assert lob._task is task
    qtbot.waitUntil(lambda: flow.lob is not None and not lob.busy, timeout=TIMEOUT)


def test_another_organisation_reloads_the_mapping_without_duplicate_rows(qtbot, make_wizard, flow, browser):
    wizard = make_wizard(flow, open_url=browser)
    walk_to_summary(qtbot, wizard, browser, confirm_red=True)
    mapping = wizard.page_for(Page.MAPPING)
    rows = (mapping.accounts_form.rowCount(), mapping.taxes_form.rowCount())
    assert rows[0] and rows[1]
    tenant = flow.tenant_id
    wizard.back()
    wizard.back()
    xero = wizard.page_for(Page.XERO)
    assert wizard.currentId() == Page.XERO.value
    # a second organisation the sign-in gave access to (not in the sandbox: its lookups fail)
    xero._on_organisations(flow.organisations + [Organisation("other-tenant", "Other Ltd")])
    xero.organisation.setCurrentIndex(xero.organisation.findData("other-tenant"))
    assert flow.tenant_id == "other-tenant" and flow.mapping is None
    go_next(qtbot, wizard, Page.MAPPING)
    qtbot.waitUntil(lambda: not mapping.busy, timeout=TIMEOUT)
    assert mapping.error and mapping.retry_button.isVisible()
    assert mapping.accounts_form.rowCount() == 0 and not mapping.account_combos  # the old rows are gone
    assert not wizard.button(wizard.WizardButton.NextButton).isEnabled()
    wizard.back()
    xero.organisation.setCurrentIndex(xero.organisation.findData(tenant))
    go_next(qtbot, wizard, Page.MAPPING)
    qtbot.waitUntil(lambda: flow.mapping is not None and not mapping.busy, timeout=TIMEOUT)
    assert (mapping.accounts_form.rowCount(), mapping.taxes_form.rowCount()) == rows
    assert len(mapping.account_combos) == rows[0] and not mapping.retry_button.isVisible()


def test_retry_after_a_mapping_load_error(qtbot, make_wizard, flow, browser, sandbox):
    wizard = make_wizard(flow, open_url=browser)
    fill_autotask(qtbot, wizard)
    go_next(qtbot, wizard, Page.LOB)
    lob = wizard.page_for(Page.LOB)
    qtbot.waitUntil(lambda: flow.lob is not None and not lob.busy, timeout=TIMEOUT)
    lob.confirm.setChecked(True)
    go_next(qtbot, wizard, Page.XERO)
    xero = wizard.page_for(Page.XERO)
    xero.port.setValue(0)
    qtbot.mouseClick(xero.connect_button, qtbot_left())
    qtbot.waitUntil(lambda: flow.xero_connected and not xero.busy, timeout=TIMEOUT)
    sandbox.add_fault({"api": "xero", "path": "Accounts", "kind": "status", "status": 400, "nth": 1, "times": 1})
    go_next(qtbot, wizard, Page.MAPPING)
    mapping = wizard.page_for(Page.MAPPING)
    qtbot.waitUntil(lambda: not mapping.busy, timeout=TIMEOUT)
    assert mapping.error and mapping.retry_button.isVisible() and flow.mapping is None
    qtbot.mouseClick(mapping.retry_button, qtbot_left())
    qtbot.waitUntil(lambda: flow.mapping is not None and not mapping.busy, timeout=TIMEOUT)
    assert not mapping.error and not mapping.retry_button.isVisible() and mapping.account_combos
    assert mapping.accounts_form.rowCount() == len(flow.mapping_data.billing_codes)


def test_cancel_at_the_end_leaves_keyring_and_settings_as_they_were(qtbot, make_wizard, flow, browser, store,
                                                                     memory_keyring):
    store.set_setting("contact_match", "NAME")
    memory_keyring.data[("unrelated", "entry")] = "kept"
    keyring_before, settings_before = dict(memory_keyring.data), store.raw_settings()
    wizard = make_wizard(flow, open_url=browser)
    walk_to_summary(qtbot, wizard, browser, confirm_red=True)
    wizard.reject()
    assert memory_keyring.data == keyring_before
    assert store.raw_settings() == settings_before


def test_finish_writes_everything_at_once(qtbot, make_wizard, flow, browser, store, memory_keyring):
    wizard = make_wizard(flow, open_url=browser)
    walk_to_summary(qtbot, wizard, browser, confirm_red=True)
    assert memory_keyring.data == {}  # nothing yet, though every page was passed
    qtbot.mouseClick(wizard.button(wizard.WizardButton.FinishButton), qtbot_left())
    assert not wizard.isVisible() and flow.committed
    service = flow.secrets.service
    assert memory_keyring.data[(service, S_AT_SECRET)] == SECRET
    assert memory_keyring.data[(service, S_AT_CODE)] == CODE
    assert (service, S_XERO_TOKENS) in memory_keyring.data
    raw = store.raw_settings()
    assert raw[K_AT_USER] == USER and raw[K_XERO_TENANT] == flow.tenant_id and K_MAPPING_ACCOUNTS in raw


def test_rejecting_cancels_the_running_check_and_drops_its_result(qtbot, make_wizard, flow, sandbox):
    sandbox.add_fault({"api": "autotask", "path": "zoneInformation", "kind": "delay", "seconds": 1, "nth": 1, "times": 1})
    wizard = make_wizard(flow)
    page = wizard.page_for(Page.AUTOTASK)
    page.username.setText(USER)
    page.secret.setText(SECRET)
    page.code.setText(CODE)
    page.check_button.click()
    task = page._task
    assert page.busy and task is not None
    wizard.reject()
    assert not page.busy and page._task is None and task.cancel.cancelled
    with qtbot.captureExceptions() as exceptions:
        qtbot.waitUntil(lambda: not task.running, timeout=TIMEOUT)
        qtbot.wait(50)
    assert not exceptions
    assert flow.autotask_check is None and not page.result.text()


@pytest.mark.slow
def test_run_setup_wizard_returns_at_once_when_cancelled_during_a_slow_check(qtbot, data_dir, demo_scenario,
                                                                              memory_keyring):
    """No waitForDone on the UI thread; the late answer reaches a deleted wizard and is dropped."""
    with Session.open(data_dir, demo_scenario) as session:
        _cancel_during_slow_check(qtbot, session, memory_keyring)


def _cancel_during_slow_check(qtbot, demo_session, memory_keyring):
    demo_session.sandbox.add_fault({"api": "autotask", "path": "zoneInformation", "kind": "delay", "seconds": 2,
                                    "nth": 1, "times": 1})
    settings_before = demo_session.store.raw_settings()
    seen: dict = {}

    def drive():
        wizard = QApplication.activeModalWidget()
        if wizard is None:
            QTimer.singleShot(10, drive)
            return
        page = wizard.page_for(Page.AUTOTASK)
        page.username.setText(USER)
        page.secret.setText(SECRET)
        page.code.setText(CODE)
        page.check_button.click()
        seen["task"] = page._task

        def cancel():
            seen["t0"] = time.monotonic()
            wizard.reject()

        QTimer.singleShot(200, cancel)

    QTimer.singleShot(0, drive)
    with qtbot.captureExceptions() as exceptions:
        finished = run_setup_wizard(None, demo_session, open_url=lambda url: None)
        blocked = time.monotonic() - seen["t0"]
        assert seen["task"].running  # the check is still on its way
        qtbot.waitUntil(lambda: not seen["task"].running, timeout=TIMEOUT)
        QThreadPool.globalInstance().waitForDone(TIMEOUT)
        qtbot.wait(50)
    assert finished is False
    assert blocked < 1.0, f"the UI was blocked {blocked:.1f}s after Cancel"
    assert not exceptions
    assert memory_keyring.data == {} and demo_session.store.raw_settings() == settings_before


def test_a_failed_lob_check_is_not_checked_never_green(qtbot, make_wizard, flow, sandbox):
    wizard = make_wizard(flow)
    fill_autotask(qtbot, wizard)
    sandbox.add_fault({"api": "autotask", "path": "OrganizationalLevelAssociations", "kind": "status", "status": 500,
                       "nth": 1, "times": 1})
    go_next(qtbot, wizard, Page.LOB)
    lob = wizard.page_for(Page.LOB)
    qtbot.waitUntil(lambda: flow.lob is not None and not lob.busy, timeout=TIMEOUT)
    assert flow.lob.level == "unchecked" and not flow.lob.green
    assert lob.verdict.text().startswith("Not checked: whether the API user sees every line of business")
    assert "Lines of business:&nbsp;</td><td><b>not checked" in lob.evidence.text()
    assert "Organizational Structure in use" not in lob.evidence.text()
    assert lob.confirm.isVisible() and not wizard.button(wizard.WizardButton.NextButton).isEnabled()
    qtbot.mouseClick(lob.recheck_button, qtbot_left())  # the fault was once: the re-check finishes
    qtbot.waitUntil(lambda: flow.lob is not None and not lob.busy, timeout=TIMEOUT)
    assert flow.lob.level == "red" and "Sydney / Hardware" in lob.verdict.text()
