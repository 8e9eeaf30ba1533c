"""Window sizes that fit the desk: first size from the available screen, saved geometry clamped to it."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QPoint, QRect, QSize
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QWidget

# Share of the available screen a first window takes, and the size it never needs to exceed.
SHARE = 0.92


def first_size(available: QRect, preferred: QSize) -> QSize:
    """``preferred``, shrunk to 92% of the available screen area (taskbar and panels excluded)."""
    return QSize(
        min(preferred.width(), int(available.width() * SHARE)),
        min(preferred.height(), int(available.height() * SHARE)),
    )


def clamped(frame: QRect, available: QRect) -> QRect:
    """``frame`` moved (and shrunk if need be) so all of it lies on ``available``."""
    width, height = min(frame.width(), available.width()), min(frame.height(), available.height())
    x = min(max(frame.x(), available.left()), available.left() + available.width() - width)
    y = min(max(frame.y(), available.top()), available.top() + available.height() - height)
    return QRect(x, y, width, height)


def screen_for(widget: QWidget) -> QScreen:
    """The screen the widget is on (or its centre would be), else the primary screen."""
    centre = widget.frameGeometry().center()
    return QGuiApplication.screenAt(centre) or widget.screen() or QGuiApplication.primaryScreen()


def place_first(widget: QWidget, preferred: QSize, available: QRect | None = None) -> None:
    """Size a window without saved geometry from the screen, centred on it."""
    area = available if available is not None else screen_for(widget).availableGeometry()
    size = first_size(area, preferred)
    widget.resize(size)
    widget.move(area.center() - QPoint(size.width() // 2, size.height() // 2))


def restore_or_place(widget: QWidget, saved, preferred: QSize, available: QRect | None = None) -> None:
    """Restore saved geometry, kept on one screen (a monitor may have gone); else place it first-time."""
    if isinstance(saved, QByteArray) and not saved.isEmpty() and widget.restoreGeometry(saved):
        if widget.isMaximized() or widget.isFullScreen():
            return
        area = available if available is not None else screen_for(widget).availableGeometry()
        frame = widget.frameGeometry()
        fit = clamped(frame, area)
        if fit != frame:
            extra_w = frame.width() - widget.width()
            extra_h = frame.height() - widget.height()
            widget.resize(fit.width() - extra_w, fit.height() - extra_h)
            widget.move(fit.topLeft())
        return
    place_first(widget, preferred, available)
