"""The sync child: reads one Job, syncs its invoices (or audits: the window's refresh) over its own
session, says what it did.

Started by parent.py as ``python -m depot_gui.sync.child.child_main`` (a frozen build: the app's own
executable with ``--sync-child``). Its standard output carries only wire messages (anything printed goes
to standard error); its log records go to the parent, which writes them to the log file and the window's
log. A CANCEL message, or the parent closing the pipe (it exited or crashed), cancels: the sync stops
before its next step, as the window's Cancel does, and what was sent stays recorded.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
import traceback
from dataclasses import replace

from depot_gui.sync.cancel import CancelToken
from depot_gui.sync.child import wire

CHILD_FLAG = "--sync-child"  # a frozen build's executable runs ``child_main`` when given this first
log = logging.getLogger("depot_gui.sync.child")


class _Outbox:
    """What the child says, in as few messages as the window needs (issue 22: each message wakes a thread of
    the window's process, which takes its GIL; while the machine is busy, a thread preempted holding it is
    a stall of the window). Progress goes at most every ``PROGRESS_EVERY_S`` (the latest); log records in
    batches, when ``LOG_BATCH`` wait or the first has waited ``LOG_WAIT_S``; both before anything else is
    said, so the window reads them in order.
    """

    PROGRESS_EVERY_S, LOG_BATCH, LOG_WAIT_S = 0.1, 100, 0.5

    def __init__(self, out, clock=time.monotonic, later=None) -> None:
        self._out = out
        self._clock = clock
        # What is held back goes out at the latest after its wait, also when nothing else comes (a long
        # rate-limit wait says so at once): ``later(seconds, fn)`` runs fn then (a timer thread).
        self._later = later or _timer
        self._due = False  # a later flush is arranged
        self._lock = threading.Lock()
        self._logs: list[tuple] = []
        self._progress: tuple | None = None
        self._progress_at = 0.0

    def say(self, kind: str, payload=None) -> None:
        with self._lock:
            self._flush()
            wire.send(self._out, kind, payload)

    def progress(self, message: str, done: int, total: int) -> None:
        with self._lock:
            self._progress = (str(message), int(done), int(total))
            wait = self.PROGRESS_EVERY_S - (self._clock() - self._progress_at)
            if wait <= 0:
                self._flush()
            else:
                self._flush_in(wait)

    def log(self, name: str, level: int, text: str, created: float) -> None:
        with self._lock:
            self._logs.append((name, level, text, created))
            if len(self._logs) >= self.LOG_BATCH or created - self._logs[0][3] >= self.LOG_WAIT_S:
                self._flush()
            else:
                self._flush_in(self.LOG_WAIT_S)

    def flush_due(self) -> None:
        """What is held back, now (the later flush)."""
        with self._lock:
            self._due = False
            self._flush()

    def _flush_in(self, seconds: float) -> None:
        if not self._due:
            self._due = True
            self._later(seconds, self.flush_due)

    def _flush(self) -> None:
        if self._logs:
            logs, self._logs = self._logs, []
            wire.send(self._out, wire.LOG, logs)
        if self._progress is not None:
            progress, self._progress = self._progress, None
            wire.send(self._out, wire.PROGRESS, progress)
            self._progress_at = self._clock()


def _timer(seconds: float, fn) -> None:
    timer = threading.Timer(seconds, fn)
    timer.daemon = True
    timer.start()


class _Forward(logging.Handler):
    """Each record to the parent, which writes it as its own: (logger name, level, text, time made)."""

    def __init__(self, outbox: _Outbox) -> None:
        super().__init__(logging.INFO)
        self._outbox = outbox

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = record.getMessage()
            if record.exc_info:
                text += "\n" + "".join(traceback.format_exception(*record.exc_info)).rstrip()
            self._outbox.log(record.name, record.levelno, text, record.created)
        except Exception:  # noqa: BLE001 - logging never stops a sync
            pass


NICE = 5  # below the window: when the machine is busy, the window's thread gets the CPU first (Windows: parent.py)


def child_main(argv: list[str] | None = None) -> int:
    if hasattr(os, "nice"):
        try:
            os.nice(NICE)
        except OSError:
            pass
    out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")  # the messages' own stream
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # a stray print never lands among them
    sys.stdout = sys.stderr
    inp = sys.stdin.buffer
    outbox = _Outbox(out)
    _load_engine()  # before the job comes: a child started ahead has it loaded when it does
    try:
        kind, request = wire.receive(inp)
    except wire.WireClosed:
        return 2
    if kind != wire.REQUEST or not isinstance(request, wire.Job):
        return 2
    logger = logging.getLogger("depot_gui")
    logger.addHandler(_Forward(outbox))
    logger.setLevel(logging.INFO)
    cancel = CancelToken()
    listener = threading.Thread(target=_listen, args=(inp, cancel), name="parent", daemon=True)
    listener.start()
    code = 0
    try:
        outbox.say(wire.DONE, run(request, cancel, outbox))
    except BaseException as exc:  # noqa: BLE001 - every ending reaches the parent
        if not _is_expected(exc):
            log.error("The sync process failed: %s", exc, exc_info=True)
        outbox.say(wire.FAILED, _portable(exc))
        code = 1
    # The parent closes the pipe once it has the last word. Exiting while the listener still reads it
    # would make the interpreter wait a second for that read's lock as it shuts down.
    listener.join(5)
    return code


def _load_engine() -> None:
    import depot_gui.sync.invoices.syncer  # noqa: F401 - imported for their import time only
    import depot_gui.sync.orgs.routed_sync  # noqa: F401
    import depot_gui.sync.session.session  # noqa: F401


def run(request: wire.Job, cancel: CancelToken, outbox: _Outbox) -> wire.JobDone:
    """The job's work (a sync of its invoices, an audit, the payments check, or sending from Xero) over a
    session of its own; rows go to the parent as they are recorded."""
    from depot_gui.sync.session.session import Session

    with Session.open(request.data_dir, request.scenario, attach_url=request.sandbox_url, log_to_file=False) as session:
        work = _Work(request, cancel, outbox, session)
        return {wire.SYNC: work.sync, wire.AUDIT: work.audit, wire.PAYMENTS: work.payments,
                wire.SEND: work.send}[request.kind]()


class _Work:
    """One job's kinds of work over the child's session."""

    def __init__(self, request: wire.Job, cancel: CancelToken, outbox: _Outbox, session) -> None:
        self.request, self.cancel, self.outbox, self.session = request, cancel, outbox, session

    def connections(self):
        """The session's clients; when first connected, what the window knows goes in: its calls of the last
        minute count here too, and what it read once (tax rates) is not read again."""
        from depot_gui.sync.orgs.limits import absorb_xero_state

        fresh = self.session.connected() is None
        conn = self.session.connections()
        if fresh:
            absorb_xero_state(conn, self.request.xero)
            conn.extra.update(self.request.memos)
        return conn

    def recorded(self, autotask_ids: list[int]) -> None:
        rows = self.rows(autotask_ids)
        if rows:
            self.outbox.say(wire.ROWS, rows)

    def rows(self, ids) -> list:
        return [r for r in (self.session.store.invoice(i) for i in ids) if r is not None]

    def done(self, outcomes: list, rows: list, **more) -> wire.JobDone:
        from depot_gui.sync.orgs.limits import xero_state

        return wire.JobDone(outcomes, more.pop("warnings", []), rows, xero_state(self.session.connected()), **more)

    def sync(self) -> wire.JobDone:
        self.connections()
        syncer = self.session.syncer(self.outbox.progress, self.cancel, replace_edits=self.request.replace_edits)
        syncer.auditor.on_recorded = self.recorded
        outcomes = syncer.sync(list(self.request.numbers))
        return self.done(brief(outcomes), self.rows(self.request.ids), warnings=list(syncer.warnings))

    def audit(self) -> wire.JobDone:
        self.connections()
        auditor = self.session.auditor(self.outbox.progress, self.cancel)
        auditor.on_recorded = self.recorded
        auditor.audit()
        since, _ = auditor.period(self.session.settings())
        return self.done([], self.session.store.invoices(), since=since)

    def payments(self) -> wire.JobDone:
        """Connects only when there is something to check."""
        from depot_gui.sync.payments.payments_back import PaymentsBack

        report = PaymentsBack(self.session.store, self.connections, progress=self.outbox.progress,
                              cancel=self.cancel).run()
        return self.done([], self.rows(c.row.autotask_id for c in report.checks), report=report)

    def send(self) -> wire.JobDone:
        """The plan the person agreed to, from Xero: email or mark as sent."""
        from depot_gui.sync.sending.sender import Sender

        sender = Sender(self.session.store, self.connections, progress=self.outbox.progress, cancel=self.cancel)
        outcomes = sender.send(self.request.plan)
        return self.done(list(outcomes), self.rows(self.request.ids),
                         report=self.request.plan.left_lines(sender.planner.emails_left))


def brief(outcomes) -> list:
    """The outcomes without their drafts and line comparisons: the window reads those from the store when it
    shows an invoice, and reading 200 of them back whole held its GIL for 55 ms in one go (a stall)."""
    return [replace(o, result=replace(o.result, draft=None, lines=())) for o in outcomes]


def _listen(inp, cancel: CancelToken) -> None:
    """CANCEL from the parent, or its end of the pipe closing, cancels the sync."""
    try:
        while True:
            kind, _ = wire.receive(inp)
            if kind == wire.CANCEL:
                cancel.cancel()
    except (wire.WireClosed, OSError, ValueError):
        cancel.cancel()


def _is_expected(exc: BaseException) -> bool:
    from depot_gui.sync.cancel import Cancelled
    from depot_gui.sync.session.session import SessionError

    return isinstance(exc, (Cancelled, SessionError))


def _portable(exc: BaseException) -> BaseException:
    """``exc`` itself when it survives the pipe (pickled and read back), else a ChildError saying the same."""
    import pickle

    try:
        pickle.loads(pickle.dumps(exc))
        return exc
    except Exception:  # noqa: BLE001 - an exception that does not pickle is described instead
        from depot_gui.sync.child.errors import ChildError

        return ChildError(str(exc) or type(exc).__name__, getattr(exc, "user_message", "") or "")


if __name__ == "__main__":
    sys.exit(child_main())
