"""Help › Project page beside the user guide, opening the Homepage of pyproject.toml's [project.urls]."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QDesktopServices

from depot_gui.ui.dialogs.user_guide import project_url

from .conftest import demo_session, temp_qsettings, window  # noqa: F401 - the window fixtures

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


def test_the_help_menu_has_the_project_page_beside_the_user_guide(window, monkeypatch):
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toString()) or True)
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")
    assert [a.text() for a in help_menu.actions()] == ["&User guide", "&Project page", "&Copy diagnostics",
                                                       "&About Depot GUI"]
    window.commands.act_project.trigger()
    assert opened == ["https://depotgui.invalid"]
    assert window.commands.act_project.statusTip() == "Open the project page, https://depotgui.invalid, in your browser"


def test_the_project_url_is_the_homepage_entry():
    assert project_url(["Source, https://example.org/src", "Homepage, https://example.org/"]) == "https://example.org/"
    assert project_url([]) == ""
