"""`depot-sync audit`, `sync`, `link` and `status`: the contract's invoice commands and their output."""

from __future__ import annotations

import json
import sys
from typing import Any

from depot_gui.core.audit import AuditResult
from depot_gui.core.money import fmt2

from depot_gui.cli.common import CONNECTIONS, EXIT_OK, EXIT_SYNC_FAILED, SESSION, Command, UsageError, date_arg, minutes_arg


def add_audit_parser(sub) -> None:
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


def add_sync_parser(sub) -> None:
    s = sub.add_parser("sync", help="re-audit each invoice from fresh data and create it in Xero when it matches")
    s.add_argument("numbers", nargs="+", metavar="INVOICE_NUMBER")
    s.add_argument("--json", action="store_true")
    s.add_argument("--replace-edits", action="store_true",
                   help="write Autotask's lines over a Xero draft that was edited in Xero since it was synced "
                        "(without it such a draft is left as it is, and the edits are named)")


def add_link_parser(sub) -> None:
    lk = sub.add_parser(
        "link", help="preview, then (with --yes) make a conflicting Xero document this invoice's own"
    )
    lk.add_argument("numbers", nargs=1, metavar="INVOICE_NUMBER")
    lk.add_argument("--yes", action="store_true", help="link after the preview (without it nothing is written)")


def add_status_parser(sub) -> None:
    st = sub.add_parser("status", help="the local view of every known invoice (no network)")
    st.add_argument("--json", action="store_true")


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
        "currency": r.currency or None,
        "xero_organisation": r.organisation,
        "warnings": list(r.warnings),
    }


def print_table(rows: list[dict[str, Any]], out) -> None:
    if not rows:
        print("No invoices.", file=out)
        return
    cols = ("invoice_number", "status", "currency", "autotask_total", "xero_total", "difference", "causes")
    heads = ("Invoice", "Status", "Currency", "Autotask", "Xero", "Difference", "Causes")
    table = [[", ".join(r[c]) if isinstance(r[c], list) else str(r[c]) for c in cols] for r in rows]
    widths = [max(len(h), *(len(t[i]) for t in table)) for i, h in enumerate(heads)]
    print("  ".join(h.ljust(w) for h, w in zip(heads, widths)).rstrip(), file=out)
    for t in table:
        print("  ".join(v.ljust(w) for v, w in zip(t, widths)).rstrip(), file=out)
    for r in rows:
        if r["status"] in ("mismatch", "conflict", "error") or r.get("rounding_line") not in (None, "0.00"):
            print(f"\n{r['invoice_number']}: {r['explanation']}", file=out)
        for warning in r.get("warnings") or ():
            print(f"{r['invoice_number']}: warning: {warning}", file=out)


def check_audit(args) -> None:
    """The audit's own options, checked before the data directory is opened (as `report` does)."""
    if args.since and args.until and args.since > args.until:
        raise UsageError(f"depot-sync audit: --since {args.since.isoformat()} is after --until {args.until.isoformat()}; "
                         "swap them")
    if args.every is not None and not args.wait_pending:
        raise UsageError("depot-sync audit: --every goes with --wait-pending (the minutes between its checks); "
                         "add --wait-pending or leave --every out")


def audit_or_sync_command(session, args, out) -> int:
    if args.command == "audit":
        auditor = session.auditor()
        results = auditor.audit(args.numbers or None, since=args.since, until=args.until)
        if args.wait_pending:
            from depot_gui.sync.invoices.pending import wait_pending

            say = lambda text: print(f"depot-sync: {text}", file=sys.stderr, flush=True)  # noqa: E731
            every = args.every if args.every is not None else session.store.settings().fresh_minutes
            results = wait_pending(auditor, results, every, say)
        rows = [result_json(r) for r in results]
        code = EXIT_OK
    else:
        syncer = session.syncer(replace_edits=getattr(args, "replace_edits", False))
        outcomes = syncer.sync(args.numbers)
        for warning in syncer.warnings:
            print(f"depot-sync: {warning}", file=sys.stderr)
        rows = [result_json(o.result) for o in outcomes]
        code = EXIT_OK if outcomes and all(o.ok for o in outcomes) else EXIT_SYNC_FAILED
    emit(rows, args.json, out)
    return code


def link_command(session, args, out) -> int:
    """Show what linking would do; with --yes, do it (recorded in the invoice's history)."""
    from depot_gui.sync.invoices.link import Linker, LinkRefused

    linker = Linker(session.auditor())
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


def status_command(session, args, out) -> int:
    rows = []
    for r in session.store.invoices():
        rows.append(
            {
                "invoice_number": r.invoice_number, "autotask_id": r.autotask_id, "status": r.status,
                "autotask_total": r.autotask_total, "xero_total": r.xero_total, "difference": r.difference,
                "rounding_line": r.rounding_line, "causes": r.causes if r.status == "mismatch" else [],
                "explanation": r.explanation, "xero_invoice_id": r.xero_invoice_id,
                "unchecked": list(r.unchecked), "currency": r.currency or None, "xero_organisation": r.organisation,
                "warnings": list(r.warnings),
                "synced_at": r.synced_at, "voided_in_autotask": r.voided, "checked_at": r.audited_at,
                "sent_from_xero": r.sent_how or None, "online_invoice_url": r.online_url,
            }
        )
    emit(rows, args.json, out)
    return EXIT_OK


def emit(rows: list[dict[str, Any]], as_json: bool, out) -> None:
    """The rows as the contract's JSON array, or as a table with the explanations that matter."""
    if as_json:
        json.dump(rows, out, indent=1)
        out.write("\n")
    else:
        print_table(rows, out)



AUDIT = Command("audit", add_audit_parser, audit_or_sync_command, needs=CONNECTIONS, guarded=True, check=check_audit)
SYNC = Command("sync", add_sync_parser, audit_or_sync_command, needs=CONNECTIONS, guarded=True)
LINK = Command("link", add_link_parser, link_command, needs=CONNECTIONS, guarded=True)
STATUS = Command("status", add_status_parser, status_command, needs=SESSION)
