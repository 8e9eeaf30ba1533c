"""`depot-sync repair`: keep a damaged local database aside and rebuild the invoice states (no Xero write)."""

from __future__ import annotations

import sys

from depot_gui.cli.common import EXIT_OK, EXIT_SYNC_FAILED, EXIT_USAGE, NOTHING, Command, UsageError


def add_repair_parser(sub) -> None:
    sub.add_parser(
        "repair",
        help="keep a damaged local database aside and rebuild the invoice states from Autotask and Xero (no Xero write)",
    )


def repair_command(_session, args, out) -> int:
    """0 when rebuilt; when not, what was done on stdout, why not in one line on stderr, and 2 (not
    connected yet) or 1 (Autotask or Xero failed or refused)."""
    from depot_gui.sync.maintenance.repair import RepairError, repair

    try:
        report = repair(args.data_dir, args.sandbox)
    except RepairError as exc:
        raise UsageError(f"depot-sync: {exc}") from None
    if not report.not_rebuilt:
        for line in report.lines():
            print(line, file=out)
        return EXIT_OK
    for line in report.database_lines():  # what was done to the file; why the rest was not: one line, stderr
        print(line, file=out)
    print(f"depot-sync repair: {report.not_rebuilt_line()}", file=sys.stderr)
    return EXIT_USAGE if report.connection_missing else EXIT_SYNC_FAILED


REPAIR = Command("repair", add_repair_parser, repair_command, needs=NOTHING)
