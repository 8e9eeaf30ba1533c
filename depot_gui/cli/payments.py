"""`depot-sync payments [--json]`: the payments-back check for every synced invoice."""

from __future__ import annotations

import json
import sys
from typing import Any

from depot_gui.core.payments import FAILED, KEPT, READ_ONLY, WRITTEN, label

from depot_gui.cli.common import SESSION, Command

_WRITTEN = {WRITTEN: "written earlier", KEPT: "already set", READ_ONLY: "read-only", FAILED: "failed"}


def add_payments_parser(sub) -> None:
    pay = sub.add_parser(
        "payments",
        help="read every synced invoice's payment state from Xero; set Autotask's paid date when paid in full",
    )
    pay.add_argument("--json", action="store_true")
    pay.add_argument("--recheck-paid", action="store_true",
                     help="read invoices found paid at an earlier check from Xero again (a payment removed later)")


def payments_command(session, args, out) -> int:
    """Run the check, print each invoice's payment state and what was written; exit 0."""
    report = session.payments(recheck_paid=args.recheck_paid).run()
    rows = [payment_json(c) for c in report.checks]
    if args.json:
        json.dump(rows, out, indent=1)
        out.write("\n")
        if not report.enabled:
            print(f"depot-sync: {report.summary()}", file=sys.stderr)
        return 0
    if rows:
        _table(rows, out, [c.credit for c in report.checks])
        print("", file=out)
    print(report.summary(), file=out)
    return 0


def payment_json(check) -> dict[str, Any]:
    """One invoice as ``payments --json`` prints it (money as 2-decimal strings)."""
    r = check.row
    return {
        "invoice_number": check.invoice_number,
        "autotask_id": r.autotask_id,
        "payment_state": r.state,
        "xero_invoice_id": r.xero_invoice_id,
        "xero_status": r.xero_status,
        "amount_paid": r.amount_paid,
        "amount_due": r.amount_due,
        "currency": check.currency or None,
        "xero_organisation": check.organisation or None,
        "due_date": r.due_date,
        "fully_paid_on": r.fully_paid_on,
        "autotask_paid_date": r.autotask_paid_date,
        "paid_date": r.written or None,
        "written_now": check.wrote_now,
        "message": r.message,
        "checked_at": r.checked_at,
    }


def _table(rows: list[dict[str, Any]], out, credits: list[bool]) -> None:
    heads = ("Invoice", "Payment", "Currency", "Paid", "Due", "Due date", "Autotask paid date", "Written")
    table = [
        [r["invoice_number"], "credit note" if credit else label(r["payment_state"]) or "unknown", r["currency"] or "",
         r["amount_paid"], r["amount_due"],
         r["due_date"] or "", r["autotask_paid_date"] or "",
         "paidDate " + str(r["autotask_paid_date"]) if r["written_now"] else _WRITTEN.get(r["paid_date"] or "", "-")]
        for r, credit in zip(rows, credits)
    ]
    widths = [max(len(h), *(len(t[i]) for t in table)) for i, h in enumerate(heads)]
    print("  ".join(h.ljust(w) for h, w in zip(heads, widths)).rstrip(), file=out)
    for t in table:
        print("  ".join(v.ljust(w) for v, w in zip(t, widths)).rstrip(), file=out)
    for r in rows:
        print(f"\n{r['invoice_number']}: {r['message']}", file=out)


PAYMENTS = Command("payments", add_payments_parser, payments_command, needs=SESSION, guarded=True)
