"""What every `depot-sync` command module shares: exit codes, the one-line usage error, argument types."""

from __future__ import annotations

import argparse
import re
from datetime import date

EXIT_OK, EXIT_SYNC_FAILED, EXIT_USAGE = 0, 1, 2


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
