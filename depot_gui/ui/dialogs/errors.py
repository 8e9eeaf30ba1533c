"""Errors as sentences a bookkeeper can act on, and a last-resort excepthook (never a traceback)."""

from __future__ import annotations

import logging
import sys
from types import TracebackType

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from depot_gui.core.settings import SettingError
from depot_gui.store.db import StoreError
from depot_gui.sync.contacts.desk import ContactError
from depot_gui.sync.maintenance.repair import RepairError
from depot_gui.sync.session.session import SessionError

log = logging.getLogger("depot_gui.ui")

UNEXPECTED = (
    "Something went wrong inside Depot GUI. Nothing was sent to Xero by this step. "
    "Use Help › Copy diagnostics and send it to support."
)


def friendly_message(exc: BaseException) -> str:
    """One or two sentences for the user; details go to the log."""
    text = getattr(exc, "user_message", None)
    if isinstance(text, str) and text:
        return text[:1].upper() + text[1:]
    if isinstance(exc, (SessionError, StoreError, SettingError, RepairError, ContactError)):
        msg = str(exc)
        return msg[:1].upper() + msg[1:] if msg else UNEXPECTED
    if isinstance(exc, OSError):
        if exc.filename:  # which file, and why (a read-only folder says so)
            advice = "; give your user write access to it and its folder" if isinstance(exc, PermissionError) else ""
            return f"Depot GUI could not use {exc.filename}: {exc.strerror or exc}{advice}."
        return f"Depot GUI could not use a file or the network: {exc.strerror or exc}."
    return UNEXPECTED


_shown = False


def _excepthook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    global _shown
    log.critical("Unhandled error", exc_info=(kind, exc, tb))
    if QApplication.instance() is None or _shown:
        return
    _shown = True  # one box at a time, even if the error repeats on every repaint

    def show() -> None:
        global _shown
        parent = QApplication.activeWindow()
        QMessageBox.critical(parent, "Depot GUI", friendly_message(exc))
        _shown = False

    QTimer.singleShot(0, show)


def install_excepthook() -> None:
    """Route unhandled exceptions to the log and a friendly dialog."""
    sys.excepthook = _excepthook
