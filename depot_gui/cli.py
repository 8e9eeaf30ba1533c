"""`depot-sync`: the headless twin of Depot GUI (contract: shared/specs/cli.md)."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Sequence
from datetime import date
from typing import Any

from depot_gui import __version__
from depot_gui.core.audit import AuditResult
from depot_gui.core.money import fmt2
from depot_gui.core.settings import SPECS, SettingError

from .cli_contacts import add_contacts_parser
from .cli_cache import add_cache_parser
from .cli_tracking import add_tracking_parser

EXIT_OK, EXIT_SYNC_FAILED, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """Bad usage, bad scenario or missing connection: one line on stderr, exit 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one clear line, not usage + traceback
        raise UsageError(f"{self.prog}: {message} (see {self.prog.split()[0]} --help)")


def _whole(text: str, low: int, high: int, what: str) -> int:
    """A whole number from ``low`` to ``high``, or argparse's one-line error naming ``what``."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not {what}") from None
    if not low <= value <= high:
        raise argparse.ArgumentTypeError(f"{value} is not {what}")
    return value


def _port(text: str) -> int:
    """A TCP port number: 0 (any free port) to 65535."""
    return _whole(text, 0, 65535, "a port number; use 0-65535 (0 = any free port)")


def _folder(text: str) -> str:
    """A data directory: never empty (an empty one must not mean the real default)."""
    if not text.strip():
        raise argparse.ArgumentTypeError("must not be empty; give a folder, or leave --data-dir out for the standard one")
    return text


def _minutes_arg(text: str) -> int:
    return _whole(text, 0, 1440, "a whole number of minutes from 0 to 1440")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="depot-sync", description="Audit and sync Autotask invoices into Xero without the window.")
    p.add_argument("--version", action="version", version=f"depot-sync {__version__}")
    p.add_argument("--data-dir", type=_folder, help="where the local database, settings and logs live")
    p.add_argument("--sandbox", metavar="SCENARIO.json", help="use the built-in sandbox loaded from this scenario")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

    a = sub.add_parser("audit", help="download, compare totals, diagnose; writes nothing to Xero")
    a.add_argument("numbers", nargs="*", metavar="INVOICE_NUMBER")
    a.add_argument("--json", action="store_true")
    a.add_argument("--wait-pending", action="store_true",
                   help="check invoices Autotask is still attaching items to again after each attach window "
                        "(the fresh_minutes setting) until they are complete; never syncs")
    a.add_argument("--every", type=_minutes_arg, metavar="MINUTES",
                   help="with --wait-pending: minutes between checks (default: the fresh_minutes setting)")
    a.add_argument("--since", type=_date_arg, metavar="YYYY-MM-DD",
                   help="audit unsynced invoices dated from this day (default: the audit_months setting)")
    a.add_argument("--until", type=_date_arg, metavar="YYYY-MM-DD", help="... up to and including this day")

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
    se_sub = se.add_subparsers(dest="settings_command", required=True, parser_class=_Parser)
    se_sub.add_parser("show")
    ss = se_sub.add_parser("set")
    ss.add_argument("key", choices=sorted(SPECS))
    ss.add_argument("value")

    sb = sub.add_parser("sandbox", help="the built-in Autotask + Xero simulator")
    sb_sub = sb.add_subparsers(dest="sandbox_command", required=True, parser_class=_Parser)
    serve = sb_sub.add_parser("serve", help="serve the sandbox over HTTP on loopback until interrupted")
    serve.add_argument("--scenario", required=True)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=_port, default=0)
    sb_sub.add_parser("state", help="print the sandbox state as JSON (needs --sandbox)")

    sub.add_parser(
        "repair",
        help="keep a damaged local database aside and rebuild the invoice states from Autotask and Xero (no Xero write)",
    )

    r = sub.add_parser("report", help="the accountant's files from the local records (no network): CSV and/or month-end PDF")
    r.add_argument("--since", type=_date_arg, required=True, metavar="YYYY-MM-DD", help="first invoice date")
    r.add_argument("--until", type=_date_arg, metavar="YYYY-MM-DD", help="last invoice date (default: no end)")
    r.add_argument("--csv", metavar="FILE", help="one row per invoice; the line-by-line CSV goes beside it (FILE-lines.csv)")
    r.add_argument("--lines-csv", metavar="FILE", help="where the line-by-line CSV goes instead")
    r.add_argument("--pdf", metavar="FILE", help="the printable month-end report")

    c = sub.add_parser("connect", help="set up the Autotask or Xero connection without the window")
    c.add_argument("service", choices=["autotask", "xero"])
    c.add_argument("--username")
    c.add_argument("--integration-code")
    c.add_argument("--client-id")
    c.add_argument("--port", type=_port, default=None,
                   help="callback port of the redirect URI registered for the Xero app (default 8765; 0 = any free port)")
    return p


def result_json(r: AuditResult) -> dict[str, Any]:
    """One invoice as the contract's --json object (money as 2-decimal strings)."""
    return {
        "invoice_number": r.invoice_number,
        "autotask_id": int(r.autotask_id),
        "status": r.status,
        "autotask_total": fmt2(r.autotask_total),
        "xero_total": fmt2(r.xero_total),
        "difference": fmt2(r.difference),
        "rounding_line": fmt2(r.rounding_line),
        "causes": r.cause_codes if r.status == "mismatch" else [],
        "explanation": r.explanation,
        "xero_invoice_id": r.xero_invoice_id or None,
        "unchecked": list(r.unchecked),
    }


def _print_table(rows: list[dict[str, Any]], out) -> None:
    if not rows:
        print("No invoices.", file=out)
        return
    cols = ("invoice_number", "status", "autotask_total", "xero_total", "difference", "causes")
    heads = ("Invoice", "Status", "Autotask", "Xero", "Difference", "Causes")
    table = [[", ".join(r[c]) if isinstance(r[c], list) else str(r[c]) for c in cols] for r in rows]
    widths = [max(len(h), *(len(t[i]) for t in table)) for i, h in enumerate(heads)]
    print("  ".join(h.ljust(w) for h, w in zip(heads, widths)).rstrip(), file=out)
    for t in table:
        print("  ".join(v.ljust(w) for v, w in zip(t, widths)).rstrip(), file=out)
    for r in rows:
        if r["status"] in ("mismatch", "conflict", "error") or r.get("rounding_line") not in (None, "0.00"):
            print(f"\n{r['invoice_number']}: {r['explanation']}", file=out)


def _date_arg(text: str) -> date:
    """A --since/--until day (YYYY-MM-DD)."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-11-01") from None


def main(argv: Sequence[str] | None = None) -> int:
    out, err = sys.stdout, sys.stderr
    logging.raiseExceptions = False  # a record that cannot be written is dropped, never a "Logging error" on stderr
    try:
        args = build_parser().parse_args(argv)
        _names_given(args)
        return _run(args, out)
    except UsageError as exc:
        print(str(exc), file=err)
        log = logging.getLogger("depot_gui.cli")
        if log.hasHandlers():  # once logging runs; before that the line above is the only record
            log.warning("%s", exc)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("depot-sync: interrupted", file=err)
        return 130
    except BrokenPipeError:  # `depot-sync ... | head`: the reader left; not an error of ours
        try:
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silence the flush at exit
        except OSError:
            pass
        return EXIT_OK
    except Exception as exc:  # noqa: BLE001 - the last resort: one line, the details in the log
        logging.getLogger("depot_gui.cli").error("unexpected error", exc_info=True)
        print(f"depot-sync: unexpected error ({type(exc).__name__}); nothing more was done. "
              "The log file in the data directory has the details.", file=err)
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
    from depot_gui.sync.session import SessionError

    if args.command == "sandbox" and args.sandbox_command == "serve":
        return _serve(args, out)
    if args.command == "repair":
        return _repair(args, out)
    if args.command == "report":
        _check_report(args)
    try:
        return _in_session(args, out)
    except (SessionError, StoreError) as exc:
        raise UsageError(f"depot-sync: {exc}") from None


def _in_session(args: argparse.Namespace, out) -> int:
    from depot_gui.sync.session import Session

    session = Session.open(args.data_dir, args.sandbox, need_connections=args.command in ("audit", "sync", "link"))
    with session:
        if args.command == "settings":
            return _settings(session, args, out)
        if args.command == "status":
            return _status(session, args, out)
        if args.command == "sandbox":
            if session.sandbox is None:
                raise UsageError("depot-sync: `sandbox state` needs --sandbox SCENARIO.json")
            from depot_gui.core.wire import dumps

            out.write(dumps(session.sandbox.state()) + "\n")  # money stays JSON numbers, as on the wire
            return EXIT_OK
        if args.command == "connect":
            return _connect(session, args, out)
        if args.command == "report":
            return _report(session, args, out)
        if args.command == "link":
            return _guarded(lambda: _link(session, args, out))
        if args.command == "payments":
            from .cli_payments import payments_command

            return _guarded(lambda: payments_command(session, args.json, out, args.recheck_paid))
        if args.command == "contacts":
            from .cli_contacts import contacts_command

            return _guarded(lambda: contacts_command(session, args, out))
        if args.command == "cache":
            from .cli_cache import cache_command

            return _guarded(lambda: cache_command(session, args, out))
        if args.command == "tracking":
            from .cli_tracking import tracking_command

            return _guarded(lambda: tracking_command(session, args, out))
        return _guarded(lambda: _audit_or_sync(session, args, out))


def _audit_or_sync(session, args, out) -> int:
    if args.command == "audit":
        engine = session.engine()
        results = engine.audit(args.numbers or None, since=args.since, until=args.until)
        if args.wait_pending:
            from depot_gui.sync.pending import wait_pending

            say = lambda text: print(f"depot-sync: {text}", file=sys.stderr, flush=True)  # noqa: E731
            every = args.every if args.every is not None else session.store.settings().fresh_minutes
            results = wait_pending(engine, results, every, say)
        rows = [result_json(r) for r in results]
        code = EXIT_OK
    else:
        syncer = session.syncer()
        outcomes = syncer.sync(args.numbers)
        for warning in syncer.warnings:
            print(f"depot-sync: {warning}", file=sys.stderr)
        rows = [result_json(o.result) for o in outcomes]
        code = EXIT_OK if outcomes and all(o.ok for o in outcomes) else EXIT_SYNC_FAILED
    _emit(rows, args.json, out)
    return code


def _guarded(run) -> int:
    """Run a command that talks to the services; their failures become one line, exit 2."""
    from depot_gui.autotask.errors import AutotaskError
    from depot_gui.store.db import StoreError
    from depot_gui.sync.engine import Cancelled, NothingNamed
    from depot_gui.sync.session import SessionError
    from depot_gui.xero.errors import XeroError

    try:
        return run()
    except (AutotaskError, XeroError) as exc:
        raise UsageError(f"depot-sync: {exc.user_message}") from None
    except (SessionError, StoreError, Cancelled, NothingNamed) as exc:
        raise UsageError(f"depot-sync: {exc}") from None


def _link(session, args, out) -> int:
    """Show what linking would do; with --yes, do it (recorded in the invoice's history)."""
    from depot_gui.sync.link import Linker, LinkRefused

    linker = Linker(session.engine())
    try:
        preview = linker.preview(args.numbers[0])
        print(preview.text, file=out)
        if not args.yes:
            print("Nothing was written. To link, run the same command again with --yes.", file=out)
            return EXIT_OK
        result = linker.link(preview)
    except LinkRefused as exc:
        print(f"depot-sync link: {exc}", file=sys.stderr)
        return EXIT_SYNC_FAILED
    print(result.explanation, file=out)
    return EXIT_OK


def _settings(session, args, out) -> int:
    if args.settings_command == "set":
        try:
            session.set_setting(args.key, args.value)
        except SettingError as exc:
            raise UsageError(f"depot-sync: {args.key}: {exc}") from None
    for key, value in session.store.settings().shown().items():
        print(f"{key} = {value}", file=out)
    return EXIT_OK


def _status(session, args, out) -> int:
    rows = []
    for r in session.store.invoices():
        rows.append(
            {
                "invoice_number": r.invoice_number, "autotask_id": r.autotask_id, "status": r.status,
                "autotask_total": r.autotask_total, "xero_total": r.xero_total, "difference": r.difference,
                "rounding_line": r.rounding_line, "causes": r.causes if r.status == "mismatch" else [],
                "explanation": r.explanation, "xero_invoice_id": r.xero_invoice_id,
                "unchecked": list(r.unchecked),
                "synced_at": r.synced_at, "voided_in_autotask": r.voided, "checked_at": r.audited_at,
            }
        )
    _emit(rows, args.json, out)
    return EXIT_OK


def _emit(rows: list[dict[str, Any]], as_json: bool, out) -> None:
    """The rows as the contract's JSON array, or as a table with the explanations that matter."""
    if as_json:
        json.dump(rows, out, indent=1)
        out.write("\n")
    else:
        _print_table(rows, out)


def _repair(args, out) -> int:
    from depot_gui.sync.repair import RepairError, repair

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


def _check_report(args) -> None:
    from depot_gui.sync.report_files import ReportFileError, check_request

    try:
        check_request(args.since, args.until, args.csv, args.lines_csv, args.pdf)
    except ReportFileError as exc:
        raise UsageError(f"depot-sync report: {exc}") from None


def _report(session, args, out) -> int:
    from depot_gui.sync.report_files import ReportFileError, period_reports

    pdf_writer = None
    if args.pdf:
        from depot_gui.ui.report_pdf import write_pdf  # the one UI module the CLI loads: Qt printing

        pdf_writer = write_pdf
    try:
        written = period_reports(session.store, args.since, args.until, csv=args.csv, lines_csv=args.lines_csv,
                                 pdf=args.pdf, pdf_writer=pdf_writer)
    except ReportFileError as exc:
        raise UsageError(f"depot-sync report: {exc}") from None
    for w in written:
        print(w.line(), file=out)
    return EXIT_OK


def _connect(session, args, out) -> int:
    from depot_gui.sync.setup import connect_cli

    return connect_cli(session, args, out)


def _serve(args, out) -> int:
    from depot_gui.sandbox import ScenarioError, StateDamaged, serve_forever
    from depot_gui.store.paths import paths_for

    try:
        state_dir = paths_for(args.data_dir).ensure().sandbox_state if args.data_dir else None
        serve_forever(args.scenario, host=args.host, port=args.port, state_dir=state_dir, out=out)
    except (ScenarioError, StateDamaged) as exc:
        raise UsageError(f"depot-sync: {exc}") from None
    except OSError as exc:
        raise UsageError(f"depot-sync: cannot serve on {args.host}:{args.port}: {exc.strerror or exc}") from None
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
