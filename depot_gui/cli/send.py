"""`depot-sync send INVOICE_NUMBER ... [--mark-sent] [--yes] [--json]`: send approved invoices from Xero.

With the ``send_from_xero`` setting ``email``, Xero emails each named invoice to its contact; with
``mark_sent`` (or ``--mark-sent``) Xero only records it as sent. Only approved (AUTHORISED) invoices
synced by Depot GUI are sent, never one Xero already shows as sent. The question names who each
invoice goes to, the count and the total per currency, and asks once; ``--yes`` sends without
asking. Without a terminal to ask in and without ``--yes`` nothing is read or sent (one line, exit 2).
Exit 0 when every named invoice is sent (now or before), 1 when one is not, 2 for bad usage.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from depot_gui.core.money import fmt2

from depot_gui.cli.common import EXIT_OK, EXIT_SYNC_FAILED, SESSION, Command, UsageError

RESULT_WORDS = {"emailed": "emailed", "marked_sent": "marked sent", "already_sent": "already sent",
                "not_sent": "not sent", "unknown": "unconfirmed"}


def add_send_parser(sub) -> None:
    s = sub.add_parser(
        "send", help="email approved invoices from Xero to their contacts (or only mark them sent), after asking")
    s.add_argument("numbers", nargs="+", metavar="INVOICE_NUMBER")
    s.add_argument("--mark-sent", action="store_true",
                   help="only mark the invoices as sent in Xero; no email (also what send_from_xero mark_sent does)")
    s.add_argument("--yes", action="store_true", help="send without asking (the recipients are still printed)")
    s.add_argument("--json", action="store_true")


def check_send(args) -> None:
    """Refuse before anything is opened when the question cannot be asked and --yes was not given."""
    if not args.yes and not _interactive():
        raise UsageError("depot-sync send: asks before sending, and there is no terminal to ask in: run it in a "
                         "terminal, or add --yes to send without asking")


def _interactive() -> bool:
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def send_command(session, args, out) -> int:
    from depot_gui.core.sending import EMAIL
    from depot_gui.sync.sending.plan import SendingOff, how_to_send
    from depot_gui.sync.sending.sender import summary

    try:
        how = how_to_send(session.store.settings(), args.mark_sent)
    except SendingOff as exc:
        raise UsageError(f"depot-sync send: {exc}") from None
    sender = session.sender()
    plan = sender.prepare(args.numbers, how)
    said = sys.stderr if args.json else out
    if not args.yes or not plan.question.count:
        print(plan.question.title, file=said)
    print(plan.question.details, file=said)
    if plan.question.count and not args.yes:
        print(f"{plan.question.button}? [y/N] ", end="", file=sys.stderr, flush=True)
        answer = sys.stdin.readline().strip().lower()
        if answer not in ("y", "yes"):
            print("Nothing was sent.", file=said)
            if args.json:
                json.dump([], out)
                out.write("\n")
            return EXIT_OK
    outcomes = sender.send(plan)
    rows = [outcome_json(o, how) for o in outcomes]
    if args.json:
        json.dump(rows, out, indent=1)
        out.write("\n")
        print(f"depot-sync: {summary(outcomes, how)}", file=sys.stderr)
    else:
        print("", file=out)
        _table(rows, out)
        print(summary(outcomes, how), file=out)
    if how == EMAIL:
        for line in plan.left_lines(sender.planner.emails_left):
            print(f"depot-sync: {line}" if args.json else line, file=sys.stderr if args.json else out)
    return EXIT_OK if all(o.ok for o in outcomes) else EXIT_SYNC_FAILED


def outcome_json(outcome, how: str) -> dict[str, Any]:
    """One named invoice as ``send --json`` prints it (money as a 2-decimal string)."""
    item = outcome.item
    return {
        "invoice_number": item.invoice_number,
        "autotask_id": item.autotask_id,
        "xero_invoice_id": item.xero_invoice_id or None,
        "how": how.lower(),
        "result": outcome.result,
        "sent": outcome.ok,
        "recipients": list(item.to),
        "currency": item.currency or None,  # an invoice not known here has no currency or total
        "total": fmt2(item.total) if item.autotask_id is not None else None,
        "message": outcome.message,
    }


def _table(rows: list[dict[str, Any]], out) -> None:
    heads = ("Invoice", "Result", "To")
    table = [[r["invoice_number"], RESULT_WORDS.get(r["result"], r["result"]),
              ", ".join(r["recipients"]) if r["result"] == "emailed" else ""] for r in rows]
    widths = [max(len(h), *(len(t[i]) for t in table)) for i, h in enumerate(heads)]
    print("  ".join(h.ljust(w) for h, w in zip(heads, widths)).rstrip(), file=out)
    for t in table:
        print("  ".join(v.ljust(w) for v, w in zip(t, widths)).rstrip(), file=out)
    for r in rows:
        if not r["sent"]:
            print(r["message"], file=out)


SEND = Command("send", add_send_parser, send_command, needs=SESSION, guarded=True, check=check_send)
