"""Status bar content: connection state (or the last action's outcome) on the left, counts on the right."""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QStatusBar, QWidget

from depot_gui.core.audit import ERROR, STATUSES
from depot_gui.store.db import InvoiceRow

from depot_gui.ui.contacts.text import CHOOSE_STATUS, waits_for_contact
from depot_gui.ui.window.progress_strip import ProgressStrip
from depot_gui.ui.resources import status_icon, status_text


class StatusCounts(QWidget):
    """An icon and 'Ready 2' for each status (text, so it reads without colour)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.labels: dict[str, QLabel] = {}
        for status in STATUSES:
            icon = QLabel()
            icon.setPixmap(status_icon(status).pixmap(14, 14))
            text = QLabel()
            layout.addWidget(icon)
            layout.addWidget(text)
            layout.addSpacing(8)
            self.labels[status] = text
        # invoices waiting for their company's Xero contact: counted apart from errors, shown when any
        self.choose_icon, self.choose = QLabel(), QLabel()
        self.choose_icon.setPixmap(status_icon(ERROR).pixmap(14, 14))
        layout.addWidget(self.choose_icon)
        layout.addWidget(self.choose)
        self.set_rows([])

    def set_rows(self, rows: list[InvoiceRow]) -> None:
        counts = Counter(CHOOSE_STATUS if waits_for_contact(r) else r.status for r in rows)
        for status, label in self.labels.items():
            label.setText(f"{status_text(status)} {counts.get(status, 0)}")
        waiting = counts.get(CHOOSE_STATUS, 0)
        self.choose.setText(f"{CHOOSE_STATUS} {waiting}" if waiting else "")
        self.choose.setVisible(bool(waiting))
        self.choose_icon.setVisible(bool(waiting))

    def text(self) -> str:
        shown = [*self.labels.values(), *([self.choose] if self.choose.text() else [])]
        return " · ".join(label.text() for label in shown)


class ElidedLabel(QLabel):
    """A one-line label that shortens its text with "…" instead of widening the window (full text as tooltip)."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(40)

    def setText(self, text: str) -> None:  # noqa: N802 - Qt naming
        super().setText(text)
        self.setToolTip(text)
        self.setAccessibleName(text)

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        rect = self.contentsRect()
        shown = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, rect.width())
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft), shown)


class AppStatusBar(QStatusBar):
    """Counts on the right; on the left the connection, replaced for a while by each action's outcome.

    The connection label is a normal (not permanent) widget, so QStatusBar hides it while a
    message shows and brings it back when the message times out.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.connection = ElidedLabel("Connecting…")
        self.counts = StatusCounts()
        self.progress = ProgressStrip()  # the running operation, with Cancel… (hidden when idle)
        self.calls = QLabel()  # Xero's calls left today per organisation (hidden until Xero said)
        self.calls.setObjectName("xero_calls_left")
        self.calls.hide()
        self.addWidget(self.connection, 1)
        self.addPermanentWidget(self.progress)
        self.addPermanentWidget(self.calls)
        self.addPermanentWidget(self.counts)

    def set_connection(self, text: str) -> None:
        self.connection.setText(text)

    def set_calls_left(self, calls: list[tuple[str, int]]) -> None:
        """"Xero calls left today: Acme AU 4,990 · Acme NZ 5,000" (hidden before Xero's first answer)."""
        text = "Xero calls left today: " + " \u00b7 ".join(f"{name} {left:,}" for name, left in calls) if calls else ""
        self.calls.setText(text)
        self.calls.setAccessibleName(text)
        self.calls.setVisible(bool(calls))
