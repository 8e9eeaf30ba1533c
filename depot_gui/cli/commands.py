"""`depot-sync`: the headless twin of Depot GUI (contract: shared/specs/cli.md)."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence

from depot_gui import __version__
from depot_gui.core.settings import SPECS, SettingError

from depot_gui.cli.cache import add_cache_parser
from depot_gui.cli.common import EXIT_OK, EXIT_SYNC_FAILED, EXIT_USAGE, Parser, UsageError, date_arg, folder_arg, guarded, last_resort, minutes_arg, sigterm_as_interrupt, stopped
from depot_gui.cli.connect import add_connect_parser, connect_command
from depot_gui.cli.contacts import add_contacts_parser
from depot_gui.cli.invoices import audit_or_sync_command, check_audit, link_command, result_json, status_command
from depot_gui.cli.report import add_report_parser, check_report, report_command
from depot_gui.cli.repair import add_repair_parser, repair_command
from depot_gui.cli.sandbox import add_sandbox_parser, serve_command, state_command
from depot_gui.cli.tracking import add_tracking_parser

__all__ = ["EXIT_OK", "EXIT_SYNC_FAILED", "EXIT_USAGE", "UsageError", "build_parser", "main", "result_json"]


def build_parser() -> argparse.ArgumentParser:
    p = Parser(prog="depot-sync", description="Audit and sync Autotask invoices into Xero without the window.")
    p.add_argument("--version", action="version", version=f"depot-sync {__version__}")
    p.add_argument("--data-dir", type=folder_arg, help="where the local database, settings and logs live")
    p.add_argument("--sandbox", metavar="SCENARIO.json", help="use the built-in sandbox loaded from this scenario")
    sub = p.add_subparsers(dest="command", required=True, parser_class=Parser)

    a = sub.add_parser("audit", help="download, compare totals, diagnose; writes nothing to Xero")
    a.add_argument("numbers", nargs="*", metavar="INVOICE_NUMBER")
    a.add_argument("--json", action="store_true")
    a.add_argument("--wait-pending", action="store_true",
                   help="check invoices Autotask is still attaching items to again after each attach window "
                        "(the fresh_minutes setting) until they are complete; never syncs")
    a.add_argument("--every", type=minutes_arg, metavar="MINUTES",
                   help="with --wait-pending: minutes between checks (default: the fresh_minutes setting)")
    a.add_argument("--since", type=date_arg, metavar="YYYY-MM-DD",
                   help="audit unsynced invoices dated from this day (default: the audit_months setting)")
    a.add_argument("--until", type=date_arg, metavar="YYYY-MM-DD", help="... up to and including this day")

    s = sub.add_parser("sync", help="re-audit each invoice from fresh data and create it in Xero when it matches")
    s.add_argument("numbers", nargs="+", metavar="INVOICE_NUMBER")
    s.add_argument("--json", action="store_true")

    lk = sub.add_parser(
        "link", help="preview, then (with --yes) make a conflicting Xero document this invoice's own"
    )
    lk.add_argument("numbers", nargs=1, metavar="INVOICE_NUMBER")
    lk.add_argument("--yes", action="store_true", help="link after the preview (without it nothing is written)")

    st = sub.add_parser("status", help="the local view of every known invoice (no network)")
    st.add_argument("--json", action="store_true")

    pay = sub.add_parser(
        "payments",
        help="read every synced invoice's payment state from Xero; set Autotask's paid date when paid in full",
    )
    pay.add_argument("--json", action="store_true")
    pay.add_argument("--recheck-paid", action="store_true",
                     help="read invoices found paid at an earlier check from Xero again (a payment removed later)")

    add_tracking_parser(sub)
    add_cache_parser(sub)
    add_contacts_parser(sub)

    se = sub.add_parser("settings", help="show or change settings")
    se_sub = se.add_subparsers(dest="settings_command", required=True, parser_class=Parser)
    se_sub.add_parser("show")
    ss = se_sub.add_parser("set")
    ss.add_argument("key", choices=sorted(SPECS))
    ss.add_argument("value")

    add_sandbox_parser(sub)
    add_repair_parser(sub)
    add_report_parser(sub)
    add_connect_parser(sub)
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

    if args.command == "sandbox" and args.sandbox_command == "serve":
        return serve_command(args, out)
    if args.command == "repair":
        return repair_command(args, out)
    if args.command == "report":
        check_report(args)
    if args.command == "audit":
        check_audit(args)
    try:
        return _in_session(args, out)
    except (SessionError, StoreError) as exc:
        raise UsageError(f"depot-sync: {exc}") from None


def _in_session(args: argparse.Namespace, out) -> int:
    from depot_gui.sync.session.session import Session

    session = Session.open(args.data_dir, args.sandbox, need_connections=args.command in ("audit", "sync", "link"))
    with session:
        for warning in session.store.warnings:  # a backup not taken: said every time, not only in the log
            print(f"depot-sync: warning: {warning}", file=sys.stderr)
        if args.command == "settings":
            return _settings(session, args, out)
        if args.command == "status":
            return status_command(session, args, out)
        if args.command == "sandbox":
            return state_command(session, out)
        if args.command == "connect":
            return connect_command(session, args, out)
        if args.command == "report":
            return report_command(session, args, out, _pdf_writer() if args.pdf else None)
        if args.command == "link":
            return guarded(lambda: link_command(session, args, out))
        if args.command == "payments":
            from depot_gui.cli.payments import payments_command

            return guarded(lambda: payments_command(session, args.json, out, args.recheck_paid))
        if args.command == "contacts":
            from depot_gui.cli.contacts import contacts_command

            return guarded(lambda: contacts_command(session, args, out))
        if args.command == "cache":
            from depot_gui.cli.cache import cache_command

            return guarded(lambda: cache_command(session, args, out))
        if args.command == "tracking":
            from depot_gui.cli.tracking import tracking_command

            return guarded(lambda: tracking_command(session, args, out))
        return guarded(lambda: audit_or_sync_command(session, args, out))


def _pdf_writer():
    from depot_gui.ui.reports.pdf import write_pdf  # the one UI module the CLI loads (lazily): Qt printing

    return write_pdf


def _settings(session, args, out) -> int:
    if args.settings_command == "set":
        try:
            session.set_setting(args.key, args.value)
        except SettingError as exc:
            raise UsageError(f"depot-sync: {args.key}: {exc}") from None
    for key, value in session.store.settings().shown().items():
        print(f"{key} = {value}", file=out)
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
