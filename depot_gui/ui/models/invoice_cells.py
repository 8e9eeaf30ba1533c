"""The invoice table's columns: headers, the texts a row shows and the keys it sorts by.

Texts are made only for rows on screen (the model caches them); sort keys are plain floats,
strings and ints, never Decimal, made for every row of a column at once (invoice_index.py keeps them).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation
from enum import IntEnum
from itertools import repeat
from operator import add, attrgetter
from typing import Any

from depot_gui.core.money import fmt_money
from depot_gui.core.payments import LABELS as PAYMENT_LABELS, label as payment_label
from depot_gui.store.db import InvoiceRow

from depot_gui.ui.contacts.text import row_status_text
from depot_gui.ui.resources import STATUS_TEXT, local_time


class Col(IntEnum):
    NUMBER = 0
    COMPANY = 1
    DATE = 2
    AUTOTASK_TOTAL = 3
    XERO_TOTAL = 4
    DIFFERENCE = 5
    STATUS = 6
    SYNCED_AT = 7
    PAYMENT = 8
    CURRENCY = 9
    ORGANISATION = 10
    SENT = 11


HEADERS = {
    Col.NUMBER: "Invoice",
    Col.COMPANY: "Company",
    Col.DATE: "Date",
    Col.AUTOTASK_TOTAL: "Autotask\ntotal",
    Col.XERO_TOTAL: "Xero\ntotal",
    Col.DIFFERENCE: "Difference",
    Col.STATUS: "Status",
    Col.SYNCED_AT: "Synced",
    Col.PAYMENT: "Payment",
    Col.CURRENCY: "Currency",
    Col.ORGANISATION: "Xero\norganisation",
    Col.SENT: "Sent",
}
MONEY_COLS = (Col.AUTOTASK_TOTAL, Col.XERO_TOTAL, Col.DIFFERENCE)
HEADER_TIPS = {
    Col.AUTOTASK_TOTAL: "The invoice total in Autotask, tax included.",
    Col.XERO_TOTAL: "The total Xero will hold: the lines with Xero's rounding, plus the rounding line when one "
                    "is added (marked *; the detail pane shows it).",
    Col.DIFFERENCE: "Autotask total minus what Xero's rounding alone gives. Above the maximum rounding difference "
                    "the invoice is not synced; within it, a rounding line makes Xero equal Autotask to the cent.",
    Col.SYNCED_AT: "When Depot GUI put the invoice into Xero.",
    Col.CURRENCY: "The currency of the invoice's amounts: its Autotask company's currency. It goes to Xero in "
                  "that currency, never converted.",
    Col.ORGANISATION: "The Xero organisation the invoice goes (or went) to.",
    Col.SENT: "Sent from Xero: emailed by Xero or marked as sent (Send from Xero…); Not sent: in Xero, not sent "
              "from Xero yet; —: not in Xero, or a credit note (only invoices are sent from Xero).",
    Col.PAYMENT: "Payment state in Xero at the last payments check (File › Check payments): paid, part paid, "
                 "overdue (due date past, money still due) or unpaid.",
}
# Sent column order (ascending): not sent first, then sent, then not in Xero.
_SENT_RANK = {"Not sent": 0, "Sent": 1, "—": 2}
# Payment column order: the ones needing attention first when sorted ascending.
_PAYMENT_RANK = {"overdue": 0, "part_paid": 1, "unpaid": 2, "paid": 3}


def _dec(text: str) -> Decimal:
    try:
        return Decimal(text)
    except (InvalidOperation, TypeError):
        return Decimal(0)


def later_texts(widest_digit: str) -> dict[int, tuple[str, ...]]:
    """The texts a column shows only after a sync, a send or a payments check: the columns are fitted once,
    on the first rows, when every invoice may still show "—" ("2026-12…" after the sync otherwise)."""
    d = widest_digit
    return {Col.SYNCED_AT: (f"{d * 4}-{d * 2}-{d * 2} {d * 2}:{d * 2}",),  # local_time's 'YYYY-MM-DD HH:MM'
            Col.PAYMENT: tuple(PAYMENT_LABELS.values()), Col.SENT: tuple(_SENT_RANK),
            Col.STATUS: tuple(STATUS_TEXT.values())}  # "Synced" after a sync of rows all Ready ("Syn…" before)


def sent_text(row: InvoiceRow) -> str:
    """"Sent" (emailed or marked as sent in Xero), "Not sent" (in Xero, not sent yet) or "—" (not in Xero, or a
    credit note: only invoices are sent from Xero)."""
    if row.sent_how:
        return "Sent"
    return "Not sent" if row.status == "synced" and not row.voided and _dec(row.autotask_total) >= 0 else "—"


def display_texts(row: InvoiceRow) -> tuple[str, ...]:
    """What each column shows for ``row`` (money with thousands separators, a '*' for a rounding line)."""
    rounding = _dec(row.rounding_line)
    money = [fmt_money(_dec(row.autotask_total)), fmt_money(_dec(row.xero_total) + rounding),
             fmt_money(_dec(row.difference))]
    if rounding:
        money[1] += " *"  # includes a rounding line (header tip, detail pane)
    return (
        row.invoice_number,
        row.company,
        row.invoice_date or "",
        *money,
        # "Choose contact" for an invoice waiting for its contact; ⚠ when the mapping warned (tooltip says what)
        row_status_text(row) + (" ⚠" if row.warnings else ""),
        local_time(row.synced_at) or "—",
        payment_label(row.payment_state),
        row.currency,
        row.organisation,
        sent_text(row),
    )


def _money(text: str | None) -> float:
    """A stored amount ("1633.50") as a float: exact enough to order cents, and far cheaper than Decimal."""
    try:
        return float(text or 0)
    except ValueError:
        return 0.0


def _floats(texts: Iterable[str | None]) -> list[float]:
    texts = list(texts)
    try:
        return list(map(float, texts))  # C speed for the usual case: every amount a number
    except (TypeError, ValueError):
        return [_money(t) for t in texts]


def _folded(names: Iterable[str]) -> list[str]:
    """Each name casefolded, one string per distinct name (a company has many invoices)."""
    names = list(names)
    folded = {name: name.casefold() for name in set(names)}
    return list(map(folded.__getitem__, names))


def _repeated_floats(texts: Iterable[str | None]) -> list[float]:
    """Amounts most of which repeat (a difference or a rounding line is mostly 0.00): each distinct
    text parsed once (at 100k rows, a tenth of parsing each)."""
    texts = list(texts)
    parsed = dict(zip(distinct := list(set(texts)), _floats(distinct)))
    return list(map(parsed.__getitem__, texts))


def _with_rounding(totals: list[float], rounding: list[float]) -> list[float]:
    """Each total plus its rounding line, to the cent (the totals themselves when no row has one)."""
    if not any(rounding):
        return totals
    return list(map(round, map(add, totals, rounding), repeat(2, len(totals))))


_get = attrgetter
_KEYS: dict[int, Callable[[list[InvoiceRow]], list[Any]]] = {
    Col.NUMBER: lambda rows: list(map(_get("invoice_number"), rows)),
    Col.COMPANY: lambda rows: _folded(map(_get("company"), rows)),
    Col.DATE: lambda rows: [r.invoice_date or "" for r in rows],
    Col.AUTOTASK_TOTAL: lambda rows: _floats(map(_get("autotask_total"), rows)),
    Col.XERO_TOTAL: lambda rows: _with_rounding(_floats(map(_get("xero_total"), rows)),
                                                _repeated_floats(map(_get("rounding_line"), rows))),
    Col.DIFFERENCE: lambda rows: _repeated_floats(map(_get("difference"), rows)),
    Col.STATUS: lambda rows: list(map(_get("status"), rows)),
    Col.SYNCED_AT: lambda rows: [r.synced_at or "" for r in rows],
    Col.PAYMENT: lambda rows: [_PAYMENT_RANK.get(r.payment_state or "", 4) for r in rows],
    Col.CURRENCY: lambda rows: list(map(_get("currency"), rows)),
    Col.ORGANISATION: lambda rows: _folded(map(_get("organisation"), rows)),
    Col.SENT: lambda rows: [_SENT_RANK[sent_text(r)] for r in rows],
}


def sort_keys(column: int, rows: list[InvoiceRow]) -> list[Any]:
    """The sort key of each row for ``column``: floats for money, casefolded company, ISO strings, ranks."""
    return _KEYS[column](rows)


def sort_key(column: int, row: InvoiceRow) -> Any:
    return _KEYS[column]([row])[0]
