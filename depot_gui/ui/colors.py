"""Message colours that stay readable: each kind has a dark and a light shade, the one used is the
first that reaches WCAG's 4.5:1 contrast on the background it is drawn on (light or dark palette)."""

from __future__ import annotations

from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QWidget

MIN_CONTRAST = 4.5  # WCAG 2 AA for normal text
# kind -> (shade for light backgrounds, shade for dark backgrounds)
SHADES = {
    "error": ("#b00020", "#ffa49c"),
    "ok": ("#1b5e20", "#8fd694"),
    "warning": ("#8a5300", "#ffb74d"),
}


def _channel(value: float) -> float:
    return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4


def luminance(color: QColor) -> float:
    """WCAG relative luminance of an opaque colour."""
    return 0.2126 * _channel(color.redF()) + 0.7152 * _channel(color.greenF()) + 0.0722 * _channel(color.blueF())


def contrast(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio between two colours (1.0 to 21.0)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def readable(kind: str, background: QColor, fallback: QColor | None = None) -> QColor:
    """The shade of ``kind`` with at least 4.5:1 on ``background``; else ``fallback`` (the palette's text)."""
    best = max((QColor(c) for c in SHADES[kind]), key=lambda c: contrast(c, background))
    if contrast(best, background) >= MIN_CONTRAST or fallback is None:
        return best
    return fallback


def caption_color(palette: QPalette) -> QColor:
    """Text quieter than ``palette``'s window text (blended toward the window) that still reaches 4.5:1 on it:
    for captions, which the disabled text colour (1.6:1 on Fusion's light grey) left hard to read."""
    text, window = palette.color(QPalette.ColorRole.WindowText), palette.color(QPalette.ColorRole.Window)
    for step in range(9, -1, -1):  # 45 % of the way to the window, then less
        t = step * 0.05
        blend = QColor.fromRgbF(*(a * (1 - t) + b * t for a, b in (
            (text.redF(), window.redF()), (text.greenF(), window.greenF()), (text.blueF(), window.blueF()))))
        if contrast(blend, window) >= MIN_CONTRAST:
            return blend
    return text


def _palette_of(widget: QWidget) -> QPalette:
    """``widget``'s palette, or its nearest parent's without a style sheet: a style sheet fixes a widget's
    palette when it is set, so after the palette changed (View › Appearance) it would be the old one's."""
    while widget.styleSheet() and widget.parentWidget() is not None:
        widget = widget.parentWidget()
    return widget.palette()


def color_for(kind: str, widget: QWidget | None = None, role: QPalette.ColorRole | None = None) -> QColor:
    """The shade for text of ``kind`` on ``widget``'s background (or the application's ``role``)."""
    palette = _palette_of(widget) if widget is not None else QGuiApplication.palette()
    bg_role = role if role is not None else (widget.backgroundRole() if widget is not None else QPalette.ColorRole.Base)
    text_role = QPalette.ColorRole.WindowText if bg_role == QPalette.ColorRole.Window else QPalette.ColorRole.Text
    return readable(kind, palette.color(bg_role), palette.color(text_role))


def style_for(kind: str, widget: QWidget) -> str:
    """A style sheet fragment colouring ``widget``'s text as ``kind``."""
    return f"color: {color_for(kind, widget).name()};"
