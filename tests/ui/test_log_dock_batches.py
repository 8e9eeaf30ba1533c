"""The log dock takes a worker's lines in batches (issue 22): one signal, and one slot call on the GUI
thread, for all the lines logged before the window's thread looks, not one per line."""

from __future__ import annotations

import logging
import threading

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from depot_gui.ui.window.log_view import LogDock, QtLogHandler


def _logger(handler: QtLogHandler, name: str) -> logging.Logger:
    logger = logging.getLogger(f"depot_gui.test_log_dock.{name}")
    logger.propagate = False
    logger.setLevel(logging.INFO)
    logger.addHandler(handler)
    return logger


def test_two_hundred_lines_from_a_worker_are_one_signal_and_all_shown_in_order(qapp):
    handler = QtLogHandler()
    dock = LogDock(handler)
    signals: list[int] = []
    handler.bridge.lines_logged.connect(lambda: signals.append(1), Qt.ConnectionType.DirectConnection)
    log = _logger(handler, "worker")
    worker = threading.Thread(target=lambda: [log.info("INV-%04d synced", n) for n in range(200)])
    worker.start()
    worker.join()  # the GUI thread has not turned its event loop meanwhile, as during a busy sync
    assert len(signals) == 1
    QApplication.processEvents()
    shown = dock.text.toPlainText().splitlines()
    assert len(shown) == 200
    assert shown[0].endswith("INFO depot_gui.test_log_dock.worker: INV-0000 synced")
    assert shown[-1].endswith("INFO depot_gui.test_log_dock.worker: INV-0199 synced")
    log.info("INV-0200 synced")  # taken: the next line is told again
    assert len(signals) == 2
    QApplication.processEvents()
    assert dock.text.toPlainText().splitlines()[-1].endswith("INV-0200 synced")
    assert len(dock.text.toPlainText().splitlines()) == 201
    dock.deleteLater()


def test_a_dock_shows_what_was_kept_before_it_and_the_lines_kept_since(qapp):
    handler = QtLogHandler(capacity=5)
    log = _logger(handler, "kept")
    for n in range(3):
        log.info("before %d", n)
    dock = LogDock(handler)
    assert [x.rsplit(": ", 1)[1] for x in dock.text.toPlainText().splitlines()] == ["before 0", "before 1", "before 2"]
    for n in range(8):
        log.info("after %d", n)
    QApplication.processEvents()
    # 8 lines since, the handler keeps 5: those 5 are added
    assert [x.rsplit(": ", 1)[1] for x in dock.text.toPlainText().splitlines()] == [
        "before 0", "before 1", "before 2", "after 3", "after 4", "after 5", "after 6", "after 7"]
    dock.deleteLater()
