"""Status bar content: connection state (or the last action's outcome) on the left, counts on the right."""

from __future__ import annotations

import logging
from collections import Counter

from datetime import datetime

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QStatusBar, QWidget

from depot_gui.core.audit import ERROR, STATUSES
from depot_gui.store.db import InvoiceRow

from depot_gui.ui.contacts.text import CHOOSE_STATUS, waits_for_contact
from depot_gui.ui.window.elided_label import ElidedLabel
from depot_gui.ui.window.progress_strip import ProgressStrip
from depot_gui.ui.resources import status_icon, status_text

log = logging.getLogger("depot_gui.ui.status")


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


class AppStatusBar(QStatusBar):
    """Counts on the right; on the left the last action's outcome, kept until the next one.

    A message is never cut or timed out (issue 22): it is elided with "…" when the window is
    narrow, its full text is the tooltip, and a click opens the log, which keeps every message.
    Before the first message the left shows the connection.

    Signals:
        log_requested(): the message was clicked (the window shows View › Log).
    """

    log_requested = Signal()
    LOG_HINT = "Click to open the log (View › Log), which keeps every message."

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.connection = ElidedLabel("Connecting…")
        self.message = ElidedLabel(tooltip_extra=self.LOG_HINT)
        self.message.setAccessibleDescription("The last message; click to open the log")
        self.message.clicked.connect(self.log_requested)
        self.message.hide()
        self._message = ""
        self.counts = StatusCounts()
        self.progress = ProgressStrip()  # the running operation, with Cancel… (hidden when idle)
        # Xero's calls left today per organisation (hidden until Xero said): as wide as its text when there is
        # room, shortened with "…" (whole in the tooltip) when several organisations' names would widen the window.
        self.calls = ElidedLabel()
        self.calls.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.calls.setObjectName("xero_calls_left")
        self.calls.hide()
        self.addWidget(self.connection, 1)
        self.addWidget(self.message, 1)
        self.addPermanentWidget(self.progress)
        self.addPermanentWidget(self.calls)
        self.addPermanentWidget(self.counts)

    def showMessage(self, text: str, timeout: int = 0) -> None:  # noqa: N802 - Qt naming
        """The outcome, with the time it was said, until the next one (``timeout`` is ignored: never vanishes)."""
        del timeout
        if text and text != self._message:
            log.info("%s", text)  # the log keeps every message said here
        self._message = text
        self.message.setText(f"{datetime.now():%H:%M} {text}" if text else "")
        self.message.setVisible(bool(text))
        self.connection.setVisible(not text)

    def currentMessage(self) -> str:  # noqa: N802 - Qt naming
        return self._message

    def clearMessage(self) -> None:  # noqa: N802 - Qt naming
        self.showMessage("")

    def set_connection(self, text: str) -> None:
        self.connection.setText(text)
        self.message.tooltip_extra = f"Connection: {text}\n{self.LOG_HINT}" if text else self.LOG_HINT
        self.message.setText(self.message.text())

    def set_calls_left(self, calls: list[tuple[str, int]]) -> None:
        """"Xero calls left today: Acme AU 4,990 · Acme NZ 5,000" (hidden before Xero's first answer)."""
        text = "Xero calls left today: " + " \u00b7 ".join(f"{name} {left:,}" for name, left in calls) if calls else ""
        self.calls.setText(text)
        self.calls.setVisible(bool(calls))
