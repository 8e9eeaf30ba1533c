"""A logging handler that feeds a read-only log dock (thread-safe via a queued signal)."""

from __future__ import annotations

import collections
import logging

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QDockWidget, QPlainTextEdit, QWidget

from depot_gui.store.logs import redact

class _Bridge(QObject):
    line_logged = Signal(str)


class QtLogHandler(logging.Handler):
    """Keeps the last lines for diagnostics and forwards each line to the GUI thread.

    Signals (on .bridge):
        line_logged(str): one formatted, redacted log line.
    """

    def __init__(self, capacity: int = 2000) -> None:
        super().__init__(logging.INFO)
        self.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s", "%H:%M:%S"))
        self.lines: collections.deque[str] = collections.deque(maxlen=capacity)
        self.bridge = _Bridge()

    def emit(self, record: logging.LogRecord) -> None:
        try:
            record = logging.makeLogRecord({**record.__dict__, "exc_info": None, "exc_text": None})
            line = redact(self.format(record))
        except Exception:  # noqa: BLE001 - logging must never raise
            return
        self.lines.append(line)
        self.bridge.line_logged.emit(line)


class LogDock(QDockWidget):
    """Dock showing the log; hidden until View › Log is chosen.

    Args:
        handler: the installed QtLogHandler.
    """

    def __init__(self, handler: QtLogHandler, parent: QWidget | None = None) -> None:
        super().__init__("Log", parent)
        self.setObjectName("log_dock")
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setMaximumBlockCount(2000)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.text.setPlainText("\n".join(handler.lines))
        self.setWidget(self.text)
        handler.bridge.line_logged.connect(self._on_handler_line_logged, Qt.ConnectionType.QueuedConnection)

    def _on_handler_line_logged(self, line: str) -> None:
        self.text.appendPlainText(line)


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
