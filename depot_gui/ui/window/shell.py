"""The window's first paint: a light shell in the window's place while the session opens.

Importing the session (httpx2, keyring, the store, the sync use cases) and the full main window
takes several times as long as a bare Qt window (issue 22); the shell needs only QtWidgets, so
a person sees the window at once, where it will be, saying what is happening.
"""

from __future__ import annotations

import sys
import time

from PySide6.QtCore import QEvent, QEventLoop, QObject, QSettings, QSize, Qt, QTimer
from PySide6.QtWidgets import QLabel, QMainWindow, QWidget

from depot_gui.ui.window.geometry import restore_or_place

PREFERRED_SIZE = (1280, 800)  # as the main window's first run (state.py)
PAINT_WAIT_MS = 500  # the longest the start waits for the shell to be on screen


class Shell(QMainWindow):
    """The main window's outline (title, menus, "Opening…") shown before the session is imported.

    Signals: none; ``painted`` turns True on the first paint.
    """

    def __init__(self, title: str = "Depot GUI", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        for name in ("&File", "&View", "&Help"):  # the real menus' places, disabled until the window is ready
            self.menuBar().addMenu(name).setEnabled(False)
        label = QLabel("Opening Depot GUI…")
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setEnabled(False)
        self.setCentralWidget(label)
        self.statusBar().showMessage("Opening the local records…")
        restore_or_place(self, QSettings().value("window/geometry"), QSize(*PREFERRED_SIZE))
        self.painted = False
        self.painted_at = 0.0  # time.time() of the first paint
        self._loop: QEventLoop | None = None
        self.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Paint and not self.painted:
            self.painted, self.painted_at = True, time.time()
            self.removeEventFilter(self)
            if self._loop is not None:
                QTimer.singleShot(0, self._loop.quit)  # after this paint has reached the screen
        return False

    def show_and_paint(self, report: bool = False) -> None:
        """Show the shell and return once it has painted (or after PAINT_WAIT_MS, e.g. no screen)."""
        self.show()
        if not self.painted:
            self._loop = QEventLoop()
            QTimer.singleShot(PAINT_WAIT_MS, self._loop.quit)
            self._loop.exec()
            self._loop = None
        if report and self.painted:  # the start-up benchmark reads this line (bench/bench_startup.py)
            print(f"shell painted at {self.painted_at:.3f}", file=sys.stderr)

    def hand_over(self, window: QMainWindow) -> None:
        """The real window (shown, at the same remembered geometry) takes the shell's place; the shell goes."""
        self.hide()
        self.deleteLater()
