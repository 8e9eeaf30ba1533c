"""The window with two Xero organisations and a company routed to the second: the organisation column and
filter appear, and the filter shows one organisation's invoices."""

from __future__ import annotations

import json

import pytest

from depot_gui.sync.orgs.routing import OrgDesk
from depot_gui.sync.session.session import Session
from depot_gui.ui.models.invoice_table import Col

from ..conftest import DEMO_PATH
from .conftest import close_window, open_window

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")
NZ = "9b2e4c1d-7a3f-4e8b-b5d6-0c1f2e3a4b5c"


def test_the_organisation_column_and_filter(qtbot, tmp_path):
    sc = json.loads(DEMO_PATH.read_text())
    sc["xero"]["tenants"].append({"tenantId": NZ, "tenantName": "Acme MSP NZ Ltd", "tenantType": "ORGANISATION"})
    scenario = tmp_path / "two.json"
    scenario.write_text(json.dumps(sc))
    with Session.open(tmp_path / "d", scenario) as session:
        OrgDesk(session.store, session.connections()).route("Acme Dental Group", "Acme MSP NZ Ltd")
        win = open_window(qtbot, session)
        try:
            pane = win.invoices
            assert not pane.view.isColumnHidden(Col.ORGANISATION) and pane.organisation_filter.isVisibleTo(win)
            model = pane.model
            shown = {r.invoice_number: model.index(model.source_row(r.autotask_id), Col.ORGANISATION).data()
                     for r in win.rows()}
            assert shown == {"INV-5001": "Acme MSP NZ Ltd", "INV-5002": "Acme MSP Pty Ltd",
                             "INV-5003": "Acme MSP Pty Ltd", "INV-5004": "Acme MSP NZ Ltd",
                             "INV-5005": "Acme MSP Pty Ltd"}
            box = pane.organisation_filter
            assert [box.itemText(i) for i in range(box.count())] == [
                "All organisations", "Acme MSP NZ Ltd", "Acme MSP Pty Ltd"]
            box.setCurrentIndex(1)
            assert [r.invoice_number for r in pane.visible_rows()] == ["INV-5001", "INV-5004"]
            box.setCurrentIndex(0)
            assert len(pane.visible_rows()) == 5
        finally:
            close_window(qtbot, win)
