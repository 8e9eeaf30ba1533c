"""The background helper never calls back into a widget that was closed meanwhile."""

import threading

from PySide6.QtWidgets import QWidget

from depot_gui.ui.ops.workers import Op, wait_for_ops


def test_callbacks_are_dropped_when_the_parent_was_deleted(qtbot):
    parent = QWidget()
    release = threading.Event()
    called = []
    op = Op(parent, lambda cancel, progress: release.wait(5) and "done").success(called.append).failure(called.append)
    op.run()
    parent.deleteLater()
    qtbot.waitUntil(lambda: not __import__("shiboken6").isValid(parent), timeout=2000)
    release.set()
    wait_for_ops(5000)
    qtbot.wait(100)  # let the queued result arrive
    assert called == [] and not op.running


def test_callbacks_run_while_the_parent_lives(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    called = []
    Op(parent, lambda cancel, progress: 42).success(called.append).run()
    qtbot.waitUntil(lambda: called == [42], timeout=3000)
