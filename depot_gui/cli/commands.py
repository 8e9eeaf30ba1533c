"""`depot-sync`: the headless twin of Depot GUI (contract: shared/specs/cli.md)."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence

from depot_gui import __version__

from depot_gui.cli.cache import CACHE
from depot_gui.cli.common import (
    CONNECTIONS, EXIT_OK, EXIT_SYNC_FAILED, EXIT_USAGE, NOTHING, Command, Parser, UsageError, folder_arg, guarded,
    last_resort, sigterm_as_interrupt, stopped,
)
from depot_gui.cli.connect import CONNECT
from depot_gui.cli.contacts import CONTACTS
from depot_gui.cli.mapping import MAPPING
from depot_gui.cli.orgs import ORGS
from depot_gui.cli.invoices import AUDIT, LINK, STATUS, SYNC, result_json
from depot_gui.cli.payments import PAYMENTS
from depot_gui.cli.repair import REPAIR
from depot_gui.cli.report import REPORT
from depot_gui.cli.sandbox import SANDBOX
from depot_gui.cli.send import SEND
from depot_gui.cli.settings import SETTINGS
from depot_gui.cli.tracking import TRACKING

__all__ = ["COMMANDS", "EXIT_OK", "EXIT_SYNC_FAILED", "EXIT_USAGE", "UsageError", "build_parser", "main", "result_json"]

# The command table, in the order `depot-sync --help` lists the commands.
COMMANDS: tuple[Command, ...] = (
    AUDIT, SYNC, LINK, SEND, STATUS, PAYMENTS, TRACKING, MAPPING, CACHE, CONTACTS, ORGS, SETTINGS, SANDBOX, REPAIR, REPORT, CONNECT,
)
_BY_NAME = {c.name: c for c in COMMANDS}


def build_parser() -> argparse.ArgumentParser:
    p = Parser(prog="depot-sync", description="Audit and sync Autotask invoices into Xero without the window.")
    p.add_argument("--version", action="version", version=f"depot-sync {__version__}")
    p.add_argument("--data-dir", type=folder_arg, help="where the local database, settings and logs live")
    p.add_argument("--sandbox", metavar="SCENARIO.json", help="use the built-in sandbox loaded from this scenario")
    sub = p.add_subparsers(dest="command", required=True, parser_class=Parser)
    for command in COMMANDS:
        command.add_parser(sub)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    out, err = sys.stdout, sys.stderr
    logging.raiseExceptions = False  # a record that cannot be written is dropped, never a "Logging error" on stderr
    try:
        args = build_parser().parse_args(argv)
        _names_given(args)
        with sigterm_as_interrupt():
            return _run(args, out)
    except UsageError as exc:
        print(str(exc), file=err)
        log = logging.getLogger("depot_gui.cli.commands")
        if log.hasHandlers():  # once logging runs; before that the line above is the only record
            log.warning("%s", exc)
        return EXIT_USAGE
    except KeyboardInterrupt as exc:
        return stopped(exc, err)
    except BrokenPipeError:  # `depot-sync ... | head`: the reader left; not an error of ours
        try:
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silence the flush at exit
        except OSError:
            pass
        return EXIT_OK
    except Exception as exc:  # noqa: BLE001 - the last resort: one line, the details in the log
        print(last_resort(exc), file=err)
        return EXIT_USAGE


def _names_given(args: argparse.Namespace) -> None:
    """An empty or blank invoice name is a usage error: it never widens an action to "all"."""
    names = getattr(args, "numbers", None) or []
    if isinstance(names, str):
        names = [names]
    if any(not n.strip() for n in names):
        raise UsageError(
            f"depot-sync {args.command}: an invoice name is empty; name each invoice (a blank name never means all)"
        )


def _run(args: argparse.Namespace, out) -> int:
    from depot_gui.store.db import StoreError
    from depot_gui.sync.session.session import SessionError

    command = _BY_NAME[args.command]
    need = command.need(args)
    if need == NOTHING:
        return command.run(None, args, out)
    if command.check is not None:
        command.check(args)
    try:
        return _in_session(command, need == CONNECTIONS, args, out)
    except (SessionError, StoreError) as exc:
        raise UsageError(f"depot-sync: {exc}") from None


def _in_session(command: Command, need_connections: bool, args: argparse.Namespace, out) -> int:
    from depot_gui.sync.session.session import Session

    with Session.open(args.data_dir, args.sandbox, need_connections=need_connections) as session:
        for warning in session.store.warnings:  # a backup not taken: said every time, not only in the log
            print(f"depot-sync: warning: {warning}", file=sys.stderr)
        if command.guarded:
            return guarded(lambda: command.run(session, args, out))
        return command.run(session, args, out)


if __name__ == "__main__":
    sys.exit(main())
