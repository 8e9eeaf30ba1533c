"""Sync when companies are routed to other Xero organisations: each organisation's invoices through its own
client (its numbers, keys, limits and reference data), never one organisation's invoice in another's books."""

from __future__ import annotations

from depot_gui.sync.invoices.audit import Auditor, NothingNamed
from depot_gui.sync.invoices.outcome import SyncOutcome
from depot_gui.sync.invoices.syncer import Syncer

from depot_gui.sync.orgs.routing import load_routes, placed


class RoutedSyncer:
    """Syncer's interface (``sync``, ``warnings``) over one Syncer per organisation."""

    def __init__(self, auditor: Auditor, *, replace_edits: bool = False) -> None:
        self.auditor = auditor
        self.replace_edits = replace_edits
        self.store = auditor.store
        self.conn = auditor.conn
        self.warnings: list[str] = []

    def tenants_of(self, numbers: list[str]) -> dict[str, str]:
        """Invoice number (or id) -> tenant id it goes to, from one Autotask query of the invoices' companies."""
        routes, where = load_routes(self.store), placed(self.store, self.conn.organisations())
        rows = self.conn.autotask.query_in("Invoices", "invoiceNumber", numbers)
        out = {}
        for r in rows:  # an invoice already in Xero stays in the organisation it went to
            tenant = where.get(r.get("id")) or routes.tenant_for(r.get("companyID"), self.conn.tenant_id)
            out[str(r.get("invoiceNumber") or "").strip()] = tenant
        return out

    def sync(self, numbers: list[str]) -> list[SyncOutcome]:
        if not numbers or any(not str(n).strip() for n in numbers):
            raise NothingNamed("Name the invoices to sync: sync never means \"all\".")
        wanted = [str(n).strip() for n in numbers]
        tenants = self.tenants_of(wanted)
        groups: dict[str, list[str]] = {}
        for n in wanted:  # a number Autotask does not know goes to the default (which says so)
            groups.setdefault(tenants.get(n, self.conn.tenant_id), []).append(n)
        self.warnings = []
        outcomes: list[SyncOutcome] = []
        lists: dict = {}  # Autotask's billing codes, taxes, ...: read once for every organisation
        for tenant, group in groups.items():
            a = self.auditor
            auditor = Auditor(self.store, self.conn.for_tenant(tenant), progress=a.progress, cancel=a.cancel,
                              overrides=a.overrides, pinned=tenant, home=a.home, lists=lists)
            auditor.on_recorded = a.on_recorded
            syncer = Syncer(auditor, replace_edits=self.replace_edits)
            outcomes += syncer.sync(group)
            self.warnings += syncer.warnings
        return sorted(outcomes, key=lambda o: (o.result.invoice_number, o.result.autotask_id))
