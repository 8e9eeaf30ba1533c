"""The packaging smoke test's proof of life: quit a set time after the window's first paint."""

from __future__ import annotations

import sys
import time

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

NO_PAINT_EXIT = 3  # the window never painted within the watchdog's time
STUCK_EXIT = 4  # it painted but was still running when the watchdog fired
WATCHDOG_MS = 60000


class FirstPaint(QObject):
    """Event filter on the main window: on its first Paint, optionally grab it, then quit later."""

    def __init__(self, window: QWidget, quit_after_ms: int, screenshot: str | None) -> None:
        super().__init__(window)
        self._window = window
        self._quit_after = max(0, quit_after_ms)
        self._screenshot = screenshot
        self._started = time.perf_counter()
        self.painted = False
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Paint and not self.painted:
            self.painted = True
            self._window.removeEventFilter(self)
            QTimer.singleShot(0, self._on_first_paint)
        return False

    def _on_first_paint(self) -> None:
        elapsed = (time.perf_counter() - self._started) * 1000
        print(f"first paint {elapsed:.0f} ms after the window was shown", file=sys.stderr)
        if self._screenshot and not self._window.grab().save(self._screenshot):
            print(f"could not save {self._screenshot}", file=sys.stderr)
        QTimer.singleShot(self._quit_after, QApplication.quit)


def quit_after_first_paint(window: QWidget, quit_after_ms: int, screenshot: str | None = None) -> FirstPaint:
    """Arm the smoke test; the app ends by the watchdog at the latest, never hangs a build."""
    watcher = FirstPaint(window, quit_after_ms, screenshot)
    watchdog = QTimer(watcher)  # dies with the window; stopped once the event loop ends
    watchdog.setSingleShot(True)
    watchdog.timeout.connect(lambda: QApplication.exit(STUCK_EXIT if watcher.painted else NO_PAINT_EXIT))
    QApplication.instance().aboutToQuit.connect(watchdog.stop)
    watchdog.start(max(0, quit_after_ms) + WATCHDOG_MS)
    return watcher
