"""UI fixtures: temp QSettings, a demo session on the sandbox, the real window."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication, QSettings, QTimer

from depot_gui.sync.session.session import Session
from depot_gui.ui.ops.workers import wait_for_ops

from ..conftest import DEMO_PATH


def settle_after_app_main(qapp) -> None:
    """After ``depot_gui.app.main()`` ran its window in this process: one more turn of the application's loop,
    as a real process would have ended here. Its window's close leaves a quit queued; without this turn the
    next test's window never gets its background results (pytest-xdist may hand that worker any window
    test next: every window test of the worker then timed out)."""
    QTimer.singleShot(0, qapp.quit)
    qapp.exec()


@pytest.fixture(autouse=True)
def temp_qsettings(tmp_path_factory):
    """QSettings go to a temp folder; the user's real window state is never read or written."""
    path = tmp_path_factory.mktemp("qsettings")
    QCoreApplication.setOrganizationName("Depot GUI Tests")
    QCoreApplication.setApplicationName("Depot GUI Tests")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(path))
    yield path


@pytest.fixture
def demo_session(tmp_path):
    session = Session.open(tmp_path / "data", DEMO_PATH)
    yield session
    wait_for_ops()
    session.close()


def open_window(qtbot, session, rows: int = 5):
    """The real main window on ``session``, shown and loaded (its background audit finished)."""
    from depot_gui.ui.window.main_window import MainWindow

    win = MainWindow(session)
    qtbot.addWidget(win)
    win.show()
    win.start()
    qtbot.waitUntil(lambda: not win.ops.busy and len(win.rows()) == rows, timeout=30000)
    return win


def close_window(qtbot, win) -> None:
    """Cancel what runs and wait for every background op to end."""
    win.pending.timer.stop()
    if win.ops.current is not None:
        win.ops.current.cancel.cancel()
    qtbot.waitUntil(lambda: not win.ops.busy, timeout=30000)
    wait_for_ops()


@pytest.fixture
def window(qtbot, demo_session):
    """The real main window on the demo sandbox, loaded (background audit finished)."""
    win = open_window(qtbot, demo_session)
    yield win
    close_window(qtbot, win)


@pytest.fixture
def scenario_window(qtbot, tmp_path):
    """A factory: the real main window on a scenario file (closed and its session shut at the end)."""
    opened = []

    def make(scenario):
        session = Session.open(tmp_path / f"data{len(opened)}", scenario)
        win = open_window(qtbot, session)
        opened.append((win, session))
        return win

    yield make
    for win, session in opened:
        close_window(qtbot, win)
        session.close()
