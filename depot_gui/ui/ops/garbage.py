"""Python's cyclic garbage collector runs on the GUI thread only, while Qt runs.

CPython collects reference cycles automatically in whichever thread happens to allocate when a
generation's threshold is crossed: often a QThreadPool worker busy with HTTP calls. When the
garbage it finds holds a Qt wrapper that Python owns (a closed window kept in a cycle by a
closure, a signal object, a lambda capturing a widget), the C++ object is destroyed on that
worker thread, behind the GUI thread's back, and the process dies ("Fatal Python error:
Segmentation fault ... Garbage-collecting" in a worker's stack).

So while the application runs, automatic collection is off, and a timer on the GUI thread does
what the interpreter would have done: every second it collects the oldest generation whose
threshold (``gc.get_threshold()``) has been crossed, by ``gc.get_count()``. A gen-0 pass is
cheap; a full (gen-2) pass happens only after ten gen-1 passes, as in CPython. qutebrowser and
pyqtgraph use the same scheme. Worker threads then never collect, so nothing is destroyed there
but what a worker itself held the last reference to (see workers.py: nothing Qt).
"""

from __future__ import annotations

import gc

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QTimer

INTERVAL_MS = 1000

_collector: GuiGarbageCollector | None = None


class GuiGarbageCollector(QObject):
    """Turns automatic cyclic GC off and collects from a GUI-thread timer instead.

    Args:
        parent: its owner (the application); it must live on the GUI thread.
        interval_ms: how often the thresholds are checked.
    """

    def __init__(self, parent: QObject | None = None, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.check)

    @property
    def active(self) -> bool:
        return self._timer.isActive()

    def start(self) -> None:
        if self.active:
            return
        gc.disable()  # for good: the process may end with pool threads still running
        self._timer.start()

    def check(self) -> int | None:
        """Collect the oldest generation whose threshold was crossed; which one it collected, if any.

        Call it on the GUI thread only (the timer does).
        """
        threshold, counts = gc.get_threshold(), gc.get_count()
        if threshold[0] == 0:  # gc.set_threshold(0): collection switched off altogether
            return None
        for gen in (2, 1, 0):
            if counts[gen] > threshold[gen]:
                gc.collect(gen)
                return gen
        return None


def install_gui_gc(app: QCoreApplication | None = None) -> GuiGarbageCollector:
    """Start the application's GUI-thread collector (once; later calls return the same one)."""
    global _collector
    if _collector is not None and shiboken6.isValid(_collector):
        _collector.start()
        return _collector
    app = app or QCoreApplication.instance()
    if app is None:
        raise RuntimeError("install_gui_gc needs the QApplication to exist")
    _collector = GuiGarbageCollector(app)
    _collector.start()
    return _collector


def gui_gc() -> GuiGarbageCollector | None:
    """The running collector, if the application installed one."""
    if _collector is not None and shiboken6.isValid(_collector) and _collector.active:
        return _collector
    return None
