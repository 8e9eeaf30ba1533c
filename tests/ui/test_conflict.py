"""The window on a conflict: the document named, nothing sendable, Link reviewed then recorded."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from ..sync.test_integrity import HAND_MADE_ID, hand_made_draft, scenario, xero_invoice

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


@pytest.fixture
def conflict_window(scenario_window, tmp_path):
    return scenario_window(scenario(tmp_path, hand_made_draft))


def review_box() -> QMessageBox | None:
    return next((w for w in QApplication.topLevelWidgets() if w.objectName() == "link_review" and w.isVisible()), None)


def open_review(win, qtbot) -> None:
    """Select INV-5001 and press Link to Xero document…; its review box is up."""
    assert win.invoices.select_number("INV-5001")
    qtbot.waitUntil(lambda: win.detail.row is not None and win.detail.row.invoice_number == "INV-5001")
    qtbot.mouseClick(win.detail.link_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: review_box() is not None, timeout=30000)


def test_conflict_is_shown_with_the_document_and_cannot_be_sent(conflict_window, qtbot):
    win = conflict_window
    assert win.invoices.select_number("INV-5001")
    qtbot.waitUntil(lambda: win.detail.row is not None and win.detail.row.invoice_number == "INV-5001")
    assert win.detail.status_chip.text() == "Conflict"
    assert win.detail.verdict.text().startswith(
        "Not synced: Xero already has draft invoice INV-5001 for Walk-in Customer, total AUD 55.00")
    assert "give it another number in Xero" in win.detail.notes.text()
    assert not win.detail.sync_button.isEnabled()
    assert win.detail.resync_button.isEnabled()
    assert win.detail.link_button.isVisible() and win.detail.link_button.isEnabled()
    assert "Conflict 1" in win.status.counts.text()
    assert not win.commands.act_sync.isEnabled()


def test_link_is_reviewed_then_recorded(conflict_window, qtbot):
    win = conflict_window
    open_review(win, qtbot)
    box = review_box()
    assert "Walk-in Customer, total AUD 55.00" in box.informativeText()
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.Cancel)
    link = next(b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.AcceptRole)
    qtbot.mouseClick(link, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not win.ops.busy and win.detail.row.status == "synced", timeout=30000)
    model = win.detail.history_model
    [linked] = [r for r in range(model.rowCount()) if model.index(r, 1).data() == "Linked to a Xero document"]
    assert model.index(linked, 2).data() == "Linked"
    assert model.index(linked, 3).data().startswith("Linked to Xero draft invoice INV-5001 for Walk-in Customer")
    assert xero_invoice(win.session, "INV-5001")[0]["Reference"] == "Autotask invoice 5001 · typed by hand"
    assert xero_invoice(win.session, "INV-5001")[0]["InvoiceID"] == HAND_MADE_ID


def test_cancelling_the_review_writes_nothing(conflict_window, qtbot):
    win = conflict_window
    open_review(win, qtbot)
    review_box().button(QMessageBox.StandardButton.Cancel).click()
    qtbot.waitUntil(lambda: not win.ops.busy)
    assert win.detail.row.status == "conflict"
    assert xero_invoice(win.session, "INV-5001")[0]["Reference"] == "typed by hand"
