"""Use cases both UIs call: audit, sync (which is also re-sync), status."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import replace
from datetime import date, datetime, timezone

from depot_gui.core.audit import CONFLICT, ERROR, MISMATCH, SYNCED, AuditResult, audit_invoice
from depot_gui.core.diagnosis import Evidence
from depot_gui.core.mapping import MappingOverrides
from depot_gui.core.models import AutotaskInvoice, LobAccess, ReferenceData
from depot_gui.core.money import ZERO, fmt_money, to_decimal
from depot_gui.core.ownership import document_facts, foreign_document_text, shared_number_text, split_ours
from depot_gui.core.settings import Settings, audit_window
from depot_gui.core.written import doc_id
from depot_gui.store.db import Store

from depot_gui.sync.cancel import Cancelled, CancelToken
from depot_gui.sync.session.connections import Connections
from depot_gui.sync.invoices.downloads import (
    Download,
    download_invoices,
    flag_voided_after_sync,
    holder_rows,
    items_for,
    shared_numbers,
    with_items,
)
from depot_gui.sync.invoices.edits import with_edits
from depot_gui.sync.invoices.lookup import audit_documents
from depot_gui.sync.invoices.outcome import last_written
from depot_gui.sync.invoices.reference_data import load_currencies, load_side_by_side
from depot_gui.sync.lines_of_business.access import check_lob_access
from depot_gui.sync.mapping.books import mapping_of
from depot_gui.sync.orgs.routing import by_organisation, placed
from depot_gui.sync.side_by_side import beside
from depot_gui.sync.xero_cache import XeroCache

Progress = Callable[[str, int, int], None]
log = logging.getLogger(__name__)

RECORDED_EVERY = 25  # invoices saved in one transaction, then announced (the window shows them)


class NothingNamed(ValueError):
    """An action was given an empty or blank invoice name: it never widens to "all"."""


def _error_result(number: str, autotask_id: int, message: str, settings: Settings, company: str = "") -> AuditResult:
    return AuditResult(autotask_id, number, company, ERROR, ZERO, ZERO, ZERO, ZERO, settings.tolerance, (), message)


class Auditor:
    """Audit and sync invoices over one pair of connections and one local store."""

    def __init__(self, store: Store, conn: Connections, *, progress: Progress | None = None,
                 cancel: CancelToken | None = None, overrides: MappingOverrides | None = None,
                 pinned: str | None = None, home: str | None = None, lists: dict | None = None) -> None:
        self.store = store
        self.home = home or conn.tenant_id  # the organisation ``overrides`` (the saved mapping) was made for
        self.pinned = pinned  # a tenant id: only its invoices are audited (a sync writes through one client)
        self.conn = conn
        self.progress = progress or (lambda message, done, total: None)
        self.cancel = cancel or CancelToken()
        self.overrides = overrides or MappingOverrides()
        self._lob: LobAccess | None = None
        # Autotask's lists every organisation uses (billing codes, taxes, ...), read once an audit, or once
        # for the caller's run when it gives ``lists`` (a sync over several organisations)
        self.given_lists, self.lists = lists, lists if lists is not None else {}
        # Our Xero document of each invoice the last audit found (by Autotask id): a sync right
        # after it needs no second look-up to see that a synced invoice is unchanged.
        self.seen_in_xero: dict[int, dict] = {}
        # Told the Autotask ids whose recorded state just changed, while a long audit or sync runs
        # (the window updates those rows as they come, not only at the end).
        self.on_recorded: Callable[[list[int]], None] | None = None

    def recorded(self, autotask_ids: list[int]) -> None:  # tell the listener (if any) these invoices' rows changed
        if self.on_recorded is not None and autotask_ids:
            self.on_recorded(list(autotask_ids))

    def on_wait(self, message: str, seconds: float) -> None:
        """A client is waiting (rate limit, retry): say so instead of looking stuck."""
        self.progress(f"{message} ({max(1, round(seconds))} s)", 0, 0)

    # ------------------------------------------------------------------ audit
    def audit(
        self, numbers: list[str] | None = None, *, record: bool = True, settings: Settings | None = None,
        since: date | None = None, until: date | None = None,
    ) -> list[AuditResult]:
        """Download, map, compare, diagnose; write nothing to Xero. Results in invoice-number order.

        ``record=False`` with other ``settings`` previews what a setting would change. Without
        ``numbers``, only invoices dated from ``since`` (default: the ``audit_months`` setting) to
        ``until`` (default: no end) are downloaded; invoices named explicitly ignore the period.
        """
        settings = settings or self.store.settings()
        with self.conn.waits.listening(self.on_wait, self.cancel):  # waits show as progress and can be cancelled
            return self._audit(numbers, record, settings, self.period(settings, since, until))

    def period(self, settings: Settings, since: date | None = None, until: date | None = None) -> tuple:
        """(first day, last day) of invoices an unnamed audit downloads; None means open-ended."""
        if since is None:
            today = (self.conn.autotask.server_date or datetime.now(timezone.utc)).date()
            since = audit_window(settings.audit_months, today)
        return since, until

    def _audit(self, numbers: list[str] | None, record: bool, settings: Settings, period: tuple) -> list[AuditResult]:
        if numbers is not None and any(not str(n).strip() for n in numbers):
            raise NothingNamed("An invoice name is empty: name each invoice (a blank name never means \"all\").")
        self.progress("Downloading invoices from Autotask", 0, 0)
        self.seen_in_xero, self.lists = {}, self.given_lists if self.given_lists is not None else {}
        wanted = [n.strip() for n in numbers or []]
        autotask = self.conn.autotask
        raw_invoices = download_invoices(autotask, wanted, period)
        results: list[AuditResult] = []
        found_numbers = set()
        for raw in raw_invoices:
            inv = AutotaskInvoice.from_api(raw)
            found_numbers.update({inv.number, str(inv.id)})
        for n in wanted:
            if n not in found_numbers:
                results.append(
                    _error_result(
                        n, int(n) if n.isdigit() else 0,
                        f"Autotask has no invoice {n} that this API user can see. Check the number; if it is "
                        "right, the API user may lack access to it.", settings,
                    )
                )
        synced: set[int] = set()
        if not wanted:
            synced = {r.autotask_id for r in self.store.invoices() if r.status == SYNCED}
            raw_invoices = [r for r in raw_invoices if int(r["id"]) not in synced and not r.get("isVoided")]
        self.cancel.check()
        downloads = [Download(AutotaskInvoice.from_api(r), r, [], []) for r in raw_invoices]
        self.progress("Downloading billing items", 0, len(downloads))

        def more_downloads() -> dict:
            if record:
                flag_voided_after_sync(self.store, autotask, synced)
            return items_for(autotask, [d.invoice.id for d in downloads])

        # the billing items (and the synced invoices voided since) beside each organisation's look-ups
        groups = []
        with beside(more_downloads, self.conn.waits.carry()) as items:
            where = placed(self.store, self.conn.organisations())
            for tenant, group in by_organisation(downloads, self.store, self.conn.tenant_id, where):
                if self.pinned is not None and tenant.lower() != self.pinned.lower():
                    results += [self._elsewhere(d, tenant, settings) for d in group]
                    continue
                with self.pointed_at(tenant):
                    groups.append((tenant, group, self._look_up(group, wanted, settings)))
        with_items(downloads, items())
        self.cancel.check()
        for tenant, group, looked_up in groups:
            with self.pointed_at(tenant):
                results += self._audit_downloads(group, looked_up, settings, record)
        ref = ReferenceData()
        if any(not r.organisation for r in results):  # not found in Autotask: where it would have gone
            load_currencies(self.conn.xero, ref, self.xero_cache(), self.conn.tenant_name)
            results = [r if r.organisation else replace(r, currency=r.currency or ref.base_currency,
                                                         organisation=ref.organisation) for r in results]
        results.sort(key=lambda r: (r.invoice_number, r.autotask_id))
        log.info("audit of %d invoice(s): %s", len(results),
                 ", ".join(f"{r.invoice_number} {r.status}" for r in results[:50]) + (" ..." if len(results) > 50 else ""))
        self.progress("Done", len(downloads), len(downloads))
        return results

    def _look_up(self, downloads: list[Download], wanted: list[str],
                 settings: Settings) -> tuple[ReferenceData, dict, dict]:
        """For invoices that all go to the organisation ``self.conn`` points at: the reference data, the
        numbers other Autotask invoices share, Xero's documents under the numbers; downloaded at once."""
        with beside(lambda: audit_documents(self.xero_cache(), self.store, downloads, settings),
                    self.conn.waits.carry()) as found_in_xero:
            ref, more = ReferenceData(), {"holders": []}
            if downloads:
                ref, more = load_side_by_side(
                    self.conn, {d.invoice.company_id for d in downloads if d.invoice.company_id}, self.xero_cache(),
                    self.overrides.tracking_category,
                    {"holders": lambda: holder_rows(self.conn.autotask, downloads, wanted)}, self.lists)
                ref.contact_links = self.store.contact_links.of(self.conn.tenant_id)
            self.cancel.check()
        return ref, shared_numbers(downloads, more["holders"], ref), found_in_xero()

    def _audit_downloads(self, downloads: list[Download], looked_up: tuple[ReferenceData, dict, dict],
                         settings: Settings, record: bool) -> list[AuditResult]:
        """Audit downloaded invoices that all go to the organisation ``self.conn`` points at."""
        results: list[AuditResult] = []
        ref, holders, existing = looked_up
        server_now = self.conn.autotask.server_date or datetime.now(timezone.utc)
        total = len(downloads)
        first_pass: dict[int, AuditResult] = {}
        for i, d in enumerate(downloads):
            self.cancel.check()
            first_pass[d.invoice.id] = audit_invoice(
                d.invoice, d.items, ref, settings, Evidence(lob=LobAccess(checked=False), server_now=server_now), self.overrides
            )
            self.progress("Checking totals", i + 1, total)
        # A mismatch with items missing from the download: download those items once more,
        # and gather the line-of-business evidence, before diagnosing.
        gaps = [d for d in downloads if first_pass[d.invoice.id].status == MISMATCH]
        if gaps:
            self.progress("Downloading the mismatched invoices' items again", 0, len(gaps))
            again = items_for(self.conn.autotask, [d.invoice.id for d in gaps])
            self.cancel.check()
            lob = self.lob_access()
            self.cancel.check()
            ref.lob = lob
            server_now = self.conn.autotask.server_date or server_now
            for d in gaps:
                pairs = again.get(d.invoice.id, [])
                items2 = [i for i, _ in pairs]
                changed = sorted((i.id, i.total_amount) for i in items2) != sorted((i.id, i.total_amount) for i in d.items)
                first_count = len(d.items)
                if changed:
                    d.items, d.raw_items = items2, [r for _, r in pairs]
                ev = Evidence(
                    lob=lob, server_now=server_now, redownloaded=True, items_changed=changed,
                    first_item_count=first_count, api_user=self.conn.api_user,
                )
                first_pass[d.invoice.id] = audit_invoice(d.invoice, d.items, ref, settings, ev, self.overrides)
        pending_rows: list[int] = []
        with ExitStack() as group:  # a failure rolls back only the invoices not yet announced
            for d in downloads:
                result = first_pass[d.invoice.id]
                result = replace(
                    result,
                    extra={**result.extra, "audit_status": result.status, "stamped": d.invoice.web_service_date is not None},
                )
                ours, foreign = split_ours(existing.get(d.invoice.id, []), d.invoice.id)
                xero = ours
                if ours is not None:  # in Xero and ours: its state, even if another invoice took the number since
                    result = with_edits(self._with_xero(result, ours), ours,
                                        last_written(self.store, d.invoice.id, doc_id(ours)))
                    self.seen_in_xero[d.invoice.id] = ours
                elif d.invoice.number in holders:
                    result = self._conflict(result, shared_number_text(d.invoice.number, holders[d.invoice.number]),
                                            {"shared_with": [i for i, _ in holders[d.invoice.number]]})
                elif foreign:
                    facts = document_facts(foreign[0])
                    row = self.store.invoice(d.invoice.id)
                    recorded = row is not None and bool(row.xero_invoice_id) and row.xero_invoice_id == facts["id"]
                    result = self._conflict(
                        result, foreign_document_text(d.invoice.number, facts, d.invoice.id, recorded), {"document": facts}
                    )
                if record and len(pending_rows) >= RECORDED_EVERY:
                    group.close()  # one transaction per RECORDED_EVERY invoices, committed before they are announced
                    self.recorded(pending_rows)
                    pending_rows.clear()
                if record:
                    if not pending_rows:
                        group.enter_context(self.store.grouped())
                    pending_rows.append(d.invoice.id)
                    self.store.save_download(d.invoice.id, d.raw, d.raw_items)
                    self.store.save_audit(result, d.invoice.invoice_date.date().isoformat() if d.invoice.invoice_date else None)
                    if result.status == SYNCED:
                        self.store.mark_synced(d.invoice.id, result.xero_invoice_id or "", str(xero.get("Status") or ""))
                results.append(result)
            group.close()
        self.recorded(pending_rows)
        return results

    @contextmanager
    def pointed_at(self, tenant: str) -> Iterator[None]:
        """While inside, ``self.conn`` is the connections of organisation ``tenant`` and ``self.overrides`` its mapping."""
        before, overrides = self.conn, self.overrides
        self.conn = before.for_tenant(tenant)
        self.overrides = mapping_of(self.store, self.conn.tenant_id, self.home, overrides)
        try:
            yield
        finally:
            self.conn, self.overrides = before, overrides

    def _elsewhere(self, d: Download, tenant: str, settings: Settings) -> AuditResult:
        name = self.conn.for_tenant(tenant).tenant_name or tenant
        text = f"Not synced here: its company goes to the Xero organisation {name}; press Re-sync to sync it there."
        return replace(_error_result(d.invoice.number, d.invoice.id, text, settings), organisation=name)

    @staticmethod
    def _conflict(result: AuditResult, text: str, facts: dict) -> AuditResult:
        """Nothing may be written for this invoice until a person resolves the conflict."""
        return replace(result, status=CONFLICT, explanation=text, xero_invoice_id=None, causes=(),
                       extra={**result.extra, "conflict": facts})

    def xero_cache(self) -> XeroCache:
        """This organisation's cached Xero reference data (the session remembers what it read)."""
        return XeroCache(self.store, self.conn.xero, self.conn.tenant_id, self.conn.extra, self.conn.waits.carry)

    def lob_access(self, refresh: bool = False) -> LobAccess:
        """The API user's line-of-business evidence (cached for this engine)."""
        if self._lob is None or refresh:
            self._lob = check_lob_access(self.conn.autotask, self.conn.api_user)
        return self._lob

    @staticmethod
    def _with_xero(result: AuditResult, xero: dict) -> AuditResult:
        """The audit of an invoice Xero already has under its number."""
        number = xero.get("InvoiceNumber") or xero.get("CreditNoteNumber")
        kind = "credit note" if xero.get("CreditNoteID") else "invoice"
        status = str(xero.get("Status") or "")
        xero_id = xero.get("InvoiceID") or xero.get("CreditNoteID")
        extra = {**result.extra, "xero_status": status}
        if status == "VOIDED":
            return replace(
                result, status=ERROR, xero_invoice_id=xero_id, extra=extra,
                explanation=(
                    f"{number} exists in Xero as a voided {kind}, and Xero does not take an invoice number twice, so "
                    "Depot GUI will not send it again. If it was voided by mistake, copy the voided invoice in Xero "
                    "(Invoice options > Copy to); if it should stay voided, void it in Autotask too."
                ),
            )
        total = xero.get("Total")
        cur = result.currency
        text = f"In Xero as {status.lower()} {kind} {number}" + (
            f" with total {fmt_money(to_decimal(total), str(xero.get('CurrencyCode') or cur))}" if total is not None else ""
        ) + f". Autotask's total is {fmt_money(result.autotask_total, cur)}."
        if result.status == MISMATCH:
            text += (
                " Autotask has changed since it was synced and no longer matches what would be sent: "
                + result.verdict.removeprefix("Not synced: ")
                + " Depot GUI leaves the Xero invoice as it is; fix the cause, then press Re-sync."
            )
        return replace(result, status=SYNCED, xero_invoice_id=xero_id, explanation=text, extra=extra)


__all__ = ["CancelToken", "Cancelled", "NothingNamed", "Progress"]
