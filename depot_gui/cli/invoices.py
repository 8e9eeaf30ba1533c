"""`depot-sync audit`, `sync`, `link` and `status`: the contract's invoice commands and their output."""

from __future__ import annotations

import json
import sys
from typing import Any

from depot_gui.core.audit import AuditResult
from depot_gui.core.money import fmt2

from depot_gui.cli.common import EXIT_OK, EXIT_SYNC_FAILED, UsageError


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
        "currency": r.currency,
        "xero_organisation": r.organisation,
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
        syncer = session.syncer()
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
                "unchecked": list(r.unchecked), "currency": r.currency, "xero_organisation": r.organisation,
                "synced_at": r.synced_at, "voided_in_autotask": r.voided, "checked_at": r.audited_at,
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
