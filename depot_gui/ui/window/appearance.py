"""View › Appearance: System, Light or Dark, remembered in QSettings, applied at start-up and at once when chosen.

System leaves the style and palette as Qt found them (the platform's, and its dark mode where it has
one). Light and Dark are the app's own: Qt's Fusion style with a palette of its own, the same on every
platform, like Anki's and Electrum's dark themes. Every colour the window draws itself comes from the
palette (status and mismatch colours from ui/colors.py, which picks the shade readable on it; links from
its Link role), so a choice needs no other change but for what picked a colour when it was filled: the
window fills its detail pane again on ``AppearanceMenu.changed``.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QSettings, Signal
from PySide6.QtGui import QAction, QActionGroup, QColor, QPalette
from PySide6.QtWidgets import QApplication, QMenu, QWidget

KEY = "view/appearance"
MODES = {"system": "&System", "light": "&Light", "dark": "&Dark"}
_Role, _Group = QPalette.ColorRole, QPalette.ColorGroup

# role -> (active and inactive, disabled)
DARK = {
    _Role.Window: ("#2d2d2d", "#2d2d2d"), _Role.WindowText: ("#e8e8e8", "#8a8a8a"),
    _Role.Base: ("#1f1f1f", "#262626"), _Role.AlternateBase: ("#282828", "#2a2a2a"),
    _Role.Text: ("#e8e8e8", "#8a8a8a"), _Role.PlaceholderText: ("#9a9a9a", "#7a7a7a"),
    _Role.Button: ("#383838", "#303030"), _Role.ButtonText: ("#e8e8e8", "#8a8a8a"),
    _Role.BrightText: ("#ff6e6e", "#ff6e6e"), _Role.ToolTipBase: ("#3b3b3b", "#3b3b3b"),
    _Role.ToolTipText: ("#e8e8e8", "#e8e8e8"), _Role.Highlight: ("#2f65ca", "#4a4a4a"),
    _Role.HighlightedText: ("#ffffff", "#b0b0b0"), _Role.Link: ("#8ab4f8", "#6b86b3"),
    _Role.LinkVisited: ("#c58af9", "#8f6bb3"), _Role.Light: ("#505050", "#505050"),
    _Role.Midlight: ("#424242", "#424242"), _Role.Mid: ("#2a2a2a", "#2a2a2a"),
    _Role.Dark: ("#1a1a1a", "#1a1a1a"), _Role.Shadow: ("#000000", "#000000"),
}
LIGHT = {  # Fusion's own light palette, fixed (a dark system would otherwise lend Fusion its colours)
    _Role.Window: ("#efefef", "#efefef"), _Role.WindowText: ("#000000", "#bebebe"),
    _Role.Base: ("#ffffff", "#efefef"), _Role.AlternateBase: ("#f7f7f7", "#f7f7f7"),
    _Role.Text: ("#000000", "#bebebe"), _Role.PlaceholderText: ("#808080", "#bebebe"),
    _Role.Button: ("#efefef", "#efefef"), _Role.ButtonText: ("#000000", "#bebebe"),
    _Role.BrightText: ("#ffffff", "#ffffff"), _Role.ToolTipBase: ("#ffffdc", "#ffffdc"),
    _Role.ToolTipText: ("#000000", "#000000"), _Role.Highlight: ("#308cc6", "#919191"),
    _Role.HighlightedText: ("#ffffff", "#ffffff"), _Role.Link: ("#0000ff", "#0000ff"),
    _Role.LinkVisited: ("#ff00ff", "#ff00ff"), _Role.Light: ("#ffffff", "#ffffff"),
    _Role.Midlight: ("#cacaca", "#cacaca"), _Role.Mid: ("#b8b8b8", "#b8b8b8"),
    _Role.Dark: ("#9f9f9f", "#bebebe"), _Role.Shadow: ("#767676", "#b1b1b1"),
}
_original: tuple[str, ...] = ()  # the style Qt started with (its name), once something else was chosen


def palette(colours: dict) -> QPalette:
    """A palette from ``colours`` (role -> (active and inactive colour, disabled colour))."""
    result = QPalette()
    for role, (normal, disabled) in colours.items():
        result.setColor(_Group.Active, role, QColor(normal))
        result.setColor(_Group.Inactive, role, QColor(normal))
        result.setColor(_Group.Disabled, role, QColor(disabled))
    return result


def saved_mode() -> str:
    """The appearance chosen last ("system" when none, or an unknown one, was saved)."""
    value = QSettings().value(KEY)
    return value if isinstance(value, str) and value in MODES else "system"


def apply(app: QApplication, mode: str) -> None:
    """Give the application ``mode``'s style and palette (System: the ones Qt started with)."""
    global _original
    if not _original:
        _original = (app.style().name(),)
    if mode in ("light", "dark"):
        if app.style().name().lower() != "fusion":
            app.setStyle("Fusion")
        app.setPalette(palette(DARK if mode == "dark" else LIGHT))
        return
    if app.style().name() != _original[0]:
        app.setStyle(_original[0])
    app.setPalette(QPalette())  # an empty palette: the style's and platform's own again


def apply_saved(app: QApplication) -> str:
    """At start-up, before the first window: the remembered appearance (nothing to do for System)."""
    mode = saved_mode()
    if mode != "system":
        apply(app, mode)
    return mode


class AppearanceMenu(QObject):
    """View › Appearance: one exclusive choice, saved and applied when made.

    Args:
        parent: the window whose View menu gets ``menu``.

    Signals:
        changed(str): the appearance chosen ("system", "light" or "dark"), once applied.
    """

    changed = Signal(str)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.menu = QMenu("&Appearance", parent)
        self.group = QActionGroup(self)
        self.group.setExclusive(True)
        self.actions: dict[str, QAction] = {}
        current = saved_mode()
        for mode, text in MODES.items():
            action = QAction(text, self.menu)
            action.setCheckable(True)
            action.setChecked(mode == current)
            action.triggered.connect(lambda _checked=False, m=mode: self.choose(m))
            self.group.addAction(action)
            self.menu.addAction(action)
            self.actions[mode] = action
        self.actions["system"].setStatusTip("The system's colours and style")
        self.actions["light"].setStatusTip("Dark text on light backgrounds, whatever the system's setting")
        self.actions["dark"].setStatusTip("Light text on dark backgrounds, whatever the system's setting")

    def choose(self, mode: str) -> None:
        """Remember ``mode`` and apply it now."""
        QSettings().setValue(KEY, mode)
        self.actions[mode].setChecked(True)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply(app, mode)
            # every widget has the new palette before ``changed`` says so (Qt posts it to each)
            QCoreApplication.sendPostedEvents(None, int(QEvent.Type.ApplicationPaletteChange))
        self.changed.emit(mode)


__all__ = ["AppearanceMenu", "DARK", "KEY", "LIGHT", "MODES", "apply", "apply_saved", "palette", "saved_mode"]
