"""The packaging smoke test's hooks: `--quit-after` counts from the first paint; About shows the version."""

from __future__ import annotations

import tomllib

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from depot_gui.ui.window import first_paint

from ..conftest import REPO
from .conftest import settle_after_app_main

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")
VERSION = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


def test_demo_quits_after_first_paint_and_saves_it(tmp_path, qtbot, capsys):
    from depot_gui import app as app_module

    shot = tmp_path / "first.png"
    assert app_module.main(["--demo", "--quit-after", "0", "--screenshot", str(shot)]) == 0
    image = QImage(str(shot))
    assert not image.isNull() and image.width() >= 600 and image.height() >= 500  # 92% of the 800x800 offscreen screen
    assert "first paint " in capsys.readouterr().err
    for w in QApplication.topLevelWidgets():
        w.close()
        w.deleteLater()
    settle_after_app_main(QApplication.instance())


def test_a_window_that_never_paints_exits_3(qtbot, monkeypatch):
    monkeypatch.setattr(first_paint, "WATCHDOG_MS", 200)
    hidden = QWidget()  # never shown: no Paint event ever comes
    qtbot.addWidget(hidden)
    watcher = first_paint.quit_after_first_paint(hidden, 0)
    assert QApplication.instance().exec() == first_paint.NO_PAINT_EXIT
    assert watcher.painted is False


def test_about_and_diagnostics_show_the_version(window, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "about", lambda parent, title, text: shown.append((title, text)))
    window.commands.act_about.trigger()
    assert shown[0][0] == "About Depot GUI"
    assert shown[0][1].startswith(f"<b>Depot GUI {VERSION}</b>")
    assert f"App {VERSION}; Python " in window.copy_diagnostics()


def test_the_watchdog_is_gone_once_the_app_quit(qtbot, monkeypatch):
    """A run that ended must not end a later event loop (tests share one QApplication)."""
    monkeypatch.setattr(first_paint, "WATCHDOG_MS", 300)
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    first_paint.quit_after_first_paint(window, 0)
    assert QApplication.instance().exec() == 0
    exits = []
    monkeypatch.setattr(QApplication, "exit", staticmethod(lambda code=0: exits.append(code)))
    qtbot.wait(600)  # past the watchdog's time
    assert exits == []
