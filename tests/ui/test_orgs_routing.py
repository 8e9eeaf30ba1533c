"""Several Xero organisations in the window, end to end (issue 20): the setup wizard chooses both organisations,
File › Xero organisations… sends a company to the second, the invoices are checked again and synced, each lands
in its own organisation only, the column names it, and the status bar says the day's calls left per organisation."""

from __future__ import annotations

import json
import re

import pytest
from PySide6.QtWidgets import QDialogButtonBox, QWizard

from depot_gui.sync.session.session import Session
from depot_gui.sync.setup import Page, sandbox_browser
from depot_gui.ui.models.invoice_table import Col
from depot_gui.ui.wizard.wizard import SetupWizard, make_flow

from ..conftest import DEMO_PATH
from ..wizard.conftest import CODE, SECRET, USER
from .conftest import close_window, open_window

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")
AU, NZ = "3f1c2a7e-5b0d-4c39-9a43-2f1e8d6b7c10", "9b2e4c1d-7a3f-4e8b-b5d6-0c1f2e3a4b5c"
TIMEOUT = 30000


@pytest.fixture
def two(tmp_path):
    sc = json.loads(DEMO_PATH.read_text())
    sc["xero"]["tenants"].append({"tenantId": NZ, "tenantName": "Acme MSP NZ Ltd", "tenantType": "ORGANISATION"})
    path = tmp_path / "two.json"
    path.write_text(json.dumps(sc))
    return path


def run_wizard(qtbot, session) -> None:
    """Walk the setup wizard: Autotask, lines of business (confirmed), Xero with both organisations ticked and
    the first the default, the mapping; Finish."""
    flow = make_flow(session)
    flow.port = 0
    wizard = SetupWizard(flow, open_url=sandbox_browser(flow.endpoints.transport))
    qtbot.addWidget(wizard)
    wizard.show()
    at = wizard.page_for(Page.AUTOTASK)
    at.username.setText(USER)
    at.secret.setText(SECRET)
    at.code.setText(CODE)
    at.check_button.click()
    qtbot.waitUntil(lambda: flow.autotask_check is not None and not at.busy, timeout=TIMEOUT)
    nxt = wizard.button(QWizard.WizardButton.NextButton)
    wizard.next()
    lob = wizard.page_for(Page.LOB)
    qtbot.waitUntil(lambda: flow.lob is not None and not lob.busy, timeout=TIMEOUT)
    lob.confirm.setChecked(True)
    wizard.next()
    xero = wizard.page_for(Page.XERO)
    xero.connect_button.click()
    qtbot.waitUntil(lambda: flow.xero_connected and not xero.busy, timeout=TIMEOUT)
    box = xero.organisations
    assert [(c.text(), c.isChecked()) for c in box.checks.values()] == [
        ("Acme MSP Pty Ltd \u00b7 base currency AUD (the default: always used)", True),
        ("Acme MSP NZ Ltd \u00b7 base currency AUD", True)]
    assert xero.organisation.currentData() == AU
    wizard.next()
    mapping = wizard.page_for(Page.MAPPING)
    qtbot.waitUntil(lambda: flow.mapping is not None and not mapping.busy, timeout=TIMEOUT)
    qtbot.waitUntil(nxt.isEnabled, timeout=TIMEOUT)
    wizard.next()
    assert ("Also used", "Acme MSP NZ Ltd") in flow.summary()
    wizard.button(QWizard.WizardButton.FinishButton).click()
    assert flow.committed
    raw = session.store.raw_settings()
    assert (raw["orgs.default"], raw["orgs.unused"], raw["orgs.routes"], raw["xero_status"]) == (AU, "[]", "{}", "draft")
    session.reconnect()


def organisation_column(win) -> dict[str, str]:
    model = win.invoices.model
    return {r.invoice_number: model.index(model.source_row(r.autotask_id), Col.ORGANISATION).data()
            for r in win.rows()}


def test_two_organisations_from_the_wizard_to_each_invoice_in_its_own(qtbot, tmp_path, two):
    with Session.open(tmp_path / "d", two) as session:
        run_wizard(qtbot, session)
        win = open_window(qtbot, session)
        try:
            assert win.invoices.view.isColumnHidden(Col.ORGANISATION)  # all to one organisation so far
            win.orgs.act_orgs.trigger()
            qtbot.waitUntil(lambda: win.orgs.dialog is not None and win.orgs.dialog.isVisible(), timeout=TIMEOUT)
            dialog = win.orgs.dialog
            assert [(name, tenant) for _, name, tenant in dialog.rows] == [
                ("Acme Dental Group", AU), ("Bluegum Legal", AU), ("Harbour Logistics Pty Ltd", AU)]
            combo = dialog.combos[100]  # Acme Dental Group
            assert [combo.itemText(i) for i in range(combo.count())] == [
                "Acme MSP Pty Ltd (default)", "Acme MSP NZ Ltd"]
            save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
            assert not save.isEnabled()  # nothing changed yet
            combo.setCurrentIndex(combo.findData(NZ))
            assert dialog.changes() == {100: NZ} and save.isEnabled()
            save.click()
            # saved as `orgs route` saves it, then every unsynced invoice is checked again
            qtbot.waitUntil(lambda: not win.ops.busy and organisation_column(win)["INV-5001"] == "Acme MSP NZ Ltd",
                            timeout=TIMEOUT)
            assert json.loads(session.store.raw_settings()["orgs.routes"]) == {"100": [NZ, "Acme Dental Group"]}
            assert organisation_column(win) == {
                "INV-5001": "Acme MSP NZ Ltd", "INV-5002": "Acme MSP Pty Ltd", "INV-5003": "Acme MSP Pty Ltd",
                "INV-5004": "Acme MSP NZ Ltd", "INV-5005": "Acme MSP Pty Ltd"}
            assert not win.invoices.view.isColumnHidden(Col.ORGANISATION)

            win.ask = lambda box: True
            win.commands.act_sync_all.trigger()
            qtbot.waitUntil(lambda: not win.ops.busy, timeout=60000)
            assert {r.invoice_number: r.status for r in win.rows()} == {
                "INV-5001": "synced", "INV-5002": "mismatch", "INV-5003": "synced", "INV-5004": "mismatch",
                "INV-5005": "synced"}
            tenants = session.sandbox.state()["xero"]["tenants"]
            assert [(t["tenantId"], sorted(i["InvoiceNumber"] for i in t["Invoices"])) for t in tenants] == [
                (AU, ["INV-5003", "INV-5005"]), (NZ, ["INV-5001"])]
            calls = win.status.calls.text()
            assert re.fullmatch(r"Xero calls left today: Acme MSP Pty Ltd 4,9\d\d \u00b7 Acme MSP NZ Ltd 4,9\d\d",
                                calls), calls
        finally:
            close_window(qtbot, win)


def test_with_one_organisation_the_page_says_so_and_offers_no_other(qtbot, tmp_path):
    from depot_gui.ui.orgs.routing_dialog import RoutingDialog

    dialog = RoutingDialog([(AU, "Acme MSP Pty Ltd")], AU, [(100, "Acme Dental Group", AU)])
    qtbot.addWidget(dialog)
    assert dialog.intro.text() == (
        "Only one Xero organisation is in use (Acme MSP Pty Ltd): every invoice goes to it. To use another, tick it "
        "in the setup (Settings › Connections › Reconnect…).")
    assert not dialog.combos[100].isEnabled() and dialog.combos[100].currentText() == "Acme MSP Pty Ltd (default)"


def test_an_organisation_chosen_unused_is_offered_for_no_company(tmp_path, two):
    from depot_gui.sync.orgs.routing import OrgDesk

    with Session.open(tmp_path / "d", two) as session:
        session.store.set_setting("orgs.unused", json.dumps([NZ]))
        desk = OrgDesk(session.store, session.connections())
        assert desk.used_tenants() == [(AU, "Acme MSP Pty Ltd")]
        desk.route("Acme Dental Group", "Acme MSP NZ Ltd")  # routed there on purpose (the CLI): used again
        assert desk.used_tenants() == [(AU, "Acme MSP Pty Ltd"), (NZ, "Acme MSP NZ Ltd")]
        assert session.store.raw_settings()["orgs.unused"] == "[]"


def test_the_page_lists_a_company_routed_but_not_invoiced_here(tmp_path, two):
    from depot_gui.sync.orgs.routing import OrgDesk

    with Session.open(tmp_path / "d", two) as session:
        session.store.set_setting("orgs.routes", json.dumps({"555": [NZ, "Old Client Pty Ltd"]}))
        assert OrgDesk(session.store, session.connections()).routing() == [(555, "Old Client Pty Ltd", NZ)]


def test_the_calls_left_stay_hidden_until_xero_said(qtbot):
    from depot_gui.ui.window.status_bar import AppStatusBar

    bar = AppStatusBar()
    qtbot.addWidget(bar)
    bar.show()
    assert bar.calls.isHidden()
    bar.set_calls_left([("Demo AU", 4990), ("Demo NZ", 5000)])
    assert bar.calls.text() == "Xero calls left today: Demo AU 4,990 \u00b7 Demo NZ 5,000" and bar.calls.isVisible()
    bar.set_calls_left([])
    assert bar.calls.isHidden()
