"""UI fixtures: temp QSettings, a demo session on the sandbox, the real window."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication, QSettings

from depot_gui.sync.session import Session
from depot_gui.ui.workers import wait_for_ops

from ..conftest import DEMO_PATH


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


@pytest.fixture
def window(qtbot, demo_session):
    """The real main window on the demo sandbox, loaded (background audit finished)."""
    from depot_gui.ui.main_window import MainWindow

    win = MainWindow(demo_session)
    qtbot.addWidget(win)
    win.show()
    win.start()
    qtbot.waitUntil(lambda: not win.ops.busy and len(win.rows()) == 5, timeout=30000)
    yield win
    if win.ops.current is not None:
        win.ops.current.cancel.cancel()
    qtbot.waitUntil(lambda: not win.ops.busy, timeout=30000)
    wait_for_ops()
