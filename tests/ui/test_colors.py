"""Message colours reach 4.5:1 on light and dark palettes (WCAG AA), in the wizard and the window."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QPalette

from depot_gui.ui.colors import MIN_CONTRAST, SHADES, color_for, contrast, readable

LIGHT = ("#ffffff", "#efefef", "#f7f7f7")  # Base, Window, AlternateBase of common light themes
DARK = ("#2a2a2a", "#353535", "#1e1e1e", "#424242")  # Fusion dark, Breeze dark, Windows dark


def test_contrast_matches_wcag_examples():
    assert round(contrast(QColor("#000000"), QColor("#ffffff")), 2) == 21.0
    assert round(contrast(QColor("#777777"), QColor("#ffffff")), 2) == 4.48
    # The fixed colours the wizard used before, on a dark window (worked by hand): far below 4.5.
    assert round(contrast(QColor("#1b5e20"), QColor("#353535")), 2) == 1.56
    assert round(contrast(QColor("#b00020"), QColor("#353535")), 2) == 1.67


@pytest.mark.parametrize("kind", sorted(SHADES))
@pytest.mark.parametrize("background", LIGHT + DARK)
def test_every_kind_is_readable_on_light_and_dark(kind, background):
    chosen = readable(kind, QColor(background))
    assert contrast(chosen, QColor(background)) >= MIN_CONTRAST


def dark_palette() -> QPalette:
    p = QPalette()
    for role, color in ((QPalette.ColorRole.Window, "#353535"), (QPalette.ColorRole.WindowText, "#eeeeee"),
                        (QPalette.ColorRole.Base, "#2a2a2a"), (QPalette.ColorRole.Text, "#eeeeee"),
                        (QPalette.ColorRole.AlternateBase, "#303030"), (QPalette.ColorRole.Button, "#353535"),
                        (QPalette.ColorRole.ButtonText, "#eeeeee")):
        p.setColor(role, QColor(color))
    return p


def test_wizard_messages_under_a_dark_palette(qtbot, make_wizard_for_colors):
    wizard, page = make_wizard_for_colors(dark_palette())
    page.set_error("Autotask refused the secret.")
    bg = page.error_label.palette().color(page.error_label.backgroundRole())
    assert bg.name() in ("#353535", "#2a2a2a")  # the page's Window, or Base under the modern wizard style
    style = page.error_label.styleSheet()
    assert style == "color: #ffa49c;"
    assert contrast(QColor("#ffa49c"), bg) >= MIN_CONTRAST
    assert color_for("ok", page.result).name() == "#8fd694"


def test_wizard_messages_under_a_light_palette(qtbot, make_wizard_for_colors):
    light = QPalette(QColor("#efefef"))
    wizard, page = make_wizard_for_colors(light)
    page.set_error("Autotask refused the secret.")
    assert page.error_label.styleSheet() == "color: #b00020;"
    assert color_for("ok", page.result).name() == "#1b5e20"


@pytest.fixture
def make_wizard_for_colors(qtbot, tmp_path):
    from depot_gui.sync.setup import Page
    from depot_gui.sync.session.session import Session
    from depot_gui.ui.wizard.wizard import SetupWizard, make_flow

    from ..conftest import DEMO_PATH

    from PySide6.QtWidgets import QApplication

    sessions = []
    before = QApplication.palette()

    def make(palette: QPalette):  # the desktop's palette (dark mode), set before the window opens
        QApplication.setPalette(palette)
        session = Session.open(tmp_path / "d", DEMO_PATH)
        sessions.append(session)
        wizard = SetupWizard(make_flow(session))
        qtbot.addWidget(wizard)
        return wizard, wizard.page_for(Page.AUTOTASK)

    yield make
    QApplication.setPalette(before)
    for s in sessions:
        s.close()
