"""Run a sync (or the window's refresh, an audit) in a child process and relay what it says, as the same
work on a thread would.

``sync_apart(session, numbers, ids, ...)`` (``audit_apart(session, ...)``) blocks its caller (a window's worker thread) while the child
syncs: that thread only waits on the pipe and unpickles the child's few messages, so the window's GIL is
free while invoices are audited and sent. Progress, recorded rows and log records come back as they
happen; the outcomes, warnings and rows at the end; a failure as the engine's own exception. The cancel
token is watched here and passed on. When the child stops without a word (killed, crashed) a ChildError
says so; what it sent stays recorded in the store, and the next sync looks those invoices up first.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
from collections.abc import Callable

from depot_gui.sync.cancel import Cancelled, CancelToken
from depot_gui.sync.child import wire
from depot_gui.sync.child.child_main import CHILD_FLAG
from depot_gui.sync.child.errors import ChildError
from depot_gui.sync.orgs.limits import absorb_xero_state, xero_state
from depot_gui.sync.xero_cache import session_memos

log = logging.getLogger("depot_gui.sync.child")

STOPPED = ("The sync stopped before it finished (its process ended: {how}). What it sent is recorded: "
           "refresh to see each invoice's state; Re-sync looks an invoice up in Xero before sending it again.")


def child_command() -> list[str]:
    """The command line that starts the child (the same Python, or the frozen app itself)."""
    if getattr(sys, "frozen", False):
        return [sys.executable, CHILD_FLAG]
    return [sys.executable, "-m", "depot_gui.sync.child.child_main"]


def start_child() -> subprocess.Popen:
    """A child, started: it loads the engine, then waits for its job on its standard input (and exits when
    that closes first). Started ahead, it makes the next job start at once (``spare=`` below)."""
    return subprocess.Popen(
        child_command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        env=dict(os.environ, PYTHONUNBUFFERED="1"), close_fds=True,
        creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0) | getattr(subprocess, "BELOW_NORMAL_PRIORITY_CLASS", 0),
    )


def sync_apart(session, numbers: list[str], ids: list[int], *, replace_edits: bool = False,
               progress: Callable[[str, int, int], None] | None = None, cancel: CancelToken | None = None,
               on_rows: Callable[[list], None] | None = None, spare: subprocess.Popen | None = None) -> wire.JobDone:
    """Sync ``numbers`` in a child process over ``session``'s data dir and services (``session.reachable_apart``);
    ``spare``: a child started ahead (``start_child``), used when it still runs.

    Raises what the sync raised (Cancelled, SessionError, the clients' errors...), or ChildError."""
    return _run(session, wire.SYNC, list(numbers), list(ids), replace_edits, progress, cancel, on_rows, spare)


def audit_apart(session, *, progress: Callable[[str, int, int], None] | None = None,
                cancel: CancelToken | None = None, on_rows: Callable[[list], None] | None = None,
                spare: subprocess.Popen | None = None) -> wire.JobDone:
    """Audit every unsynced invoice of the period (the window's refresh) in a child process; ``rows`` of the
    result are all the store's rows after it, ``since`` the first day downloaded. Raises as ``sync_apart``."""
    return _run(session, wire.AUDIT, [], [], False, progress, cancel, on_rows, spare)


def payments_apart(session, *, progress: Callable[[str, int, int], None] | None = None,
                   cancel: CancelToken | None = None, spare: subprocess.Popen | None = None) -> wire.JobDone:
    """The payments check (Xero's payment states, Autotask's paid dates) in a child process; ``report`` of the
    result is its PaymentsReport, ``rows`` the invoices it checked as stored after. Raises as ``sync_apart``."""
    return _run(session, wire.PAYMENTS, [], [], False, progress, cancel, None, spare)


def send_apart(session, plan, ids: list[int], *, progress: Callable[[str, int, int], None] | None = None,
               cancel: CancelToken | None = None, spare: subprocess.Popen | None = None) -> wire.JobDone:
    """Send the agreed ``plan``'s invoices from Xero (email, or mark as sent) in a child process; ``outcomes``
    of the result are the SendOutcomes, ``rows`` those of ``ids`` as stored after, ``report`` the emails-left
    lines. Raises as ``sync_apart``."""
    return _run(session, wire.SEND, [], list(ids), False, progress, cancel, None, spare, plan=plan)


def _job_for(session, kind: str, numbers: list[str] = (), ids: list[int] = (), replace_edits: bool = False,
             plan=None) -> wire.Job:
    """The job for ``session``: its data dir, where its sandbox is served, and what this process knows that the
    child should too (Xero's calls of the last minute, what was read once). Reads memory only."""
    connected = session.connected()
    return wire.Job(
        data_dir=str(session.paths.data_dir), numbers=list(numbers), ids=list(ids), kind=kind,
        replace_edits=replace_edits, scenario=str(session.scenario) if session.scenario is not None else None,
        sandbox_url=session.served_url, xero=xero_state(connected),
        memos=session_memos(connected.extra) if connected is not None else {}, plan=plan,
    )


def _stopped(code: int, why: str = "") -> ChildError:
    """The child ended without its last word (killed, crashed): what to do."""
    how = f"exit code {code}" if code >= 0 else f"signal {-code}"
    log.error("The sync process ended without its result (%s%s)", how, f"; {why}" if why else "")
    text = STOPPED.format(how=how)
    return ChildError(text, text)


def _run(session, kind: str, numbers: list[str], ids: list[int], replace_edits: bool, progress, cancel,
         on_rows, spare: subprocess.Popen | None = None, plan=None) -> wire.JobDone:
    request = _job_for(session, kind, numbers, ids, replace_edits, plan)
    cancel = cancel or CancelToken()
    process = spare if spare is not None and spare.poll() is None else start_child()
    talk = threading.Lock()
    try:
        wire.send(process.stdin, wire.REQUEST, request)
    except OSError:
        pass  # the child is gone already: its exit code says how, below
    finished = threading.Event()
    watcher = threading.Thread(target=_pass_cancel, args=(cancel, finished, process, talk), name="sync-cancel",
                               daemon=True)
    watcher.start()
    try:
        done = _relay(process, progress, on_rows)
    finally:
        finished.set()
        _close(process)
    absorb_xero_state(session.connected(), done.xero)  # the status bar's calls left; the next job's minute window
    return done


def _dispatch(kind: str, payload, progress, on_rows) -> wire.JobDone | None:
    """One message of the child: log lines logged here, progress and rows to their callbacks; the JobDone
    (DONE) returned; a failure (FAILED) raised; None otherwise."""
    if kind == wire.LOG:
        _log_batch(payload)
    elif kind == wire.PROGRESS and progress is not None:
        progress(*payload)
    elif kind == wire.ROWS and on_rows is not None:
        on_rows(payload)
    elif kind == wire.DONE:
        return payload
    elif kind == wire.FAILED:
        raise payload
    return None


def _relay(process: subprocess.Popen, progress, on_rows) -> wire.JobDone:
    while True:
        try:
            kind, payload = wire.receive(process.stdout)
        except wire.WireClosed as exc:
            raise _stopped(process.wait(), str(exc)) from None
        done = _dispatch(kind, payload, progress, on_rows)
        if done is not None:
            return done


def _log_batch(batch: list[tuple]) -> None:
    """The child's records as this process's own (the log file, the window's log), with the child's times;
    made whole here rather than through ``Logger.log`` (no caller lookup per line)."""
    for name, level, text, created in batch:
        logger = logging.getLogger(name)
        if logger.isEnabledFor(level):
            logger.handle(logging.makeLogRecord({
                "name": name, "levelno": level, "levelname": logging.getLevelName(level), "msg": text,
                "created": created, "msecs": (created - int(created)) * 1000,
            }))


def _pass_cancel(cancel: CancelToken, finished: threading.Event, process: subprocess.Popen, talk) -> None:
    """Wait for the person to cancel (or the sync to end); tell the child once."""
    while not finished.is_set():
        if cancel.wait(0.2):
            with talk:
                try:
                    wire.send(process.stdin, wire.CANCEL)
                except (OSError, ValueError):
                    pass  # it ended meanwhile
            return


def _close(process: subprocess.Popen) -> None:
    """The child has said its last word (or died): close its pipes and reap it; kill it after 10 s."""
    for stream in (process.stdin, process.stdout):
        try:
            stream.close()
        except OSError:
            pass
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


__all__ = ["sync_apart", "audit_apart", "payments_apart", "send_apart", "start_child", "child_command", "Cancelled", "ChildError"]
