"""FlowPage: a QWizardPage backed by SetupFlow, with busy/error state and background calls."""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QProgressBar, QVBoxLayout, QWizardPage

from depot_gui.sync.setup import Page, SetupFlow

from depot_gui.ui.colors import style_for
from depot_gui.ui.ops.workers import Op



def error_text(exc: BaseException) -> str:
    """The user-facing sentence of an error (our errors carry ``user_message``)."""
    message = getattr(exc, "user_message", None)
    if message:
        return str(message)
    return f"Something unexpected went wrong ({type(exc).__name__}). Try again, and report it if it keeps happening."


class FlowPage(QWizardPage):
    """Base page: ``busy`` and ``error`` properties; ``completeChanged`` whenever either changes.

    Args:
        flow: the shared UI-agnostic setup state.
        page: which step this page is.
    """

    def __init__(self, flow: SetupFlow, page: Page) -> None:
        super().__init__()
        self.flow = flow
        self.page = page
        self._busy = False
        self._error = ""
        self._task: Op | None = None
        self.body = QVBoxLayout(self)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(8)
        self.progress.hide()
        self.error_label = QLabel()
        self.error_label.setObjectName("error")
        self.error_label.setWordWrap(True)
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.setStyleSheet(style_for("error", self.error_label))
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.hide()

    def add_status_widgets(self, stretch: bool = True) -> None:
        """Put the busy bar and error line at the bottom (call after building the page)."""
        if stretch:
            self.body.addStretch(1)
        self.body.addWidget(self.progress)
        self.body.addWidget(self.error_label)

    # -- state -----------------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        return self._busy

    @property
    def error(self) -> str:
        return self._error

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.progress.setVisible(busy)
        self.on_state_changed()
        self.completeChanged.emit()

    def set_error(self, message: str) -> None:
        self._error = message
        self.error_label.setStyleSheet(style_for("error", self.error_label))  # the palette may have changed
        self.error_label.setText(message)
        self.error_label.setVisible(bool(message))
        self.completeChanged.emit()

    def on_state_changed(self) -> None:
        """Subclasses enable/disable their buttons here."""

    def isComplete(self) -> bool:  # noqa: N802 (Qt naming)
        return not self._busy and self.flow.is_complete(self.page)

    def nextId(self) -> int:  # noqa: N802
        nxt = self.flow.next_page(self.page)
        return nxt.value if nxt is not None else -1

    # -- background work -------------------------------------------------------------------
    def run(self, fn: Callable[[], Any], on_done: Callable[[Any], None],
            on_error: Callable[[BaseException], None] | None = None) -> Op:
        """Run ``fn`` off the UI thread; the page is busy until it returns.

        ``fn`` must carry its inputs (a flow job bound on the UI thread). Starting another run
        supersedes this one: only the newest task's result reaches the page. The page is the
        Op's parent, so a result arriving after the page was deleted is dropped by the Op.
        """
        self.cancel_task()
        self.set_error("")
        op = Op(self, lambda cancel, progress: fn())
        mine = weakref.ref(op)  # the op holds these callbacks: no cycle back to it

        def current() -> bool:
            return self._task is not None and self._task is mine()

        def done(result: Any) -> None:
            if not current():  # superseded or cancelled
                return
            self._task = None
            self.set_busy(False)
            on_done(result)

        def failed(exc: BaseException) -> None:
            if not current():
                return
            self._task = None
            self.set_busy(False)
            (on_error or self._default_error)(exc)

        self._task = op
        op.success(done).failure(failed)
        self.set_busy(True)
        return op.run()

    def cancel_task(self) -> None:
        """Stop waiting for the running task (its late result is ignored) and leave the busy state."""
        op, self._task = self._task, None
        if op is not None:
            op.cancel.cancel()
            self.set_busy(False)

    def _default_error(self, exc: BaseException) -> None:
        self.set_error(error_text(exc))
