"""What every `depot-sync` command module shares: exit codes, the one-line usage error, argument types."""

from __future__ import annotations

import argparse
import logging
import re
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

EXIT_OK, EXIT_SYNC_FAILED, EXIT_USAGE = 0, 1, 2

# What a command needs before it runs (Command.needs).
NOTHING = "nothing"  # no data directory opened: it opens what it needs itself (sandbox serve, repair)
SESSION = "session"  # the data directory's Session; connections only when the command asks for them
CONNECTIONS = "connections"  # the Session with Autotask and Xero connected first (a missing one: exit 2)


@dataclass(frozen=True)
class Command:
    """One row of the ``depot-sync`` command table (``depot_gui.cli.commands.COMMANDS``)."""

    name: str
    add_parser: Callable[[Any], None]  # registers the command on the top-level subparsers
    run: Callable[[Any, argparse.Namespace, Any], int]  # run(session, args, out) -> exit code; session None for NOTHING
    needs: str | Callable[[argparse.Namespace], str] = SESSION  # NOTHING, SESSION or CONNECTIONS, or per arguments
    guarded: bool = False  # the services' failures become one line, exit 2 (``guarded``)
    check: Callable[[argparse.Namespace], None] | None = None  # the request checked before the data dir opens

    def need(self, args: argparse.Namespace) -> str:
        return self.needs(args) if callable(self.needs) else self.needs


class UsageError(Exception):
    """Bad usage, bad scenario or missing connection: one line on stderr, exit 2."""


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one clear line, not usage + traceback
        raise UsageError(f"{self.prog}: {message} (see {self.prog.split()[0]} --help)")


def whole(text: str, low: int, high: int, what: str) -> int:
    """A whole number from ``low`` to ``high``, or argparse's one-line error naming ``what``."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not {what}") from None
    if not low <= value <= high:
        raise argparse.ArgumentTypeError(f"{value} is not {what}")
    return value


def port_arg(text: str) -> int:
    """A TCP port number: 0 (any free port) to 65535."""
    return whole(text, 0, 65535, "a port number; use 0-65535 (0 = any free port)")


def folder_arg(text: str) -> str:
    """A data directory: never empty (an empty one must not mean the real default)."""
    if not text.strip():
        raise argparse.ArgumentTypeError("must not be empty; give a folder, or leave --data-dir out for the standard one")
    return text


def minutes_arg(text: str) -> int:
    return whole(text, 0, 1440, "a whole number of minutes from 0 to 1440")


def date_arg(text: str) -> date:
    """A --since/--until day, written YYYY-MM-DD only (not an ISO week like 2026-W01, nor 20260101)."""
    try:
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text.strip()):
            raise ValueError
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-11-01") from None


def guarded(run) -> int:
    """Run a command that talks to the services; their failures become one line, exit 2."""
    from depot_gui.autotask.errors import AutotaskError
    from depot_gui.store.db import StoreError
    from depot_gui.sync.invoices.audit import Cancelled, NothingNamed
    from depot_gui.sync.session.session import SessionError
    from depot_gui.xero.errors import XeroError

    try:
        return run()
    except (AutotaskError, XeroError) as exc:
        raise UsageError(f"depot-sync: {exc.user_message}") from None
    except (SessionError, StoreError, Cancelled, NothingNamed) as exc:
        raise UsageError(f"depot-sync: {exc}") from None


def os_error_sentence(exc: OSError) -> str:
    """An OSError as the file it is about, what went wrong and what to do."""
    where = f"{exc.filename}: " if exc.filename else ""
    reason = exc.strerror or str(exc)
    if isinstance(exc, PermissionError):
        return f"{where}{reason}; give your user write access to it and its folder (is the data directory read-only?)"
    return f"{where}{reason}"


def last_resort(exc: BaseException) -> str:
    """The one line for an error no command caught: its reason when it has one (a store or file
    error), else its kind; the log file is named only when the record reached it."""
    from depot_gui.store.records import StoreError

    logged = _log(exc)
    if isinstance(exc, StoreError):
        return f"depot-sync: {exc}"
    if isinstance(exc, OSError):
        return f"depot-sync: {os_error_sentence(exc)}"
    where = ("The log file in the data directory has the details." if logged
             else "No log file could be written either; run the command again from a terminal to see it.")
    return f"depot-sync: unexpected error ({type(exc).__name__}); nothing more was done. {where}"


def _log(exc: BaseException) -> bool:
    """Log ``exc`` with its traceback; True when a log file took the record."""
    from depot_gui.store.logs import SafeFileHandler

    files = [h for h in logging.getLogger("depot_gui").handlers if isinstance(h, SafeFileHandler)]
    dropped = sum(h.dropped for h in files)
    logging.getLogger("depot_gui.cli.commands").error("unexpected error", exc_info=(type(exc), exc, exc.__traceback__))
    return bool(files) and sum(h.dropped for h in files) == dropped


class Terminated(KeyboardInterrupt):
    """SIGTERM: the system or another program asked depot-sync to end (handled like Ctrl+C)."""


@contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """While a command runs, SIGTERM stops it as Ctrl+C does (the work in hand unwinds and is
    recorded) instead of ending the process without a word."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum, frame) -> None:
        raise Terminated()

    old = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, old)


def stopped(exc: KeyboardInterrupt, err) -> int:
    """The line and the log record for a command stopped by Ctrl+C or SIGTERM; its exit code."""
    how = "by a termination signal (SIGTERM)" if isinstance(exc, Terminated) else "by Ctrl+C"
    print(f"depot-sync: stopped {how} before it finished; what was done so far is recorded, and the same command "
          "run again does the rest", file=err)
    logging.getLogger("depot_gui.cli.commands").warning("stopped %s", how)
    return 143 if isinstance(exc, Terminated) else 130
