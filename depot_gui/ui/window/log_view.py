"""A logging handler that feeds a read-only log dock (thread-safe via a queued signal)."""

from __future__ import annotations

import collections
import logging
import threading

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QDockWidget, QPlainTextEdit, QWidget

from depot_gui.store.logs import redact

class _Bridge(QObject):
    lines_logged = Signal()


class QtLogHandler(logging.Handler):
    """Keeps the last lines for diagnostics and tells the GUI thread when there are new ones.

    A sync logs a line per invoice from its worker; one queued slot call per line made the window take
    the GIL back 200 times during a 200-invoice sync, each wait up to the interpreter's switch interval
    while the worker ran (issue 22). The signal is sent only when no earlier one is still waiting, and the
    dock then takes every line since it last looked (``since``): one slot call per turn of the event loop.

    Signals (on .bridge):
        lines_logged(): there are lines the docks have not shown yet.
    """

    def __init__(self, capacity: int = 2000) -> None:
        super().__init__(logging.INFO)
        self.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s", "%H:%M:%S"))
        self.lines: collections.deque[str] = collections.deque(maxlen=capacity)
        self.count = 0  # lines ever logged (``lines`` keeps the last ``capacity``)
        self.bridge = _Bridge()
        self._told = False  # a lines_logged signal is on its way and not yet taken
        self._guard = threading.Lock()

    def emit(self, record: logging.LogRecord) -> None:
        try:
            record = logging.makeLogRecord({**record.__dict__, "exc_info": None, "exc_text": None})
            line = redact(self.format(record))
        except Exception:  # noqa: BLE001 - logging must never raise
            return
        with self._guard:
            self.lines.append(line)
            self.count += 1
            tell, self._told = not self._told, True
        if tell:
            self.bridge.lines_logged.emit()

    def since(self, seen: int) -> tuple[list[str], int]:
        """The lines after the first ``seen`` ever logged (those still kept) and the count now."""
        with self._guard:
            self._told = False
            new = min(self.count - seen, len(self.lines))
            return (list(self.lines)[len(self.lines) - new:] if new > 0 else []), self.count


class LogDock(QDockWidget):
    """Dock showing the log; hidden until View › Log is chosen.

    Args:
        handler: the installed QtLogHandler.
    """

    def __init__(self, handler: QtLogHandler, parent: QWidget | None = None) -> None:
        super().__init__("Log", parent)
        self.setObjectName("log_dock")
        self.handler = handler
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setMaximumBlockCount(2000)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        shown, self._seen = handler.since(0)
        self.text.setPlainText("\n".join(shown))
        self.setWidget(self.text)
        handler.bridge.lines_logged.connect(self._on_lines_logged, Qt.ConnectionType.QueuedConnection)

    def _on_lines_logged(self) -> None:
        lines, self._seen = self.handler.since(self._seen)
        if lines:
            self.text.appendPlainText("\n".join(lines))


_handler: QtLogHandler | None = None


def install_log_handler() -> QtLogHandler:
    """Attach one QtLogHandler to the 'depot_gui' logger (idempotent)."""
    global _handler
    if _handler is None:
        _handler = QtLogHandler()
        logger = logging.getLogger("depot_gui")
        logger.addHandler(_handler)
        if logger.level == logging.NOTSET or logger.level > logging.INFO:
            logger.setLevel(logging.INFO)
    return _handler
