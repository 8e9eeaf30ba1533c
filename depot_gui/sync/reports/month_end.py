"""The accountant's reports as plain data: invoice rows, line-by-line rows, the month-end report.

No Qt and no network: everything comes from the local store (the last audit of each invoice).
``report_csv`` writes the CSV files, ``depot_gui.ui.reports.pdf`` renders the month-end PDF.
Money stays as the store keeps it: exact 2-decimal strings, never floats.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from depot_gui.core.contacts import CHOOSE_LABEL, waits_for_choice
from depot_gui.core.diagnosis import TITLES
from depot_gui.core.money import fmt2
from depot_gui.core.payments import LABELS as PAYMENT_LABELS
from depot_gui.store.db import InvoiceRow, Store

# Every status a row can have, in the report's order (conflict: issue 9; counted 0 until it occurs).
STATUS_ORDER = ("ready", "synced", "mismatch", "conflict", "error")
STATUS_LABEL = {"ready": "Ready", "synced": "Synced", "mismatch": "Mismatch", "conflict": "Conflict", "error": "Error"}
ATTENTION = ("mismatch", "conflict", "error")  # listed one by one with what stands in the way
CHECK_LABEL = {"lob_access": "whether the API user sees every line of business"}
NO_PAYMENT_STATE = "—"  # no payment state read yet (or the Xero document no longer asks for money)
Tick = Callable[[int, int], None]  # (done, total) after each invoice; may raise Cancelled to stop


def status_label(status: str) -> str:
    return STATUS_LABEL.get(status, status.capitalize())


def invoice_label(i: "ReportInvoice") -> str:
    """The invoice's status as the window says it ("Choose contact" for one that waits for a contact)."""
    return CHOOSE_LABEL if waits_for_choice(i.status, i.explanation) else status_label(i.status)


def payment_state(row: InvoiceRow) -> str:
    """The invoice's Xero payment state as last read (Paid, Part paid, Overdue, Unpaid), else "—"."""
    return PAYMENT_LABELS.get(row.payment_state, row.payment_state) if row.payment_state else NO_PAYMENT_STATE


def _dec(text: str | None) -> Decimal:
    try:
        return Decimal(text or "0")
    except InvalidOperation:
        return Decimal(0)


@dataclass(frozen=True)
class CauseLine:
    code: str
    title: str
    amount: str  # the part of the difference this cause explains, 2 decimals


@dataclass(frozen=True)
class ReportInvoice:
    """One invoice as every report shows it (texts and 2-decimal money strings)."""

    number: str
    autotask_id: int
    company: str
    invoice_date: str
    status: str
    autotask_total: str
    xero_total: str  # what Xero holds (or will hold): the lines plus any rounding line
    rounding_line: str
    difference: str  # Autotask total minus the Xero lines before any rounding line
    causes: tuple[CauseLine, ...]
    verdict: str  # the explanation's first line
    explanation: str
    unchecked: tuple[str, ...]
    xero_number: str  # the number the Xero invoice carries (synced only)
    xero_invoice_id: str
    synced_at: str
    payment: str
    voided_in_autotask: bool
    currency: str = ""  # ISO code of every amount above
    organisation: str = ""  # the Xero organisation it goes (or went) to
    warnings: tuple[str, ...] = ()  # the last audit's mapping warnings


@dataclass(frozen=True)
class LineRow:
    """One billing item beside its Xero line (money 2 decimals; quantities and rates as kept)."""

    invoice_number: str
    item_id: str
    line: str
    at_quantity: str
    at_rate: str
    at_amount: str
    at_tax: str
    xero_quantity: str
    xero_unit: str
    xero_amount: str
    xero_tax: str
    difference: str  # (Autotask amount + tax) - (Xero amount + tax); empty when one side is missing
    note: str
    currency: str = ""  # ISO code of every amount on the line (its invoice's currency)


Totals = tuple[tuple[str, str], ...]  # (currency, 2-decimal total) per currency: never summed across currencies


def per_currency(rows: Sequence[InvoiceRow]) -> Totals:
    """The rows' Autotask totals, one per currency (alphabetical; "" for rows audited before currencies)."""
    sums: dict[str, Decimal] = {}
    for r in rows:
        sums[r.currency] = sums.get(r.currency, Decimal(0)) + _dec(r.autotask_total)
    return tuple((c, fmt2(sums[c])) for c in sorted(sums))


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    invoices: int
    totals: Totals  # the Autotask totals of these invoices, per currency


@dataclass(frozen=True)
class MonthEndReport:
    since: date | None
    until: date | None
    generated_at: str
    tolerance: str
    counts: tuple[StatusCount, ...]
    total_invoices: int
    totals: Totals  # every invoice's Autotask total, per currency
    attention: tuple[ReportInvoice, ...]  # mismatches, conflicts, errors
    synced: tuple[ReportInvoice, ...]
    ready: tuple[ReportInvoice, ...]
    undated: int  # invoices left out because they carry no invoice date
    currencies: tuple[str, ...] = ()  # the invoices' currencies (every invoice known here when the period has none)


def in_period(row: InvoiceRow, since: date | None, until: date | None) -> bool:
    """Whether the row's invoice date lies in [since, until]; without a date it is in no period."""
    if since is None and until is None:
        return True
    day = row.invoice_date or ""
    if not day:
        return False
    return (since is None or day[:10] >= since.isoformat()) and (until is None or day[:10] <= until.isoformat())


def report_invoice(store: Store, row: InvoiceRow) -> ReportInvoice:
    """The row plus what its last audit found (causes with amounts, the number sent to Xero)."""
    result = store.last_result(row.autotask_id)
    causes = ()
    xero_number = ""
    if result is not None:
        causes = tuple(CauseLine(c.code, TITLES.get(c.code, c.code), fmt2(c.amount)) for c in result.causes)
        if row.status == "synced":
            xero_number = result.draft.invoice_number if result.draft else row.invoice_number
    if row.status == "synced":  # the number the document carries, as recorded when it was written or found
        recorded = store.finishing.get(row.autotask_id)
        xero_number = (recorded.xero_number if recorded else None) or xero_number or row.invoice_number
    held = _dec(row.xero_total) + _dec(row.rounding_line)
    return ReportInvoice(
        number=row.invoice_number, autotask_id=row.autotask_id, company=row.company,
        invoice_date=(row.invoice_date or "")[:10], status=row.status, autotask_total=row.autotask_total,
        xero_total=fmt2(held), rounding_line=row.rounding_line, difference=row.difference,
        causes=causes if row.status == "mismatch" else (), verdict=row.explanation.split("\n", 1)[0],
        explanation=row.explanation, unchecked=tuple(row.unchecked),
        xero_number=xero_number, xero_invoice_id=row.xero_invoice_id or "",
        synced_at=row.synced_at or "", payment=payment_state(row) if row.status == "synced" else "",
        voided_in_autotask=row.voided, currency=row.currency, organisation=row.organisation,
        warnings=tuple(row.warnings),
    )


def line_rows(store: Store, rows: Sequence[InvoiceRow], tick: Tick | None = None) -> list[LineRow]:
    """Every invoice's line-by-line comparison from its last audit, invoices in the given order."""
    out: list[LineRow] = []
    for n, row in enumerate(rows, 1):
        if tick is not None:
            tick(n, len(rows))
        result = store.last_result(row.autotask_id)
        for ln in result.lines if result is not None else ():
            both = ln.at_amount is not None and ln.xero_amount is not None
            diff = ""
            if both:
                diff = fmt2((ln.at_amount or 0) + (ln.at_tax or 0) - (ln.xero_amount or 0) - (ln.xero_tax or 0))
            out.append(LineRow(
                row.invoice_number, "" if ln.item_id is None else str(ln.item_id), ln.label,
                _plain(ln.at_quantity), _price(ln.at_rate), _money(ln.at_amount), _money(ln.at_tax),
                _plain(ln.xero_quantity), _price(ln.xero_unit), _money(ln.xero_amount), _money(ln.xero_tax),
                diff, ln.note, row.currency or "",
            ))
    return out


def _money(v: Decimal | None) -> str:
    return "" if v is None else fmt2(v)


def _price(v: Decimal | None) -> str:
    """A rate or unit price exactly as kept, at least 2 decimals (45.00, 12.50, 33.3333)."""
    text = _plain(v)
    if not text:
        return text
    whole, _, frac = text.partition(".")
    return f"{whole}.{frac.ljust(2, '0')}"


def _plain(v: Decimal | None) -> str:
    """A quantity or rate exactly as kept, without exponent or float noise (1.5, 12.3456, 100)."""
    if v is None:
        return ""
    text = format(v, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def report_invoices(store: Store, rows: Sequence[InvoiceRow], tick: Tick | None = None) -> list[ReportInvoice]:
    out = []
    for n, row in enumerate(rows, 1):
        if tick is not None:
            tick(n, len(rows))
        out.append(report_invoice(store, row))
    return out


def period_rows(store: Store, since: date | None, until: date | None) -> tuple[list[InvoiceRow], int]:
    """The invoices dated in [since, until] (number order), and how many carry no date at all."""
    all_rows = store.invoices()
    undated = sum(1 for r in all_rows if not r.invoice_date) if (since or until) else 0
    return [r for r in all_rows if in_period(r, since, until)], undated


def month_end_report(
    store: Store, rows: Sequence[InvoiceRow], since: date | None, until: date | None, generated_at: str,
    undated: int = 0, tick: Tick | None = None,
) -> MonthEndReport:
    """Counts by status, every invoice that needs attention, every synced and ready invoice."""
    invoices = report_invoices(store, rows, tick)
    statuses = list(STATUS_ORDER) + sorted({r.status for r in rows} - set(STATUS_ORDER))
    counts = tuple(
        StatusCount(s, status_label(s), sum(1 for r in rows if r.status == s),
                    per_currency([r for r in rows if r.status == s]))
        for s in statuses
    )
    by = {s: tuple(i for i in invoices if i.status == s) for s in statuses}
    currencies = sorted({r.currency for r in rows if r.currency}) or sorted(
        {r.currency for r in store.invoices() if r.currency})
    return MonthEndReport(
        since=since, until=until, generated_at=generated_at, tolerance=str(store.settings().tolerance),
        counts=counts, total_invoices=len(rows), totals=per_currency(rows),
        attention=tuple(i for s in ATTENTION for i in by.get(s, ())),
        synced=by["synced"], ready=by["ready"], undated=undated, currencies=tuple(currencies),
    )
