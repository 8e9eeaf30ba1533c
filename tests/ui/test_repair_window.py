"""The window's way back: a damaged database at start offers Repair; File › Repair local database."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from depot_gui.store.db import Store
from depot_gui.ui.window.main_window import MainWindow

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


def test_damaged_database_at_start_offers_repair_then_opens(tmp_path, qtbot, monkeypatch):
    from depot_gui import app as app_module
    from depot_gui.ui.dialogs import repair as repair_ui

    data = tmp_path / "data"
    data.mkdir()
    Store(data / "depot.sqlite3").close()
    conn = sqlite3.connect(data / "depot.sqlite3", isolation_level=None)
    conn.execute("PRAGMA user_version=-3")
    conn.close()
    damaged = (data / "depot.sqlite3").read_bytes()
    asked, reports, windows = [], [], []
    monkeypatch.setattr(app_module, "ask_repair", lambda parent, message: asked.append(message) or True)
    monkeypatch.setattr(repair_ui.QMessageBox, "information", lambda parent, title, text: reports.append(text))
    monkeypatch.setattr(QMessageBox, "critical", lambda *a, **k: windows.append(("critical", a[2])))
    monkeypatch.setattr(MainWindow, "open_setup_wizard", lambda self: None)  # not set up: the wizard is not the point here

    def fake_exec():
        win = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible())
        qtbot.waitUntil(lambda: not win.ops.busy, timeout=30000)
        windows.append(win.rows())
        win.close()
        win.deleteLater()
        return 0

    monkeypatch.setattr(QApplication, "exec", staticmethod(fake_exec))
    assert app_module.main(["--data-dir", str(data)]) == 0
    assert asked == ["Depot GUI's local database is damaged and cannot be read."]  # SQLite's words: the log only
    log_text = (data / "logs" / "depot.log").read_text(encoding="utf-8")
    assert f"the local database {data / 'depot.sqlite3'} is damaged (impossible schema version -3)" in log_text
    (kept,) = [p for p in data.glob("depot.sqlite3.damaged-*") if not p.name.endswith(("-wal", "-shm"))]
    assert kept.read_bytes()[:100] == damaged[:100]
    assert reports[0].splitlines()[0] == "The local database was damaged and could not be read."
    assert "schema" not in reports[0]
    assert ("The invoice states were not rebuilt: Autotask is not connected yet: open Settings › Connections and run "
            "the setup. The database is usable again; use File › Repair local database once Autotask and Xero are "
            "connected.") in reports[0]
    assert "depot-sync" not in reports[0]
    assert windows == [[]]  # the window opened once, on the rebuilt (empty) database


def test_damaged_database_at_start_quit_changes_nothing(tmp_path, monkeypatch):
    from depot_gui import app as app_module

    data = tmp_path / "data"
    data.mkdir()
    (data / "depot.sqlite3").write_bytes(b"not a database, not at all" * 10)
    asked = []
    monkeypatch.setattr(app_module, "ask_repair", lambda parent, message: asked.append(message) and False)
    assert app_module.main(["--data-dir", str(data)]) == 2
    assert asked == ["Depot GUI's local database is damaged and cannot be read."]
    assert "is damaged (file is not a database)" in (data / "logs" / "depot.log").read_text(encoding="utf-8")
    assert sorted(p.name for p in data.iterdir()) == ["depot.sqlite3", "logs"]


def test_file_menu_repair_asks_then_requests(window, qtbot, monkeypatch):
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(window.repair_requested, timeout=2000):
        window.commands.act_repair.trigger()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    with qtbot.assertNotEmitted(window.repair_requested):
        window.commands.act_repair.trigger()


@pytest.mark.slow
def test_repair_from_the_window_closes_repairs_and_reopens(qtbot, monkeypatch):
    from depot_gui import app as app_module
    from depot_gui.ui.dialogs import repair as repair_ui

    reports, seen = [], []
    monkeypatch.setattr(repair_ui.QMessageBox, "information", lambda parent, title, text: reports.append(text))

    def fake_exec():
        win = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible())
        qtbot.waitUntil(lambda: not win.ops.busy and len(win.rows()) == 6, timeout=30000)
        seen.append([r.status for r in win.rows()])
        win.close()
        win.deleteLater()
        return repair_ui.REPAIR_EXIT if len(seen) == 1 else 0

    monkeypatch.setattr(QApplication, "exec", staticmethod(fake_exec))
    assert app_module.main(["--demo"]) == 0
    assert len(seen) == 2  # the window reopened after the repair
    assert seen[1] == seen[0]
    assert reports[0].startswith("The local database ") and "is sound" in reports[0]
    assert "Nothing was written to Xero or Autotask." in reports[0]


def damage_row(session, number: str) -> None:
    """One invoice's row made unreadable behind the window's back (its causes no longer JSON)."""
    conn = sqlite3.connect(session.paths.database)
    with conn:
        conn.execute("UPDATE invoices SET causes='{not json' WHERE invoice_number=?", (number,))
    conn.close()


def test_a_database_damaged_while_the_window_is_open_says_what_to_do_in_plain_words(qtbot, demo_session):
    from .conftest import close_window, open_window

    [synced] = demo_session.syncer().sync(["INV-5001"])  # a synced row: the refresh reads it but does not rewrite it
    assert synced.ok, synced.message
    win = open_window(qtbot, demo_session)
    try:
        damage_row(demo_session, "INV-5001")
        win.commands.act_refresh.trigger()
        qtbot.waitUntil(lambda: not win.ops.busy and win.banner.isVisible(), timeout=30000)
        assert win.banner.text() == (
            "Refresh from Autotask: Depot GUI's local database is damaged and cannot be read; use File › Repair "
            "local database, which keeps the damaged file aside and rebuilds the invoice states from the newest "
            "backup, Autotask and Xero.")
        detail = (f"the local database {demo_session.paths.database} is damaged (the row of invoice 5001 is "
                  "unreadable: causes '{not json' is not JSON)")
        assert detail in (demo_session.paths.logs / "depot.log").read_text(encoding="utf-8")
        diagnostics = win.copy_diagnostics().splitlines()
        assert [ln for ln in diagnostics if ln.startswith("Local database: ")] == [
            f"Local database: {detail}. Run `depot-sync repair` (or Repair local database in the window): it keeps "
            "the damaged file aside and rebuilds the invoice states from Autotask and Xero."]
        assert any(ln.endswith(f"ERROR depot_gui.ui: Refresh from Autotask did not finish: {detail}. Run `depot-sync "
                               "repair` (or Repair local database in the window): it keeps the damaged file aside and "
                               "rebuilds the invoice states from Autotask and Xero.") for ln in diagnostics)
    finally:
        close_window(qtbot, win)


def test_an_unreadable_invoice_record_is_said_in_the_pane_not_raised(qtbot, demo_session):
    from .conftest import close_window, open_window

    win = open_window(qtbot, demo_session)
    try:
        damage_row(demo_session, "INV-5002")
        win.detail.show_invoice(5002)  # as when the person selects it, or a batch's rows bring it again
        assert win.detail.row is None
        assert win.detail.header.title.text() == "This invoice cannot be shown"  # not "No invoice selected"
        assert win.detail.header.verdict.text() == (
            "This invoice's record in the local database cannot be read: use File › Repair local database (it "
            "keeps the damaged file aside and rebuilds the invoice states).")
        assert win.detail.empty_text.startswith("Select an invoice")  # the pane's usual empty text is kept
    finally:
        close_window(qtbot, win)
