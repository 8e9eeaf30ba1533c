"""What the window says: totals Xero will hold, one name for the tolerance, no command lines, titles."""

from __future__ import annotations

import logging

import pytest
from PySide6.QtWidgets import QApplication

from depot_gui.ui.window.main_window import MainWindow
from depot_gui.ui.models.invoice_table import Col

from ..conftest import SCENARIOS

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


def show(win, qtbot, number):
    assert win.invoices.select_number(number)
    qtbot.waitUntil(lambda: win.detail.row is not None and win.detail.row.invoice_number == number)
    return win.detail.text()


def cell(win, number, col):
    model = win.invoices.model
    return model.index(model.source_row(next(r.autotask_id for r in win.rows() if r.invoice_number == number)), col).data()


def test_list_and_detail_show_the_total_xero_will_hold(window, qtbot):
    win = window
    assert cell(win, "INV-5005", Col.XERO_TOTAL) == "110.00 *"
    assert cell(win, "INV-5005", Col.DIFFERENCE) == "0.02"
    assert cell(win, "INV-5001", Col.XERO_TOTAL) == "1,633.50"
    text = show(win, qtbot, "INV-5005")
    assert "xero: AUD 110.00 *" in text
    assert "* The Xero total includes a rounding line of AUD 0.02 (Xero's rounding of the lines alone gives AUD 109.98)." in text


def test_one_name_for_the_tolerance_and_hints_in_order(window, qtbot):
    win = window
    show(win, qtbot, "INV-5005")
    text = win.detail.verdict.text() + win.detail.notes.text() + win.detail.button_hint.text()
    assert "tolerance" not in text.lower() and "allowed" not in text.lower()
    assert "within the AUD 3.00 maximum rounding difference" in text
    assert win.detail.figures["tolerance"].text() == "AUD 3.00"
    show(win, qtbot, "INV-5004")
    assert win.detail.button_hint.text() == "Fix the cause described below, then press Re-sync."
    assert "more than the AUD 3.00 maximum rounding difference" in win.detail.verdict.text()


def test_no_command_lines_in_the_window(window, qtbot):
    text = show(window, qtbot, "INV-5004")  # the service adjustment cause's fix names a setting
    assert "Settings › Audit & sync › Service adjustment support and Re-sync." in text
    assert "depot-sync" not in text


def test_the_window_writes_every_menu_path_with_one_mark(window, qtbot):
    """'Settings ›' everywhere the window shows a path, never 'Settings >' (issue 22)."""
    texts = [show(window, qtbot, n) for n in ("INV-5001", "INV-5002", "INV-5003", "INV-5004", "INV-5005")]
    assert [t for t in texts if " > " in t] == []
    assert "Settings › Connections › Re-check confirms the access." in texts[1]  # the line-of-business fix


def test_synced_invoice_says_lines_sent(window, qtbot):
    win = window
    show(win, qtbot, "INV-5001")
    assert win.detail.lines_heading.text() == "Line by line: Autotask billing items and the Xero lines we would send (amounts in AUD)"
    win.detail.sync_button.click()
    qtbot.waitUntil(lambda: not win.ops.busy and win.detail.row.status == "synced", timeout=30000)
    assert win.detail.lines_heading.text() == "Line by line: Autotask billing items and the Xero lines sent (amounts in AUD)"


def test_not_connected_banner_has_no_command_line(qtbot, tmp_path, caplog):
    from depot_gui.sync.session.session import Session

    session = Session.open(tmp_path / "real")
    win = MainWindow(session)
    qtbot.addWidget(win)
    win.show()
    with caplog.at_level(logging.INFO):
        win.start()
        qtbot.waitUntil(lambda: win.banner.isVisible(), timeout=10000)
        qtbot.waitUntil(lambda: not win.ops.busy)
    assert win.banner.text() == (
        "Not connected — open Settings › Connections to connect Autotask and Xero.\n"
        "Autotask is not connected yet: open Settings › Connections and run the setup."
    )
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []  # a first run is not an error
    assert not any(r.exc_info for r in caplog.records)
    session.close()


def _run_app(qtbot, monkeypatch, argv):
    from depot_gui import app as app_module

    seen = {}

    def fake_exec():
        win = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible())
        qtbot.waitUntil(lambda: not win.ops.busy and len(win.rows()) > 0, timeout=30000)
        seen["rows"] = len(win.rows())
        seen["title"] = win.windowTitle()
        seen["data"] = win.session.paths.data_dir
        win.close()
        win.deleteLater()
        return 0

    monkeypatch.setattr(QApplication, "exec", staticmethod(fake_exec))
    seen["code"] = app_module.main(argv)
    return seen


def test_depot_gui_sandbox_file(qtbot, monkeypatch):
    seen = _run_app(qtbot, monkeypatch, ["--sandbox", str(SCENARIOS / "clean.json")])
    assert seen["code"] == 0 and seen["rows"] == 5
    assert seen["title"] == "Sandbox: clean.json"
    assert not seen["data"].exists()  # a temporary folder, removed on exit


def test_depot_gui_sandbox_with_data_dir_keeps_state(qtbot, monkeypatch, tmp_path):
    seen = _run_app(qtbot, monkeypatch, ["--sandbox", str(SCENARIOS / "clean.json"), "--data-dir", str(tmp_path / "d")])
    assert seen["code"] == 0 and seen["data"] == (tmp_path / "d").resolve()
    assert (tmp_path / "d" / "depot.sqlite3").exists()


def test_depot_gui_sandbox_missing_file(qtbot, monkeypatch, tmp_path):
    from PySide6.QtWidgets import QMessageBox

    from depot_gui import app as app_module

    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: shown.append(text))
    assert app_module.main(["--sandbox", str(tmp_path / "nope.json")]) == 2
    assert shown == [f"Scenario file {tmp_path / 'nope.json'} does not exist"]
