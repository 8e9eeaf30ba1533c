"""The window's progress strip: what a background operation is doing, in the status bar, with Cancel.

It replaces the window-modal progress dialog (issue 22): the table, the detail pane and the
menus keep working while a batch runs, Escape closes menus and never cancels, and Cancel asks
first. Progress reports arrive as fast as the worker makes them; the strip shows the latest at
most every 100 ms, so a 200-invoice batch costs the GUI thread a few label updates a second.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QHBoxLayout, QMessageBox, QProgressBar, QPushButton, QWidget

from depot_gui.ui.window.elided_label import ElidedLabel

SHOW_EVERY_MS = 100
CANCEL_QUESTION = ("Stop {what}?\n\nInvoices already on their way to Xero are finished; "
                   "no further ones are sent. What was done stays done.")


class ProgressStrip(QWidget):
    """Label, progress bar and Cancel… for the one operation the window runs (hidden when idle).

    Signals: none; ``begin``/``report``/``end`` are called by the op (workers.Op.in_window).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.label = ElidedLabel()  # "…" when it does not fit, the whole line in its tooltip (never clipped)
        self.label.setMinimumWidth(320)  # room for "Syncing 3 ready invoices to Xero: INV-5003"
        self.label.setMaximumWidth(420)
        self.bar = QProgressBar()
        self.bar.setMaximumWidth(160)
        self.bar.setTextVisible(True)
        self.bar.setAccessibleName("Progress")
        self.cancel_button = QPushButton("Cancel…")
        self.cancel_button.setToolTip("Stop after the invoices already on their way (asks first)")
        self.cancel_button.clicked.connect(self._on_cancel_clicked)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel_button)
        self._title = ""
        self._what = ""
        self._cancel: Callable[[], None] | None = None
        self._latest: tuple[str, int, int] | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(SHOW_EVERY_MS)
        self._timer.timeout.connect(self._show_latest)
        self.shown_updates = 0  # how many times the widgets were changed (tests: throttled)
        self.ask: Callable[[str], bool] = self._ask
        self.hide()

    # ------------------------------------------------------------------ the op's side
    def begin(self, title: str, cancel: Callable[[], None] | None) -> None:
        """An operation started: show its title; ``cancel`` (None: cannot be cancelled) stops it."""
        self._title, self._cancel, self._latest = title, cancel, None
        self._what = title[:1].lower() + title[1:] if title else "this"
        self.label.setText(title)
        self.bar.setRange(0, 0)  # busy until the first report says how many
        self.cancel_button.setVisible(cancel is not None)
        self.cancel_button.setEnabled(True)
        self.cancel_button.setText("Cancel…")
        self.show()
        self._timer.start()

    def report(self, message: str, done: int, total: int) -> None:
        """The latest progress (shown at the next tick, not now)."""
        self._latest = (message, done, total)

    def end(self) -> None:
        self._timer.stop()
        self._latest, self._cancel = None, None
        self.hide()

    @property
    def active(self) -> bool:
        return self._timer.isActive()

    # ------------------------------------------------------------------ slots
    def _show_latest(self) -> None:
        latest, self._latest = self._latest, None
        if latest is None:
            return
        message, done, total = latest
        if self.cancel_button.text() != "Cancelling…":
            self.label.setText(f"{self._title}: {message}" if message else self._title)
        self.bar.setRange(0, max(total, 0))
        self.bar.setValue(min(done, total) if total else 0)
        self.shown_updates += 1

    def _on_cancel_clicked(self) -> None:
        if self._cancel is None:
            return
        if not self.ask(CANCEL_QUESTION.format(what=self._what)):
            return
        cancel, self._cancel = self._cancel, None
        if cancel is not None:
            cancel()
        self.cancel_button.setText("Cancelling…")
        self.cancel_button.setEnabled(False)
        self.label.setText(f"{self._title}: stopping after the invoices already on their way…")

    def _ask(self, question: str) -> bool:
        answer = QMessageBox.question(self.window(), "Depot GUI", question,
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes
