"""Send from Xero… in the window (issue 24 item 3): the question naming who each invoice goes to, then the send.

Two ops of the window's SessionOps, one at a time with refresh and sync: the first reads the
invoices and their contacts from Xero (``Sender.prepare``, sends nothing) and the window asks once,
naming each invoice's recipients (or why it is not sent), the count and the total per currency and
the invoice emails left today; the second sends exactly once (``Sender.send``) and the rows show
Sent. With the setting off, a sentence says where to turn it on; nothing is read.
"""

from __future__ import annotations

import logging

import shiboken6
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox, QWidget

from depot_gui.store.db import InvoiceRow
from depot_gui.sync.child.parent import send_apart
from depot_gui.sync.sending.plan import SendingOff, SendPlan, how_to_send
from depot_gui.sync.sending.sender import summary
from depot_gui.sync.session.session import Session

from depot_gui.ui.detail.finishing_view import MARK_INSTEAD, SEND_TIP, WHERE_TO_MARK
from depot_gui.ui.dialogs.errors import friendly_message
from depot_gui.ui.ops.operations import SessionOps
from depot_gui.ui.ops.workers import Op

log = logging.getLogger("depot_gui.ui")


def with_where_to_mark(details: str) -> str:
    """The question's details with, after the invoices not sent, where to mark them as sent instead (when
    a reason suggests it)."""
    lines = details.split("\n")
    if "Not sent:" not in lines or not any(MARK_INSTEAD in line for line in lines):
        return details
    end = lines.index("Not sent:") + 1
    while end < len(lines) and lines[end]:
        end += 1
    return "\n".join([*lines[:end], WHERE_TO_MARK, *lines[end:]])


def send_box(plan: SendPlan, parent: QWidget | None) -> QMessageBox:
    """The one question: each invoice and its recipients, the count and total; Cancel is the default."""
    q = plan.question
    icon = QMessageBox.Icon.Question if q.count else QMessageBox.Icon.Information
    button = QMessageBox.StandardButton.NoButton if q.count else QMessageBox.StandardButton.Ok
    box = QMessageBox(icon, "Send from Xero", q.title, button, parent)
    box.setInformativeText(with_where_to_mark(q.details))
    box.setObjectName("send_confirm")
    if q.count:  # nothing to send: only Ok
        box.addButton(q.button, QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)  # an email to a customer cannot be taken back
    return box


class SendActions(QObject):
    """The window's Send from Xero… (File menu; the detail pane's button calls ``send`` too).

    Args:
        window: the main window (parent of the question and the progress).
        session: the open session.
        ops: the window's SessionOps (one operation at a time).

    Signals:
        finished_message(str): what a send did (status bar).
        failed(str, str): title and one-sentence reason.
    """

    finished_message = Signal(str)
    failed = Signal(str, str)

    def __init__(self, window: QWidget, session: Session, ops: SessionOps) -> None:
        super().__init__(window)
        self.window, self.session, self.ops = window, session, ops
        self.box: QMessageBox | None = None
        self.plan: SendPlan | None = None
        self.act_send = QAction("Se&nd from Xero…", window)
        self.act_send.setStatusTip(SEND_TIP.replace("this invoice", "the selected approved invoices"))
        self.act_send.setToolTip(self.act_send.statusTip())
        self.selected = lambda: []  # the window gives its selected rows
        self.act_send.triggered.connect(lambda: self.send(self.selected()))

    def _run(self, op: Op) -> None:
        if not self.ops.run_op(op):
            self.ops.when_idle(lambda: QTimer.singleShot(0, lambda: self._run(op)))

    def send(self, rows: list[InvoiceRow]) -> None:
        """Read who the invoices go to (in the background), then ask once."""
        numbers = [r.invoice_number for r in rows]
        if not numbers:
            return
        session = self.session

        def work(cancel, progress):
            how = how_to_send(session.store.settings())
            return session.sender(progress, cancel).prepare(numbers, how)

        self._run(Op(self.window, work).success(self.ask).failure(self._failure("Send from Xero"))
                  .with_progress("Reading who the invoices go to", cancellable=True))

    def ask(self, plan: SendPlan) -> QMessageBox:
        """The question (window-modal); its accept button sends."""
        if self.box is not None and shiboken6.isValid(self.box):
            self.box.reject()
        box = send_box(plan, self.window)
        self.box, self.plan = box, plan
        box.finished.connect(lambda _r: self._answered(box, plan))
        box.open()
        return box

    def _answered(self, box: QMessageBox, plan: SendPlan) -> None:
        clicked = box.clickedButton()
        if plan.question.count and clicked is not None and box.buttonRole(clicked) == QMessageBox.ButtonRole.AcceptRole:
            self._send(plan)
        elif plan.question.count:
            self.finished_message.emit("Send from Xero cancelled: nothing was sent.")

    def _send(self, plan: SendPlan) -> None:
        session, ops = self.session, self.ops
        ids = [i.autotask_id for i in plan.items if i.autotask_id is not None]

        def work(cancel, progress):
            if ops.in_child:  # in the child, as the refresh and the sync (issue 22)
                done = ops.run_in_child(send_apart, plan, ids, progress=progress, cancel=cancel)
                return done.outcomes, done.rows, done.report
            sender = session.sender(progress, cancel)
            outcomes = sender.send(plan)
            rows = [r for r in (session.store.invoice(i) for i in ids) if r is not None]
            return outcomes, rows, plan.left_lines(sender.planner.emails_left)

        def done(payload) -> None:
            outcomes, rows, left = payload
            if rows:
                ops.rows_updated.emit(rows)
            missed = [o.item.invoice_number for o in outcomes if not o.ok]
            text = summary(outcomes, plan.how)
            if missed:
                text += f" Not sent: {', '.join(missed)} (select one to see why)."
            self.finished_message.emit(" ".join([text, *left]))

        n = plan.question.count
        self._run(Op(self.window, work).success(done).failure(self._failure("Send from Xero"))
                  .with_progress(f"Sending {n} invoice{'s' if n != 1 else ''} from Xero", cancellable=True))

    def _failure(self, title: str):
        def failed(exc: BaseException) -> None:
            message = friendly_message(exc)
            if isinstance(exc, SendingOff):
                self.finished_message.emit(message)
                box = QMessageBox(QMessageBox.Icon.Information, title, message, QMessageBox.StandardButton.Ok,
                                  self.window)
                box.setObjectName("send_off")
                self.box = box
                box.open()
                return
            log.error("%s", title, exc_info=(type(exc), exc, exc.__traceback__))
            self.failed.emit(title, message)
            self.finished_message.emit(f"{title} did not finish: {message}")
        return failed


__all__ = ["SendActions", "send_box"]
