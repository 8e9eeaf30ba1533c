"""The mapping page's revenue-by-line-of-business part: Xero's tracking categories, one option combo
per Autotask line of business, loaded in the page's background load, saved with the mapping."""

from __future__ import annotations

import json

import pytest

from depot_gui.store.secrets import SecretStore
from depot_gui.sync.setup import K_MAPPING_TRACKING, Page, SetupFlow, sandbox_browser
from depot_gui.ui.wizard.mapping_page import NO_OPTION, NO_TRACKING

from ..tracking_scenario import tracking_scenario
from .conftest import make_endpoints
from .test_wizard_qt import TIMEOUT, fill_autotask, go_next, qtbot_left

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


def items(combo):
    return [combo.itemText(i) for i in range(combo.count())]


@pytest.fixture
def mapping_page(qtbot, make_wizard, open_sandbox, store, tmp_path):
    flow = SetupFlow(store, SecretStore(), make_endpoints(open_sandbox(tracking_scenario(tmp_path))))
    flow.port = 0
    wizard = make_wizard(flow, open_url=sandbox_browser(flow.endpoints.transport))
    fill_autotask(qtbot, wizard)
    go_next(qtbot, wizard, Page.LOB)
    lob = wizard.page_for(Page.LOB)
    qtbot.waitUntil(lambda: flow.lob is not None and not lob.busy, timeout=TIMEOUT)
    lob.confirm.setChecked(True)  # the demo's API user does not see Hardware
    go_next(qtbot, wizard, Page.XERO)
    xero = wizard.page_for(Page.XERO)
    xero.port.setValue(0)
    qtbot.mouseClick(xero.connect_button, qtbot_left())
    qtbot.waitUntil(lambda: flow.xero_connected and not xero.busy, timeout=TIMEOUT)
    go_next(qtbot, wizard, Page.MAPPING)
    page = wizard.page_for(Page.MAPPING)
    qtbot.waitUntil(lambda: flow.mapping is not None and not page.busy, timeout=TIMEOUT)
    return wizard, flow, page


def test_the_page_offers_the_categories_and_a_row_per_line_of_business(mapping_page):
    wizard, flow, page = mapping_page
    assert items(page.tracking_category) == [NO_TRACKING, "Business Unit", "Region"]
    assert page.tracking_category.currentText() == NO_TRACKING  # the default: no tracking
    labels = [page.tracking_form.itemAt(i, page.tracking_form.ItemRole.LabelRole).widget().text()
              for i in range(page.tracking_form.rowCount())]
    assert labels == ["Sydney / Hardware:", "Sydney / Managed Services:", "Sydney / Projects:"]
    assert all(not combo.isEnabled() for combo in page.tracking_combos.values())
    assert json.loads(flow.pending_changes()[1][K_MAPPING_TRACKING]) == {"category": "", "options": {}}


def test_choosing_a_category_proposes_options_by_name_and_saves_them(mapping_page):
    wizard, flow, page = mapping_page
    page.tracking_category.setCurrentIndex(page.tracking_category.findText("Business Unit"))
    combos = page.tracking_combos
    assert items(combos[11]) == [NO_OPTION, "Managed Services", "Projects"]  # Hardware is archived in Xero
    assert [combos[i].currentText() for i in (11, 12, 13)] == ["Managed Services", "Projects", NO_OPTION]
    assert page.warnings.text() == (
        "<ul><li>Line of business &#x27;Sydney / Hardware&#x27; has no &#x27;Business Unit&#x27; option: its lines "
        "will be sent without tracking.</li></ul>")
    combos[13].setCurrentIndex(combos[13].findText("Projects"))
    assert json.loads(flow.pending_changes()[1][K_MAPPING_TRACKING]) == {
        "category": "Business Unit", "options": {"11": "Managed Services", "12": "Projects", "13": "Projects"}}
    page.tracking_category.setCurrentIndex(page.tracking_category.findText("Region"))
    assert [combos[i].currentText() for i in (11, 12, 13)] == ["Sydney", "Sydney", "Sydney"]


def test_the_contacts_box_says_close_contacts_wait_for_a_choice(mapping_page):
    _, _, page = mapping_page
    assert page.contact_note.text() == (
        "A company with no exact Xero contact but a close one (\u201cContoso Ltd\u201d and \u201cContoso Limited\u201d, "
        "say) is never given a second contact on its own: its invoices wait until you choose, once, to link the "
        "existing contact or create a new one (File \u203a Xero contacts\u2026).")
    assert page.contact_note.isVisibleTo(page)
