"""The window after a sync left a draft edited in Xero as it is: the edits listed, replaced only on request."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


def edits_box() -> QMessageBox | None:
    return next((w for w in QApplication.topLevelWidgets() if w.objectName() == "edits_review" and w.isVisible()),
                None)


def edited_in_xero(win, qtbot) -> str:
    """Sync INV-5001 from the window, then a bookkeeper sets its first line's quantity to 20 in Xero."""
    row = win.invoices.model.row_for(5001)
    win.ops.sync([row])
    qtbot.waitUntil(lambda: not win.ops.busy and win.invoices.model.row_for(5001).status == "synced", timeout=30000)
    xid = win.invoices.model.row_for(5001).xero_invoice_id
    xero = win.session.connections().xero
    lines = xero.get_invoice(xid)["LineItems"]
    keep = ("Description", "Quantity", "UnitAmount", "AccountCode", "TaxType")
    edited = [{k: ln[k] for k in keep} for ln in lines]
    edited[0]["Quantity"] = 20
    xero.update_invoice(xid, {"InvoiceID": xid, "LineItems": edited}, "bookkeeper-edit-1")
    return xid


def test_the_edits_are_listed_and_kept_unless_replace_is_chosen(window, qtbot):
    win = window
    xid = edited_in_xero(win, qtbot)
    win.ops.sync([win.invoices.model.row_for(5001)], "Re-syncing")
    qtbot.waitUntil(lambda: edits_box() is not None, timeout=30000)
    box = edits_box()
    assert box.informativeText() == "INV-5001: line 1 quantity: Xero 20, Autotask 25."
    assert box.buttonRole(box.defaultButton()) == QMessageBox.ButtonRole.RejectRole  # Enter keeps Xero's draft
    keep = next(b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.RejectRole)
    keep.click()
    qtbot.waitUntil(lambda: not win.ops.busy)
    assert win.session.connections().xero.get_invoice(xid)["LineItems"][0]["Quantity"] == 20.0
    win.ops.sync([win.invoices.model.row_for(5001)], "Re-syncing")
    qtbot.waitUntil(lambda: edits_box() is not None, timeout=30000)
    box = edits_box()
    replace = next(b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.AcceptRole)
    replace.click()
    qtbot.waitUntil(lambda: not win.ops.busy and edits_box() is None, timeout=30000)
    qtbot.waitUntil(lambda: win.session.connections().xero.get_invoice(xid)["LineItems"][0]["Quantity"] == 25.0,
                    timeout=30000)
