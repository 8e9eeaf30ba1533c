"""A one-line label that shortens its text with "…" rather than widening the window or clipping it.

The full text is the tooltip and the accessible name, so nothing said is lost at 1366 × 768.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget


class ElidedLabel(QLabel):
    """Elided on paint; ``tooltip_extra`` is added below the full text in the tooltip.

    Signals:
        clicked(): the label was clicked (used to open the log from the status bar's message).
    """

    clicked = Signal()

    def __init__(self, text: str = "", parent: QWidget | None = None, tooltip_extra: str = "") -> None:
        super().__init__(parent)
        self.tooltip_extra = tooltip_extra
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(40)
        self.setText(text)

    def setText(self, text: str) -> None:  # noqa: N802 - Qt naming
        super().setText(text)
        self.setToolTip("\n\n".join(t for t in (text, self.tooltip_extra) if t))
        self.setAccessibleName(text)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt naming
        """Narrow: a long text is shortened, never a reason for a wider window."""
        return QSize(self.minimumWidth(), super().minimumSizeHint().height())

    def is_elided(self) -> bool:
        """Whether the text is wider than the label (shown shortened with "…")."""
        return self.fontMetrics().horizontalAdvance(self.text()) > self.contentsRect().width()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit()
        super().mouseReleaseEvent(event)

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        rect = self.contentsRect()
        shown = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, rect.width())
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft), shown)


__all__ = ["ElidedLabel"]
