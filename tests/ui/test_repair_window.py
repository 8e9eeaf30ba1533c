"""The window's way back: a damaged database at start offers Repair; File › Repair local database."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from depot_gui.store.db import Store
from depot_gui.ui.main_window import MainWindow

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


def test_damaged_database_at_start_offers_repair_then_opens(tmp_path, qtbot, monkeypatch):
    from depot_gui import app as app_module
    from depot_gui.ui import repair as repair_ui

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
    assert asked == [f"The local database {data / 'depot.sqlite3'} is damaged (impossible schema version -3)."]
    (kept,) = [p for p in data.glob("depot.sqlite3.damaged-*") if not p.name.endswith(("-wal", "-shm"))]
    assert kept.read_bytes()[:100] == damaged[:100]
    assert "The local database was damaged (impossible schema version -3)." in reports[0]
    assert ("The invoice states were not rebuilt: Autotask is not connected yet: open Settings › Connections and run "
            "the setup. The database is usable again; use File › Repair local database once more") in reports[0]
    assert "depot-sync" not in reports[0]
    assert windows == [[]]  # the window opened once, on the rebuilt (empty) database


def test_damaged_database_at_start_quit_changes_nothing(tmp_path, monkeypatch):
    from depot_gui import app as app_module

    data = tmp_path / "data"
    data.mkdir()
    (data / "depot.sqlite3").write_bytes(b"not a database, not at all" * 10)
    monkeypatch.setattr(app_module, "ask_repair", lambda parent, message: False)
    assert app_module.main(["--data-dir", str(data)]) == 2
    assert sorted(p.name for p in data.iterdir()) == ["depot.sqlite3", "logs"]


def test_file_menu_repair_asks_then_requests(window, qtbot, monkeypatch):
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(window.repair_requested, timeout=2000):
        window.act_repair.trigger()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    with qtbot.assertNotEmitted(window.repair_requested):
        window.act_repair.trigger()


def test_repair_from_the_window_closes_repairs_and_reopens(qtbot, monkeypatch):
    from depot_gui import app as app_module
    from depot_gui.ui import repair as repair_ui

    reports, seen = [], []
    monkeypatch.setattr(repair_ui.QMessageBox, "information", lambda parent, title, text: reports.append(text))

    def fake_exec():
        win = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible())
        qtbot.waitUntil(lambda: not win.ops.busy and len(win.rows()) == 5, timeout=30000)
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
