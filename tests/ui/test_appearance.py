"""View › Appearance (issue 22): the app's own Dark and Light beside the system's, remembered and applied at
start-up; in Dark the colours the window picks itself (status, mismatch, links) stay readable."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication, QSettings, Qt
from PySide6.QtGui import QImage, QPalette
from PySide6.QtWidgets import QApplication

from depot_gui.ui.colors import MIN_CONTRAST, color_for, contrast
from depot_gui.ui.models.invoice_cells import Col
from depot_gui.ui.window import appearance

from tests.ui.conftest import (  # noqa: F401
    close_window, demo_session, open_window, settle_after_app_main, temp_qsettings, window)

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")
WINDOW, BASE, TEXT = QPalette.ColorRole.Window, QPalette.ColorRole.Base, QPalette.ColorRole.Text


@pytest.fixture
def system_again(qapp):
    """The test leaves the application as the others expect it: System (after its window, before the window
    and its session close)."""
    yield
    appearance.apply(qapp, "system")


def test_choosing_dark_makes_the_window_dark_and_keeps_its_colours_readable(window, system_again, qtbot):
    light = window.palette().color(WINDOW).lightness()
    assert window.invoices.select_number("INV-5002")  # a mismatch: its difference in the warning colour
    qtbot.waitUntil(lambda: window.detail.row is not None and window.detail.row.invoice_number == "INV-5002")
    assert "#8a5300" in window.detail.header.figures["difference"].styleSheet()
    items = {a.text(): a for a in window.commands.menu_view.actions()}
    assert "&Appearance" in items and "&Columns" in items
    dark = {a.text(): a for a in window.appearance.menu.actions()}["&Dark"]
    dark.trigger()
    assert "#ffb74d" in window.detail.header.figures["difference"].styleSheet()  # filled again for the palette
    palette = window.palette()
    assert (light, palette.color(WINDOW).lightness(), palette.color(BASE).lightness()) == (239, 45, 31)
    assert palette.color(TEXT).lightness() > 200
    assert QSettings().value("view/appearance") == "dark" and dark.isChecked()
    model = window.invoices.model
    cell = model.index(model.source_row(5002), Col.DIFFERENCE)
    shown = model.data(cell, Qt.ItemDataRole.ForegroundRole)
    base = palette.color(BASE)
    assert shown.name() == "#ffb74d" and contrast(shown, base) >= MIN_CONTRAST
    for kind in ("error", "ok", "warning"):
        assert contrast(color_for(kind, role=BASE), base) >= MIN_CONTRAST
        assert contrast(color_for(kind, role=WINDOW), palette.color(WINDOW)) >= MIN_CONTRAST
    assert contrast(palette.color(QPalette.ColorRole.Link), base) >= MIN_CONTRAST
    assert contrast(palette.color(QPalette.ColorRole.Link), palette.color(WINDOW)) >= MIN_CONTRAST
    {a.text(): a for a in window.appearance.menu.actions()}["&System"].trigger()
    assert window.palette().color(WINDOW).lightness() == light
    assert "#8a5300" in window.detail.header.figures["difference"].styleSheet()


def test_light_is_fusion_s_light_whatever_the_system(window, system_again, qapp):
    appearance.apply(qapp, "dark")  # a dark system, say
    window.appearance.choose("light")
    assert (qapp.style().name().lower(), window.palette().color(WINDOW).name(),
            window.palette().color(BASE).name()) == ("fusion", "#efefef", "#ffffff")


def test_the_choice_survives_a_restart(qtbot, tmp_path, system_again, qapp):
    """The whole app started again (depot-gui --demo) paints dark: the choice is read before the first window."""
    from depot_gui import app as app_module

    QCoreApplication.setOrganizationName(app_module.ORGANISATION)  # where depot-gui keeps its settings
    QCoreApplication.setApplicationName(app_module.APPLICATION)
    QSettings().setValue("view/appearance", "dark")
    shot = tmp_path / "first.png"
    assert app_module.main(["--demo", "--quit-after", "0", "--screenshot", str(shot)]) == 0
    average = QImage(str(shot)).scaled(1, 1, Qt.AspectRatioMode.IgnoreAspectRatio,
                                       Qt.TransformationMode.SmoothTransformation).pixelColor(0, 0)
    assert average.lightness() < 80  # light: about 230
    for w in QApplication.topLevelWidgets():
        w.close()
        w.deleteLater()
    settle_after_app_main(qapp)
    assert appearance.saved_mode() == "dark"


def test_a_new_window_shows_the_remembered_choice(qtbot, demo_session, system_again):
    QSettings().setValue("view/appearance", "dark")
    win = open_window(qtbot, demo_session)
    try:
        checked = [a.text() for a in win.appearance.menu.actions() if a.isChecked()]
        assert checked == ["&Dark"]
    finally:
        close_window(qtbot, win)


def test_the_figures_captions_are_quieter_than_the_figures_and_readable_in_light_and_dark(window, system_again):
    """The captions (Autotask total, Xero total...) were disabled labels: #bebebe on #efefef, 1.6:1."""
    captions = [c for c in window.detail.header.captions]
    assert [c.text() for c in captions] == ["Autotask total", "Xero total", "Difference",
                                            "Maximum rounding difference"]
    for mode, expected in (("light", "#6c6c6c"), ("dark", "#949494")):
        window.appearance.choose(mode)
        QApplication.processEvents()
        cap = captions[0]
        shown, behind = cap.palette().color(cap.foregroundRole()), window.detail.palette().color(WINDOW)
        assert cap.isEnabled()
        assert shown.name() == expected
        assert contrast(shown, behind) >= MIN_CONTRAST
        assert shown != window.detail.palette().color(QPalette.ColorRole.WindowText)
