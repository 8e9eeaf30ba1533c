"""Status bar content: connection state on the left, invoice counts per status on the right."""

from __future__ import annotations

from collections import Counter

from PySide6.QtWidgets import QHBoxLayout, QLabel, QStatusBar, QWidget

from depot_gui.core.audit import STATUSES
from depot_gui.store.db import InvoiceRow

from .resources import status_icon, status_text


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
        self.set_rows([])

    def set_rows(self, rows: list[InvoiceRow]) -> None:
        counts = Counter(r.status for r in rows)
        for status, label in self.labels.items():
            label.setText(f"{status_text(status)} {counts.get(status, 0)}")

    def text(self) -> str:
        return " · ".join(label.text() for label in self.labels.values())


class AppStatusBar(QStatusBar):
    """Connection state plus counts; transient messages go in the middle."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.connection = QLabel("Connecting…")
        self.counts = StatusCounts()
        self.addPermanentWidget(self.connection, 1)
        self.addPermanentWidget(self.counts)

    def set_connection(self, text: str) -> None:
        self.connection.setText(text)
