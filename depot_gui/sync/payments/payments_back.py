"""Payments back (issue 14): read synced invoices' payment state from Xero, give Autotask its paidDate.

One check, for every synced invoice at once:
1. Xero, in the organisation each invoice went to: the documents by InvoiceID, 40 per call (``GET /Invoices?IDs=``), never one call per
   invoice; invoices synced without a recorded id are looked up by number, batched too. Only a
   document that carries our mark for this Autotask invoice (core.ownership) is read.
2. Each invoice's state (paid / part paid / overdue / unpaid) is kept in the store with the time
   it was read (``payments`` table; ``InvoiceRow.payment_state``).
3. Autotask, only for invoices newly found fully paid: their current ``paidDate`` in one query;
   one that already has a paidDate (a user set it, or we did) is left as it is. For the rest the
   ``Invoices`` field metadata says whether ``paidDate`` is writable (one call): if so it is
   written, once per invoice (Autotask has no batch update); if not, that is said and the state
   stays local.
With the ``payments_back`` setting off nothing is read or written.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timezone

from depot_gui.autotask.errors import AutotaskError
from depot_gui.core.audit import SYNCED
from depot_gui.core.money import fmt2, to_decimal
from depot_gui.core.ownership import is_ours
from depot_gui.core.payments import (
    FAILED, KEPT, NOT_NEEDED, PAID, READ_ONLY, WRITTEN, XeroPayment, paid_date, payment_state, state_message,
)
from depot_gui.store.db import InvoiceRow, PaymentRow, Store, now_iso
from depot_gui.xero.dates import parse_xero_date

from depot_gui.sync.cancel import CancelToken
from depot_gui.sync.orgs.routing import load_routes, placed
from depot_gui.sync.session.connections import Connections

log = logging.getLogger(__name__)
Progress = Callable[[str, int, int], None]
PAID_DATE = "paidDate"
OFF_MESSAGE = ("Payments back is off: Xero's payment state is not read. Turn it on in Settings or with "
               "`depot-sync settings set payments_back on`.")
READ_ONLY_MESSAGE = ("Autotask does not let this API user write an invoice's paid date (the paidDate field is "
                     "read-only): the payment state is kept in Depot GUI only.")


@dataclass(frozen=True)
class PaymentCheck:
    """One invoice after a check: its payment state and what happened to Autotask's paidDate."""

    invoice_number: str
    row: PaymentRow
    wrote_now: bool = False  # this check wrote Autotask's paidDate
    currency: str = ""  # ISO code of the amounts (the invoice's currency as last audited)
    organisation: str = ""  # the Xero organisation it was read from (went to)
    credit: bool = False  # went to Xero as a credit note: no payment is expected


@dataclass
class PaymentsReport:
    """The outcome of one check (``enabled`` False: the setting is off and nothing was done)."""

    enabled: bool
    checks: list[PaymentCheck] = field(default_factory=list)
    paid_date_read_only: bool | None = None  # None: no paid invoice needed the answer this time
    message: str = ""
    not_reread: int = 0  # invoices paid in full at an earlier check: not read from Xero again

    def summary(self) -> str:
        """One line for the status bar and the CLI."""
        if not self.enabled:
            return OFF_MESSAGE
        if not self.checks:
            return "No synced invoices to check for payments."
        counts: dict[str, int] = {}
        for c in self.checks:
            key = c.row.state or ("credit" if c.credit else "unknown")
            counts[key] = counts.get(key, 0) + 1
        parts = [f"{counts[k]} {k.replace('_', ' ')}" for k in ("paid", "part_paid", "overdue", "unpaid") if counts.get(k)]
        if counts.get("credit"):  # not "unknown": a credit note asks for no payment
            parts.append(f"{counts['credit']} credit note{'s' if counts['credit'] != 1 else ''} (no payment expected)")
        if counts.get("unknown"):
            parts.append(f"{counts['unknown']} unknown")
        written = sum(c.wrote_now for c in self.checks)
        line = f"Payments checked for {len(self.checks)} invoices: {', '.join(parts)}."
        if self.not_reread:
            line = line[:-1] + f" ({self.not_reread} paid earlier, not read again)."
        if written:
            line += f" Autotask paid date written for {written}."
        if self.paid_date_read_only:
            line += " " + READ_ONLY_MESSAGE
        return line


class PaymentsBack:
    """The payments-back check over one store; ``connect`` is called only when there is work."""

    def __init__(self, store: Store, connect: Callable[[], Connections], *, progress: Progress | None = None,
                 cancel: CancelToken | None = None, recheck_paid: bool = False) -> None:
        self.store = store
        self.recheck_paid = recheck_paid
        self._connect = connect
        self.progress = progress or (lambda message, done, total: None)
        self.cancel = cancel or CancelToken()

    def run(self) -> PaymentsReport:
        if not self.store.settings().payments_back:
            return PaymentsReport(enabled=False, message=OFF_MESSAGE)
        rows = [r for r in self.store.invoices() if r.status == SYNCED and not r.voided]
        if not rows:
            return PaymentsReport(enabled=True)
        before = {p.autotask_id: p for p in self.store.payments.all()}
        # Paid in full is final in Xero (a PAID invoice cannot change; removing a payment is rare):
        # such an invoice is not read again unless asked (recheck_paid), so the Xero calls of a
        # check follow the open invoices, not every invoice ever synced.
        settled = {r.autotask_id for r in rows if not self.recheck_paid
                   and (b := before.get(r.autotask_id)) is not None and b.state == PAID}
        pending = [r for r in rows if r.autotask_id in settled and before[r.autotask_id].written not in (WRITTEN, KEPT)]
        if len(settled) == len(rows) and not pending:
            return self._report([(r, before[r.autotask_id]) for r in rows], set(), PaymentsReport(enabled=True),
                                len(settled))
        conn = self._connect()
        with conn.waits.listening(lambda m, s: self.progress(f"{m} ({max(1, round(s))} s)", 0, 0), self.cancel):
            return self._run(conn, rows, before, settled)

    def _run(self, conn: Connections, rows: list[InvoiceRow], before: dict[int, PaymentRow],
             settled: set[int]) -> PaymentsReport:
        to_read = [r for r in rows if r.autotask_id not in settled]
        self.progress("Reading payments from Xero", 0, len(to_read))
        docs = self._xero_documents(conn, to_read)
        self.cancel.check()
        today = (conn.xero.server_date or datetime.now(timezone.utc)).date()
        checked_at = now_iso()
        readings: dict[int, tuple[InvoiceRow, PaymentRow, XeroPayment | None]] = {}
        for row in rows:
            if row.autotask_id in settled:
                readings[row.autotask_id] = (row, before[row.autotask_id], _stored(before[row.autotask_id]))
            else:
                doc = docs.get(row.autotask_id)
                readings[row.autotask_id] = (row, *self._reading(row, doc, today, checked_at,
                                                                 before.get(row.autotask_id)))
        newly_paid = [
            (row, reading, pay) for row, reading, pay in readings.values()
            if reading.state == PAID and pay is not None and reading.written not in (WRITTEN, KEPT)
        ]
        report = PaymentsReport(enabled=True)
        wrote: set[int] = set()
        if newly_paid:
            self.cancel.check()
            wrote = self._autotask(conn, newly_paid, today, readings, report)
        changed = [(row, reading) for row, reading, _ in readings.values()
                   if row.autotask_id not in settled or reading is not before[row.autotask_id]]
        for i, (_row, reading) in enumerate(changed):
            self.store.payments.save(reading)
            self.progress("Recording payment states", i + 1, len(changed))
        return self._report([(row, reading) for row, reading, _ in readings.values()], wrote, report, len(settled))

    @staticmethod
    def _report(readings: list[tuple[InvoiceRow, PaymentRow]], wrote: set[int], report: PaymentsReport,
                not_reread: int) -> PaymentsReport:
        report.checks = [PaymentCheck(row.invoice_number, reading, row.autotask_id in wrote, row.currency or "",
                                      row.organisation or "", _credit(row)) for row, reading in readings]
        report.not_reread = not_reread
        report.message = report.summary()
        return report

    # -- Xero ---------------------------------------------------------------------------------
    def _xero_documents(self, conn: Connections, rows: list[InvoiceRow]) -> dict[int, dict]:
        """Each invoice's Xero document (by InvoiceID, else by number), batched; credit notes are not read."""
        rows = [r for r in rows if not _credit(r)]
        companies, routes = self.store.invoice_companies(), load_routes(self.store)
        where = placed(self.store, conn.organisations())
        groups: dict[str, list[InvoiceRow]] = {}
        for r in rows:  # each invoice is read in the organisation it went to (else where its company goes)
            tenant = where.get(r.autotask_id) or routes.tenant_for(companies.get(r.autotask_id), conn.tenant_id)
            groups.setdefault(tenant, []).append(r)
        out: dict[int, dict] = {}
        for tenant, group in groups.items():
            out.update(self._tenant_documents(conn.for_tenant(tenant), group))
        return out

    @staticmethod
    def _tenant_documents(conn: Connections, rows: list[InvoiceRow]) -> dict[int, dict]:
        """The documents of invoices that all went to the organisation ``conn`` points at."""
        by_id = {str(d.get("InvoiceID", "")).lower(): d
                 for d in conn.xero.invoices_by_ids([r.xero_invoice_id for r in rows if r.xero_invoice_id])}
        no_id = [r for r in rows if not r.xero_invoice_id]
        by_number: dict[str, list[dict]] = {}
        if no_id:
            for d in conn.xero.invoices_by_number([r.invoice_number for r in no_id]):
                by_number.setdefault(str(d.get("InvoiceNumber", "")), []).append(d)
        out: dict[int, dict] = {}
        for r in rows:
            if r.xero_invoice_id:
                doc = by_id.get(r.xero_invoice_id.lower())
            else:
                doc = next((d for d in by_number.get(r.invoice_number, []) if is_ours(d, r.autotask_id)),
                           (by_number.get(r.invoice_number) or [None])[0])
            if doc is not None:
                out[r.autotask_id] = doc
        return out

    def _reading(self, row: InvoiceRow, doc: dict | None, today: date, checked_at: str,
                 before: PaymentRow | None) -> tuple[PaymentRow, XeroPayment | None]:
        keep_written = before.written if before and before.written in (WRITTEN, KEPT) else NOT_NEEDED
        keep_at = before.autotask_paid_date if before else None

        def unknown(message: str, xero_status: str = "") -> tuple[PaymentRow, None]:
            return PaymentRow(row.autotask_id, None, row.xero_invoice_id, xero_status, "0.00", "0.00", None, None,
                              checked_at, keep_at, keep_written, message), None

        if _credit(row):
            return unknown("Sent to Xero as a credit note: no payment is expected.")
        if doc is None:
            return unknown("Xero has no invoice with this id any more (or it is a credit note): "
                           "its payment state is unknown.")
        if not is_ours(doc, row.autotask_id):
            return unknown("The Xero document under this number does not carry Depot GUI's mark for this "
                           "Autotask invoice, so its payments are not read.", str(doc.get("Status") or ""))
        try:
            pay = XeroPayment(
                str(doc.get("InvoiceID") or ""), str(doc.get("Status") or ""), to_decimal(doc.get("Total")),
                to_decimal(doc.get("AmountPaid")), to_decimal(doc.get("AmountDue")),
                parse_xero_date(doc.get("DueDate")), parse_xero_date(doc.get("FullyPaidOnDate")),
                str(doc.get("CurrencyCode") or row.currency or ""),
            )
        except (ValueError, ArithmeticError):
            return unknown("Xero's answer for this invoice could not be read; the next check tries again.")
        state = payment_state(pay, today)
        message = state_message(pay, state)
        if state == PAID and keep_written in (WRITTEN, KEPT):
            message += f" Autotask's paid date is {keep_at}." if keep_at else ""
        elif state != PAID and keep_at:
            message += f" Autotask's paid date ({keep_at}) is left as it is."
        reading = PaymentRow(
            row.autotask_id, state, pay.xero_invoice_id or row.xero_invoice_id, pay.xero_status,
            fmt2(pay.amount_paid), fmt2(pay.amount_due), pay.due_date.isoformat() if pay.due_date else None,
            pay.fully_paid_on.isoformat() if pay.fully_paid_on else None, checked_at, keep_at,
            keep_written, message,
        )
        return reading, pay

    # -- Autotask -----------------------------------------------------------------------------
    def _autotask(self, conn: Connections, newly_paid: list, today: date, readings: dict,
                  report: PaymentsReport) -> set[int]:
        """Read the paid invoices' paidDate (one query); write it where empty and writable."""
        ids = [row.autotask_id for row, _, _ in newly_paid]
        self.progress("Reading paid dates from Autotask", 0, len(ids))
        try:
            current = {int(r["id"]): r.get(PAID_DATE)
                       for r in conn.autotask.query_in("Invoices", "id", ids, include_fields=["id", PAID_DATE])}
        except AutotaskError as exc:
            for row, reading, pay in newly_paid:
                readings[row.autotask_id] = (row, self._outcome(reading, pay, FAILED, None,
                                                                exc.user_message), pay)
            return set()
        to_write = []
        for row, reading, pay in newly_paid:
            existing = _day(current.get(row.autotask_id))
            if row.autotask_id not in current:
                readings[row.autotask_id] = (row, self._outcome(
                    reading, pay, FAILED, None, "Autotask did not return this invoice"), pay)
            elif existing:
                readings[row.autotask_id] = (row, self._outcome(reading, pay, KEPT, existing), pay)
            else:
                to_write.append((row, reading, pay))
        if not to_write:
            return set()
        read_only = self._paid_date_read_only(conn)
        report.paid_date_read_only = read_only
        wrote: set[int] = set()
        for i, (row, reading, pay) in enumerate(to_write):
            self.cancel.check()
            day = paid_date(pay, today).isoformat()
            if read_only:
                outcome = self._outcome(reading, pay, READ_ONLY, None)
            else:
                try:
                    conn.autotask.patch("Invoices", {"id": row.autotask_id, PAID_DATE: f"{day}T00:00:00"})
                    outcome = self._outcome(reading, pay, WRITTEN, day)
                    wrote.add(row.autotask_id)
                except AutotaskError as exc:
                    log.warning("paidDate of invoice %s not written: %s", row.autotask_id, exc.user_message)
                    outcome = self._outcome(reading, pay, FAILED, None, exc.user_message)
            readings[row.autotask_id] = (row, outcome, pay)
            self.progress("Writing paid dates to Autotask", i + 1, len(to_write))
        return wrote

    def _paid_date_read_only(self, conn: Connections) -> bool:
        """Whether Autotask's field metadata forbids writing Invoices.paidDate (absent counts as read-only)."""
        fields = conn.autotask.entity_fields("Invoices")
        spec = next((f for f in fields if isinstance(f, dict) and str(f.get("name", "")).lower() == "paiddate"), None)
        return spec is None or spec.get("isReadOnly") is not False

    @staticmethod
    def _outcome(reading: PaymentRow, pay: XeroPayment, written: str, at_date: str | None,
                 reason: str = "") -> PaymentRow:
        base = state_message(pay, PAID)
        if written == WRITTEN:
            text = f"{base} Autotask's paid date set to {at_date}."
        elif written == KEPT:
            text = f"{base} Autotask already has paid date {at_date}; left as it is."
        elif written == READ_ONLY:
            text = f"{base} {READ_ONLY_MESSAGE}"
        else:
            text = f"{base} Autotask's paid date could not be written ({reason.rstrip('.')}); the next check tries again."
        return PaymentRow(
            reading.autotask_id, reading.state, reading.xero_invoice_id, reading.xero_status, reading.amount_paid,
            reading.amount_due, reading.due_date, reading.fully_paid_on, reading.checked_at,
            at_date or reading.autotask_paid_date, written, text,
        )


def _stored(p: PaymentRow) -> XeroPayment:
    """A paid invoice's Xero facts as last read (for the Autotask step without reading Xero again)."""
    paid, due = to_decimal(p.amount_paid), to_decimal(p.amount_due)
    return XeroPayment(p.xero_invoice_id or "", p.xero_status, paid + due, paid, due, _iso_day(p.due_date),
                       _iso_day(p.fully_paid_on))


def _iso_day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _credit(row: InvoiceRow) -> bool:
    """Whether the invoice went to Xero as a credit note (a negative Autotask total)."""
    return to_decimal(row.autotask_total) < 0


def _day(value: object) -> str | None:
    """Autotask's paidDate (a datetime on the wire, date only in meaning) as YYYY-MM-DD, or None."""
    if value in (None, ""):
        return None
    return str(value)[:10]


__all__ = ["OFF_MESSAGE", "READ_ONLY_MESSAGE", "PaymentCheck", "PaymentsBack", "PaymentsReport"]
