"""The window on a company with close Xero contacts: Choose Xero contact…, link / create / cancel, the list.

INV-5003's company is "Harbour Logistics Pty Ltd" and Xero already has "Harbour Logistics"
(tests/contacts/test_linked_on_purpose.harbour): the invoice waits for the user's choice.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from depot_gui.ui.models.invoice_table import Col

from ..contacts.test_linked_on_purpose import HARBOUR, harbour

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")
SAME_NAME = "same name apart from punctuation, case or a legal suffix"


@pytest.fixture
def win(scenario_window, tmp_path):
    return scenario_window(harbour(tmp_path))


def xero_contacts(win) -> list[str]:
    return sorted(c["Name"] for c in win.session.sandbox.state()["xero"]["Contacts"])


def xero_requests(win) -> list[str]:
    return [f"{r['method']} {r['path']}" for r in win.session.sandbox.state()["requests"] if r["api"] == "xero"]


def links(win) -> dict:
    tenant = win.session.connections().tenant_id
    return {k: (v.contact_id, v.contact_name, v.decision) for k, v in win.session.store.contact_links.of(tenant).items()}


def box(name: str) -> QMessageBox | None:
    return next((w for w in QApplication.topLevelWidgets() if w.objectName() == name and w.isVisible()), None)


def table(view) -> list[tuple[str, ...]]:
    model = view.model()
    return [tuple(model.index(r, c).data() for c in range(model.columnCount())) for r in range(model.rowCount())]


def listed(dialog, company: str) -> tuple[str, ...]:
    return next(r for r in table(dialog.view) if r[0] == company)


def open_chooser(win, qtbot):
    """Select INV-5003, press Choose Xero contact…; the chooser is up with the directory loaded."""
    assert win.invoices.select_number("INV-5003")
    qtbot.waitUntil(lambda: win.detail.row is not None and win.detail.row.invoice_number == "INV-5003")
    assert win.detail.contact_button.isVisible() and win.detail.contact_button.isEnabled()
    qtbot.mouseClick(win.detail.contact_button, Qt.MouseButton.LeftButton)
    chooser = win.contacts.chooser
    qtbot.waitUntil(lambda: chooser.search.isEnabled() and not win.ops.busy, timeout=30000)
    return chooser


def test_the_waiting_invoice_says_choose_contact_without_a_command_line(win, qtbot):
    row = next(r for r in win.rows() if r.invoice_number == "INV-5003")
    model = win.invoices.model
    assert model.index(model.source_row(row.autotask_id), Col.STATUS).data() == "Choose contact"
    assert row.status == "error"  # the JSON and command-line status stays error
    assert win.status.counts.text() == ("Ready 2 · Synced 0 · Mismatch 2 · Conflict 0 · Error 0 · "
                                        "Choose contact 1")
    assert win.status.currentMessage().startswith(
        "Checked 5 invoices against Autotask: 2 ready, 2 mismatch, 1 choose contact.")
    win.invoices.select_number("INV-5003")
    qtbot.waitUntil(lambda: win.detail.row is not None and win.detail.row.invoice_number == "INV-5003")
    assert win.detail.status_chip.text() == "Choose contact"
    assert win.detail.verdict.text() == (
        "Not synced yet: Xero has no contact named \u201cHarbour Logistics Pty Ltd\u201d, but has a close one: "
        "\u201cHarbour Logistics\u201d (same name apart from punctuation, case or a legal suffix). Choose the contact "
        "once for this company: link an existing one, or create a new contact. Nothing is created in Xero until "
        "you choose.")
    assert "depot-sync" not in win.detail.text()
    assert win.detail.button_hint.text() == ("Choose the contact once for this company: its invoices go there "
                                             "from now on.")
    win.invoices.select_number("INV-5002")  # an ordinary invoice has no such button
    qtbot.waitUntil(lambda: win.detail.row.invoice_number == "INV-5002")
    assert not win.detail.contact_button.isVisible()


def test_linking_the_close_contact_makes_the_invoice_ready_and_keeps_the_link(win, qtbot):
    before = len(xero_requests(win))
    chooser = open_chooser(win, qtbot)
    assert len(xero_requests(win)) - before == 1  # the directory's "changed since", once for the state and the search
    assert chooser.heading.text() == "Harbour Logistics Pty Ltd"
    assert chooser.facts.text() == "Autotask company · Account number C102 · Invoices not yet in Xero: INV-5003"
    assert table(chooser.view) == [("Harbour Logistics", "—", SAME_NAME)]
    assert chooser.link_button.isEnabled()
    assert chooser.create_button.text() == "Create &new contact \u201cHarbour Logistics Pty Ltd\u201d"
    qtbot.mouseClick(chooser.link_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not win.ops.busy and win.detail.row.status == "ready", timeout=30000)
    assert links(win) == {102: (HARBOUR, "Harbour Logistics", "link")}
    model = win.invoices.model
    assert model.index(model.source_row(5003), Col.STATUS).data() == "Ready"
    assert win.status.counts.text() == "Ready 3 · Synced 0 · Mismatch 2 · Conflict 0 · Error 0"
    assert win.status.currentMessage() == ("Harbour Logistics Pty Ltd now goes to the Xero contact "
                                           "\u201cHarbour Logistics\u201d. INV-5003 is ready to sync (not sent yet).")
    assert not win.detail.contact_button.isVisible()
    assert win.session.sandbox.state()["xero"]["Invoices"] == []  # never synced automatically
    assert xero_contacts(win) == ["Acme Dental Group", "Harbour Logistics"]


def test_creating_asks_naming_the_close_contact_then_creates_exactly_one(win, qtbot):
    chooser = open_chooser(win, qtbot)
    qtbot.mouseClick(chooser.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: box("create_contact_confirm") is not None)
    confirm = box("create_contact_confirm")
    assert confirm.text() == "Create a new Xero contact \u201cHarbour Logistics Pty Ltd\u201d?"
    assert confirm.informativeText() == (
        "It would sit beside these existing contacts:\n\u2022 Harbour Logistics (" + SAME_NAME + ")\n\n"
        "From now on this company's invoices go to the new contact. It is created in Xero now.")
    assert confirm.defaultButton() is confirm.button(QMessageBox.StandardButton.Cancel)
    create = next(b for b in confirm.buttons() if confirm.buttonRole(b) == QMessageBox.ButtonRole.AcceptRole)
    qtbot.mouseClick(create, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not win.ops.busy and win.detail.row.status == "ready", timeout=30000)
    assert xero_contacts(win) == ["Acme Dental Group", "Harbour Logistics", "Harbour Logistics Pty Ltd"]
    made = next(c for c in win.session.sandbox.state()["xero"]["Contacts"] if c["Name"] == "Harbour Logistics Pty Ltd")
    assert made["AccountNumber"] == "C102"
    assert links(win) == {102: (made["ContactID"], "Harbour Logistics Pty Ltd", "create")}
    assert not chooser.isVisible()


def test_cancel_changes_nothing(win, qtbot):
    chooser = open_chooser(win, qtbot)
    qtbot.mouseClick(chooser.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: box("create_contact_confirm") is not None)
    box("create_contact_confirm").button(QMessageBox.StandardButton.Cancel).click()
    assert chooser.isVisible()  # back to the choice
    chooser.buttons.button(chooser.buttons.StandardButton.Cancel).click()
    qtbot.waitUntil(lambda: not chooser.isVisible())
    assert not win.ops.busy
    assert links(win) == {}
    assert win.detail.row.status == "error"
    assert xero_contacts(win) == ["Acme Dental Group", "Harbour Logistics"]


def test_the_search_finds_a_contact_that_is_not_close(win, qtbot):
    chooser = open_chooser(win, qtbot)
    qtbot.keyClicks(chooser.search, "acme")
    assert table(chooser.view) == [("Acme Dental Group", "C100", "found by your search")]
    assert chooser.state.text() == "1 contact match \u201cacme\u201d."
    qtbot.mouseClick(chooser.link_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not win.ops.busy and win.detail.row.status == "ready", timeout=30000)
    assert links(win) == {102: ("9a0b1c2d-0000-4000-8000-000000000100", "Acme Dental Group", "link")}


def test_the_companies_list_chooses_and_forgets(win, qtbot):
    dialog = win.contacts.open_list()
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 3 and not win.ops.busy, timeout=30000)
    assert table(dialog.view) == [
        ("Harbour Logistics Pty Ltd", "C102", "Choose: 1 close contact in Xero", "1", "INV-5003"),
        ("Bluegum Legal", "C101", "New: the first sync creates it", "0", "INV-5002, INV-5005"),
    ]
    assert dialog.state.text() == "3 companies invoiced here; 2 without a settled contact."
    dialog.unlinked.setChecked(False)
    assert [r[0] for r in table(dialog.view)] == ["Harbour Logistics Pty Ltd", "Bluegum Legal", "Acme Dental Group"]
    assert table(dialog.view)[2] == ("Acme Dental Group", "C100", "Matches \u201cAcme Dental Group\u201d", "0",
                                     "INV-5001, INV-5004")
    dialog.view.setFocus()
    dialog.view.selectRow(0)
    qtbot.keyClick(dialog.view, Qt.Key.Key_Return)  # Enter opens the chooser for that company
    chooser = win.contacts.chooser
    qtbot.waitUntil(lambda: chooser is not None and chooser.search.isEnabled() and not win.ops.busy, timeout=30000)
    assert chooser.heading.text() == "Harbour Logistics Pty Ltd"
    qtbot.mouseClick(chooser.link_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not win.ops.busy and links(win) and listed(dialog, "Harbour Logistics Pty Ltd")[2]
                    != "Choose: 1 close contact in Xero", timeout=30000)
    assert [r[0] for r in table(dialog.view)] == ["Bluegum Legal", "Acme Dental Group", "Harbour Logistics Pty Ltd"]
    assert listed(dialog, "Harbour Logistics Pty Ltd") == (
        "Harbour Logistics Pty Ltd", "C102", "Linked to \u201cHarbour Logistics\u201d", "0", "INV-5003")
    assert win.session.store.invoice(5003).status == "ready"
    dialog.view.selectRow(2)
    assert dialog.forget_button.isEnabled()
    qtbot.mouseClick(dialog.forget_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: box("forget_contact_confirm") is not None)
    confirm = box("forget_contact_confirm")
    assert confirm.informativeText() == (
        "Its invoices go to \u201cHarbour Logistics\u201d now. After forgetting, its invoices not yet in Xero are "
        "checked again and wait for a new choice when Xero has close contacts. Nothing changes in Xero.")
    assert confirm.defaultButton() is confirm.button(QMessageBox.StandardButton.Cancel)
    forget = next(b for b in confirm.buttons() if confirm.buttonRole(b) == QMessageBox.ButtonRole.AcceptRole)
    qtbot.mouseClick(forget, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not win.ops.busy and links(win) == {} and listed(dialog, "Harbour Logistics Pty Ltd")[2]
                    == "Choose: 1 close contact in Xero", timeout=30000)
    assert win.session.store.invoice(5003).status == "error"
    assert win.status.currentMessage() == ("Harbour Logistics Pty Ltd: choose: 1 close contact in Xero. "
                                           "Not ready: INV-5003 (select one to see why).")


def test_the_chooser_is_keyboard_navigable(win, qtbot):
    from .test_keyboard import _name, tab_walk

    chooser = open_chooser(win, qtbot)
    stops = [_name(w) for w in tab_walk(chooser, qtbot, chooser.search)]
    assert stops == ["Search all Xero contacts", "Xero contacts offered", "Link to selected contact",
                     "Create new contact \u201cHarbour Logistics Pty Ltd\u201d", "Cancel"]


def test_the_list_is_keyboard_navigable(win, qtbot):
    from .test_keyboard import _name, tab_walk

    dialog = win.contacts.open_list()
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 3 and not win.ops.busy, timeout=30000)
    dialog.view.selectRow(0)
    stops = [_name(w) for w in tab_walk(dialog, qtbot, dialog.search)]
    assert stops == ["Search companies", "Show only companies without a settled contact", "Companies",
                     "Choose contact…", "Close"]  # Forget choice… is off: nothing is chosen yet


def test_the_list_asked_for_during_a_refresh_loads_after_it(win, qtbot):
    assert win.ops.refresh(quiet=True)
    assert win.ops.busy
    dialog = win.contacts.open_list()
    assert dialog.state.text() == "Loading the companies and the Xero contacts…"
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 3 and not win.ops.busy, timeout=30000)
    assert [r[0] for r in table(dialog.view)] == ["Harbour Logistics Pty Ltd", "Bluegum Legal"]


def test_a_chosen_contact_archived_since_is_chosen_again_from_the_invoice(win, qtbot):
    session = win.session
    chooser = open_chooser(win, qtbot)
    qtbot.mouseClick(chooser.link_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not win.ops.busy and win.detail.row.status == "ready", timeout=30000)
    session.connections().xero._write("POST", "Contacts", "Contacts", {"ContactID": HARBOUR, "ContactStatus": "ARCHIVED"},
                                      "test-archive-harbour", unitdp=False)
    session.sandbox.advance_clock(600)
    assert win.ops.refresh(quiet=True)
    qtbot.waitUntil(lambda: not win.ops.busy and win.detail.row.status == "error", timeout=30000)
    assert win.detail.status_chip.text() == "Error"  # not a first choice: the verdict says what happened
    assert win.detail.verdict.text().startswith("Not synced: the Xero contact \u201cHarbour Logistics\u201d chosen for "
                                                "Harbour Logistics Pty Ltd is archived in Xero.")
    qtbot.mouseClick(win.detail.contact_button, Qt.MouseButton.LeftButton)
    chooser = win.contacts.chooser
    qtbot.waitUntil(lambda: chooser.search.isEnabled() and not win.ops.busy, timeout=30000)
    assert chooser.facts.text() == ("Autotask company · Account number C102 · Invoices not yet in Xero: INV-5003 · "
                                    "Now: chosen contact \u201cHarbour Logistics\u201d can no longer be used")
    assert table(chooser.view) == []  # the archived contact cannot be linked again
    assert not chooser.link_button.isEnabled()
    qtbot.keyClicks(chooser.search, "harbour")
    assert table(chooser.view) == []
    qtbot.mouseClick(chooser.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: box("create_contact_confirm") is not None)
    confirm = box("create_contact_confirm")
    assert confirm.informativeText() == ("From now on this company's invoices go to the new contact. "
                                         "It is created in Xero now.")
    next(b for b in confirm.buttons() if confirm.buttonRole(b) == QMessageBox.ButtonRole.AcceptRole).click()
    qtbot.waitUntil(lambda: not win.ops.busy and win.detail.row.status == "ready", timeout=30000)
    assert xero_contacts(win) == ["Acme Dental Group", "Harbour Logistics", "Harbour Logistics Pty Ltd"]
    assert links(win)[102][1:] == ("Harbour Logistics Pty Ltd", "create")
