"""One small background-work helper: run a function off the UI thread, report back by signals.

Usage (Anki QueryOp style)::

    Op(parent, lambda cancel, progress: engine_call(...))
        .success(on_done).failure(on_error)
        .with_progress("Syncing invoices", cancellable=True)
        .run()

The function runs on QThreadPool with plain data only (a CancelToken and a progress callable);
it never touches widgets. Results, errors and progress come back on the GUI thread through
queued signals.

Threads and object lifetimes: the pool thread must never drop the last reference to anything
the GUI thread may also hold, or a Qt object could be destroyed on the wrong thread. So the
runnable lets go of the function before it reports, leaves its outcome in the op's mailbox (a
list) rather than in signal arguments, and its signal object belongs to the application (C++
ownership: dropping its wrapper on the pool thread never deletes it). The GUI thread holds the
function, the result and the exception until it is done with them. Cyclic garbage is collected
on the GUI thread only (garbage.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from depot_gui.sync.invoices.audit import CancelToken, Cancelled

log = logging.getLogger(__name__)

Work = Callable[[CancelToken, Callable[[str, int, int], None]], Any]
_RUNNING: set["Op"] = set()  # keeps ops (and their signal objects) alive until they finish


class _Signals(QObject):
    """Signals a worker emits; created on the GUI thread (owned by the application) so slots run there.

    Signals:
        finished(): the outcome, ``(True, result)`` or ``(False, exception)``, is in the op's mailbox.
        progressed(str, int, int): message, done, total (total 0 = unknown).
    """

    finished = Signal()
    progressed = Signal(str, int, int)


class _Runnable(QRunnable):
    def __init__(self, fn: Work, cancel: CancelToken, signals: _Signals, mailbox: list) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._fn, self._cancel, self._signals, self._mailbox = fn, cancel, signals, mailbox

    def run(self) -> None:
        fn, self._fn = self._fn, None  # the op keeps it: the GUI thread drops the last reference
        signals, mailbox = self._signals, self._mailbox

        def progress(message: str, done: int, total: int) -> None:
            signals.progressed.emit(str(message), int(done), int(total))

        try:
            mailbox.append((True, fn(self._cancel, progress)))
        except BaseException as exc:  # noqa: BLE001 - every error goes back to the GUI thread
            mailbox.append((False, exc))
        del fn
        signals.finished.emit()  # from here on this thread holds nothing the work made or used


class Op:
    """A background operation with fluent callbacks.

    Args:
        parent: widget that owns the progress dialog; when it has been deleted by the time the
            work ends (a dialog the user closed), the callbacks are dropped, never run on it.
        fn: ``fn(cancel, progress) -> result``; runs on a pool thread.
    """

    def __init__(self, parent: QWidget | None, fn: Work) -> None:
        self._parent = parent
        self._fn = fn
        self._on_success: Callable[[Any], None] = lambda result: None
        self._on_failure: Callable[[BaseException], None] | None = None
        self._on_progress: Callable[[str, int, int], None] | None = None
        self._on_finished: Callable[[], None] | None = None
        self._label: str | None = None
        self._cancellable = False
        self.cancel = CancelToken()
        self.dialog: QProgressDialog | None = None
        self.on_cancel_requested: Callable[[], None] | None = None  # the person confirmed Cancel
        self.strip = None  # a ProgressStrip-like view in the window instead of a dialog (in_window)
        self._signals: _Signals | None = None
        self._mailbox: list[tuple[bool, Any]] = []

    # ----------------------------------------------------------------- fluent setup
    def success(self, cb: Callable[[Any], None]) -> "Op":
        self._on_success = cb
        return self

    def failure(self, cb: Callable[[BaseException], None]) -> "Op":
        self._on_failure = cb
        return self

    def progress(self, cb: Callable[[str, int, int], None]) -> "Op":
        self._on_progress = cb
        return self

    def finally_(self, cb: Callable[[], None]) -> "Op":
        """Called after success or failure (also after cancel)."""
        self._on_finished = cb
        return self

    def with_progress(self, label: str, cancellable: bool = False) -> "Op":
        """Show a progress dialog (after a short delay) that can cancel the work."""
        self._label, self._cancellable = label, cancellable
        return self

    def in_window(self, strip) -> "Op":
        """Show the progress in ``strip`` (begin/report/end, the window's status bar) instead of a
        window-modal dialog: the window stays usable while the work runs (issue 22)."""
        self.strip = strip
        return self

    # ----------------------------------------------------------------- running
    def run(self, pool: QThreadPool | None = None) -> "Op":
        self._signals = _Signals(QCoreApplication.instance())
        self._signals.finished.connect(self._finish, Qt.ConnectionType.QueuedConnection)
        self._signals.progressed.connect(self._report, Qt.ConnectionType.QueuedConnection)
        if self._label is not None and self.strip is not None:
            self.strip.begin(self._label, self._on_strip_canceled if self._cancellable else None)
        elif self._label is not None:
            self._make_dialog()
        _RUNNING.add(self)
        (pool or QThreadPool.globalInstance()).start(_Runnable(self._fn, self.cancel, self._signals, self._mailbox))
        return self

    @property
    def owner(self) -> QWidget | None:
        """The widget the op reports to (its parent)."""
        return self._parent

    @property
    def running(self) -> bool:
        return self in _RUNNING

    def _make_dialog(self) -> None:
        dlg = QProgressDialog(self._label or "", "Cancel" if self._cancellable else "", 0, 0, self._parent)
        dlg.setWindowTitle("Depot GUI")
        dlg.setWindowModality(Qt.WindowModality.WindowModal)
        dlg.setMinimumDuration(400)
        dlg.setAutoClose(False)
        dlg.setAutoReset(False)
        if self._cancellable:
            dlg.canceled.connect(self._on_dialog_canceled)
        else:
            dlg.setCancelButton(None)
        self.dialog = dlg

    def _on_dialog_canceled(self) -> None:
        log.info("Cancel requested: %s", self._label)
        if self.on_cancel_requested is not None:
            self.on_cancel_requested()
        self.cancel.cancel()
        if self.dialog is not None:
            self.dialog.setLabelText("Cancelling after the current step…")

    def _on_strip_canceled(self) -> None:
        log.info("Cancel requested: %s", self._label)
        if self.on_cancel_requested is not None:
            self.on_cancel_requested()
        self.cancel.cancel()

    def _owner_gone(self) -> bool:
        """The parent was deleted (a closed dialog, page or window): its callbacks must not run."""
        return self._parent is not None and not shiboken6.isValid(self._parent)

    def _report(self, message: str, done: int, total: int) -> None:
        if self._owner_gone():
            return
        dialog = self.dialog  # setValue() on a modal dialog processes events: the op may close meanwhile
        if dialog is not None and not self.cancel.cancelled:
            dialog.setLabelText(f"{self._label}\n{message}" if message else self._label or "")
            dialog.setMaximum(max(total, 0))
            dialog.setValue(min(done, total) if total else 0)
        if self.strip is not None and not self.cancel.cancelled:
            self.strip.report(message, done, total)
        if self._on_progress is not None:
            self._on_progress(message, done, total)

    def _close(self) -> None:
        _RUNNING.discard(self)
        if self.dialog is not None and shiboken6.isValid(self.dialog):
            self.dialog.reset()
            self.dialog.hide()
            self.dialog.deleteLater()
        self.dialog = None
        if self.strip is not None and self._label is not None and shiboken6.isValid(self.strip):
            self.strip.end()
        # Let queued progress signals drain before the signal object goes away.
        signals, self._signals = self._signals, None
        if signals is not None:
            QTimer.singleShot(0, signals.deleteLater)

    def _finish(self) -> None:
        ok, value = self._mailbox.pop()
        if ok:
            self._finish_ok(value)
        else:
            self._finish_error(value)

    def _finish_ok(self, result: Any) -> None:
        self._close()
        if self._owner_gone():
            log.debug("Dropped the result of %s: its window was closed", self._label or "an operation")
            return
        try:
            self._on_success(result)
        finally:
            if self._on_finished:
                self._on_finished()

    def _finish_error(self, exc: BaseException) -> None:
        self._close()
        if self._owner_gone():
            log.info("%s ended after its window was closed: %s", self._label or "An operation", exc)
            return
        try:
            if isinstance(exc, Cancelled):
                log.info("Cancelled: %s", self._label or "operation")
            elif self._on_failure is not None:
                self._on_failure(exc)
            else:
                log.error("Background operation failed", exc_info=(type(exc), exc, exc.__traceback__))
        finally:
            if self._on_finished:
                self._on_finished()


def wait_for_ops(timeout_ms: int = 30000) -> bool:
    """Block until every pool thread is done (used on shutdown and in tests)."""
    return QThreadPool.globalInstance().waitForDone(timeout_ms)
