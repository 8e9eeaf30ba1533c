"""Run a plain function on QThreadPool and get its result back on the GUI thread by signal."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot

_RUNNING: set[Task] = set()  # keeps tasks (and their signal objects) alive until they report


class Task(QObject):
    """One background call; ``fn`` takes and returns plain data and never touches widgets.

    Signals:
        succeeded(object): the function's return value.
        failed(object): the exception it raised.
    """

    succeeded = Signal(object)
    failed = Signal(object)
    _returned = Signal(object)  # emitted on the pool thread, delivered queued on the GUI thread
    _raised = Signal(object)

    def __init__(self, fn: Callable[[], Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._fn = fn
        self._returned.connect(self._on_returned, Qt.ConnectionType.QueuedConnection)
        self._raised.connect(self._on_raised, Qt.ConnectionType.QueuedConnection)

    def start(self, pool: QThreadPool | None = None) -> Task:
        """Queue the call; ``succeeded``/``failed`` are emitted on the thread owning this object."""
        _RUNNING.add(self)
        (pool or QThreadPool.globalInstance()).start(_Runnable(self))
        return self

    @Slot(object)
    def _on_returned(self, result: object) -> None:
        _RUNNING.discard(self)
        self.succeeded.emit(result)

    @Slot(object)
    def _on_raised(self, exc: object) -> None:
        _RUNNING.discard(self)
        self.failed.emit(exc)


class _Runnable(QRunnable):
    def __init__(self, task: Task) -> None:
        super().__init__()
        self._task = task

    def run(self) -> None:
        try:
            result = self._task._fn()
        except BaseException as exc:  # noqa: BLE001 - every error goes back to the GUI thread
            self._task._raised.emit(exc)
        else:
            self._task._returned.emit(result)


def run_task(
    fn: Callable[[], Any],
    on_success: Callable[[Any], None],
    on_failure: Callable[[BaseException], None],
    parent: QObject | None = None,
) -> Task:
    """Start ``fn`` off the UI thread; exactly one of the callbacks runs on the GUI thread."""
    task = Task(fn, parent)
    task.succeeded.connect(on_success)
    task.failed.connect(on_failure)
    return task.start()
