"""Cyclic garbage is collected on the GUI thread only, and a worker never drops the last reference
to what the work used or made (else Qt objects die on a pool thread: a segfault)."""

import gc
import threading
import weakref

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from depot_gui.ui.ops.garbage import gui_gc
from depot_gui.ui.ops.workers import Op, wait_for_ops


class Marker:
    """Records the name of the thread that frees it."""

    def __init__(self, freed_in: list[str]) -> None:
        self.freed_in = freed_in
        self.cycle = self  # reachable only through a reference cycle once dropped

    def __del__(self) -> None:
        self.freed_in.append(threading.current_thread().name)


def test_automatic_collection_is_off_while_qt_runs(qapp):
    collector = gui_gc()
    assert collector is not None and collector.active and not gc.isenabled()


def test_each_check_collects_the_oldest_generation_due_as_cpython_would(qapp):
    collector = gui_gc()
    old = gc.get_threshold()
    gc.set_threshold(10, 1, 1)
    try:
        gc.collect()
        ballast, collected = [], []
        for _ in range(7):
            ballast.append([[] for _ in range(50)])  # young objects past the gen-0 threshold
            collected.append(collector.check())
        assert collector.check() is None  # nothing new: nothing due
    finally:
        gc.set_threshold(*old)
    assert collected == [0, 0, 1, 0, 0, 1, 2]


def test_the_gui_thread_collects_cycles_once_the_threshold_is_crossed(qtbot):
    gc.collect()
    freed_in: list[str] = []
    Marker(freed_in)
    ballast = [[] for _ in range(gc.get_threshold()[0] + 100)]  # more young objects than the threshold
    assert freed_in == []  # nothing collects on allocation any more
    qtbot.waitUntil(lambda: bool(freed_in), timeout=5000)  # the 1 s timer
    assert freed_in == ["MainThread"] and len(ballast) > 0


def test_a_worker_allocating_heavily_never_collects(qtbot):
    """The crash: a pool thread allocating past the threshold collected the GUI's garbage."""
    gc.collect()
    freed_in: list[str] = []
    Marker(freed_in)  # garbage made on the GUI thread
    threshold = gc.get_threshold()[0]
    done = []

    def work(cancel, progress):
        return [[] for _ in range(20 * threshold)]  # would trigger generation-0 passes here; kept alive

    Op(None, work).success(done.append).run()
    assert wait_for_ops(10000)  # the GUI thread allocates nothing meanwhile: only the worker could collect
    qtbot.waitUntil(lambda: bool(done) and bool(freed_in), timeout=10000)
    assert len(done[0]) == 20 * threshold
    assert freed_in == ["MainThread"]


def test_the_worker_holds_nothing_of_the_work_once_it_reports(qtbot):
    """While the worker is parked inside its final signal, the GUI thread has already freed the work
    function and its result: the worker thread never dropped the last reference to either."""
    release = threading.Event()
    freed: list[str] = []

    class Result:
        pass

    class Work:
        def __call__(self, cancel, progress):
            release.wait(5)
            result = Result()
            weakref.finalize(result, freed.append, "result")
            return result

    work = Work()
    weakref.finalize(work, freed.append, "work")
    got = []
    op = Op(None, work).success(lambda result: got.append(type(result).__name__)).run()
    del work
    parked = []
    # blocks the worker inside its final emit until the GUI thread has run this (after the op's own slot)
    op._signals.finished.connect(lambda: parked.append(sorted(freed)), Qt.ConnectionType.BlockingQueuedConnection)
    del op
    release.set()
    qtbot.waitUntil(lambda: bool(parked), timeout=5000)
    wait_for_ops(5000)
    assert got == ["Result"]
    assert parked == [["result", "work"]]


def test_the_worker_signal_object_is_owned_by_the_application(qtbot):
    """Dropping its wrapper on a pool thread must not delete it there (C++ ownership)."""
    import shiboken6

    release = threading.Event()
    op = Op(None, lambda cancel, progress: release.wait(5)).run()
    try:
        assert op._signals.parent() is QApplication.instance()
        assert not shiboken6.ownedByPython(op._signals)
    finally:
        release.set()
        wait_for_ops(5000)


@pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")  # the start-up shell shows
def test_the_app_entry_point_installs_the_collector(monkeypatch, tmp_path):
    from PySide6.QtWidgets import QMessageBox

    from depot_gui import app as app_module
    from depot_gui.sync.session.session import SessionError

    installed = []
    real_install = app_module.install_gui_gc
    monkeypatch.setattr(app_module, "install_gui_gc", lambda app: installed.append(app) or real_install(app))

    def no_session(args):
        raise SessionError("no data here")

    monkeypatch.setattr(app_module, "open_session", no_session)
    monkeypatch.setattr(QMessageBox, "critical", staticmethod(lambda *a, **k: None))
    assert app_module.main(["--data-dir", str(tmp_path)]) == 2
    assert installed == [QApplication.instance()] and not gc.isenabled()
