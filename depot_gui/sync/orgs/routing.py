"""Several Xero organisations: the routes kept in the store, and the organisations' facts for `orgs`."""

from __future__ import annotations

import json
from dataclasses import dataclass

from depot_gui.core.audit import SYNCED
from depot_gui.core.routing import Routes, match_one
from depot_gui.store.db import Store

from depot_gui.sync.xero_cache import XeroCache

K_DEFAULT, K_ROUTES = "orgs.default", "orgs.routes"
K_UNUSED = "orgs.unused"  # tenant ids the setup wizard was told not to use (JSON list): offered for no company


def load_routes(store: Store) -> Routes:
    raw = store.raw_settings()
    return Routes.from_texts(raw.get(K_DEFAULT, ""), raw.get(K_ROUTES, ""))


def placed(store: Store, tenants: list[dict]) -> dict[int, str]:
    """Autotask id -> tenant id of each invoice in Xero, by the organisation its sync recorded (when exactly
    one connected organisation has that name). An invoice stays in the books it went to: routing its company
    elsewhere afterwards moves only the invoices not yet in Xero (a re-sync there would make a second one)."""
    if len(tenants) < 2:
        return {}
    by_name: dict[str, list[str]] = {}
    for t in tenants:
        by_name.setdefault(str(t.get("tenantName") or "").strip().casefold(), []).append(str(t.get("tenantId") or ""))
    out: dict[int, str] = {}
    for r in store.invoices():
        ids = by_name.get(r.organisation.strip().casefold(), []) if r.status == SYNCED and r.organisation else []
        if len(ids) == 1 and ids[0]:
            out[r.autotask_id] = ids[0]
    return out


def by_organisation(downloads: list, store: Store, default: str,
                    where: dict[int, str] | None = None) -> list[tuple[str, list]]:
    """The downloads (anything with ``.invoice.company_id`` and ``.invoice.id``) grouped by the organisation
    they go to (``where``: the invoices already in Xero, see ``placed``), the default organisation's first;
    one group when nothing is routed."""
    routes, where = load_routes(store), where or {}
    groups: dict[str, list] = {default.lower(): []}
    tenants = {default.lower(): default}
    for d in downloads:
        tenant = where.get(d.invoice.id) or routes.tenant_for(d.invoice.company_id, default)
        tenants.setdefault(tenant.lower(), tenant)
        groups.setdefault(tenant.lower(), []).append(d)
    return [(tenants[k], group) for k, group in groups.items() if group or k == default.lower()]


def save_routes(store: Store, routes: Routes) -> None:
    store.set_setting(K_DEFAULT, routes.default)
    store.set_setting(K_ROUTES, routes.to_text())


def load_unused(store: Store) -> frozenset[str]:
    """The organisations (tenant ids) chosen not to be used; empty when none or unreadable."""
    try:
        raw = json.loads(store.raw_settings().get(K_UNUSED) or "[]")
    except ValueError:
        return frozenset()
    return frozenset(str(t) for t in raw) if isinstance(raw, list) else frozenset()


def choice_settings(store: Store, default: str, unused: frozenset[str]) -> dict[str, str]:
    """The settings rows of the setup wizard's choice: the default organisation and those not used
    (a company routed to one of them, or to the default, goes to the default: ``Routes.chosen``)."""
    routes = load_routes(store).chosen(default, unused)
    return {K_DEFAULT: routes.default, K_ROUTES: routes.to_text(), K_UNUSED: json.dumps(sorted(unused))}


@dataclass(frozen=True)
class Organisation:
    tenant_id: str
    name: str
    base_currency: str
    currencies: tuple[str, ...]
    is_default: bool
    companies: tuple[tuple[int, str], ...]  # (Autotask company id, name) routed here


class OrgDesk:
    """List the organisations, route companies, choose the default (both UIs)."""

    def __init__(self, store: Store, conn) -> None:
        self.store = store
        self.conn = conn

    def tenants(self) -> list[tuple[str, str]]:
        return [(str(t["tenantId"]), str(t.get("tenantName", ""))) for t in self.conn.organisations()]

    def default_tenant(self, routes: Routes | None = None) -> str:
        routes = routes or load_routes(self.store)
        known = {t for t, _ in self.tenants()}
        return routes.default if routes.default in known else self.tenants()[0][0]

    def organisations(self, with_currencies: bool = True) -> list[Organisation]:
        routes = load_routes(self.store)
        default = self.default_tenant(routes)
        out = []
        for tenant, name in self.tenants():
            view = self.conn.for_tenant(tenant)
            cache = XeroCache(self.store, view.xero, tenant, view.extra)
            org = cache.organisation() if with_currencies else {}
            base = str(org.get("BaseCurrency") or "").upper()
            added = tuple(c for c in cache.currencies({"*"}) if c != base) if with_currencies else ()
            routed = tuple(sorted((cid, cname) for cid, (tid, cname) in routes.companies.items()
                                  if tid.lower() == tenant.lower()))
            out.append(Organisation(tenant, name, base, added, tenant == default, routed))
        return out

    def use(self, tenant: str) -> None:
        """A company routed to an organisation, or its choice as the default, means it is used."""
        unused = load_unused(self.store)
        if tenant in unused:
            self.store.set_setting(K_UNUSED, json.dumps(sorted(unused - {tenant})))

    def used_tenants(self) -> list[tuple[str, str]]:
        """(tenant id, name) of the organisations a company may be routed to: the connected ones not chosen
        unused in the setup wizard (the default always)."""
        unused, default = load_unused(self.store), self.default_tenant()
        return [(t, n) for t, n in self.tenants() if t not in unused or t == default]

    def routing(self) -> list[tuple[int, str, str]]:
        """(Autotask company id, name, tenant id it goes to) for every company invoiced here and every company
        routed, by name; read from the store (no call beyond the organisations)."""
        routes = load_routes(self.store)
        default = self.default_tenant(routes)
        names = {r.autotask_id: r.company for r in self.store.invoices()}
        companies = {cid: names.get(aid, "") for aid, cid in self.store.invoice_companies().items()}
        for cid, (_, name) in routes.companies.items():
            companies[cid] = companies.get(cid) or name
        rows = [(cid, name, routes.tenant_for(cid, default)) for cid, name in companies.items()]
        return sorted(rows, key=lambda r: (r[1].casefold(), r[0]))

    def find_org(self, text: str) -> tuple[str, str]:
        tenant = match_one(text, self.tenants(), "connected Xero organisation")
        return tenant, dict(self.tenants())[tenant]

    def find_company(self, text: str) -> tuple[int, str]:
        """An Autotask company by id or exact name (one query)."""
        at = self.conn.autotask
        text = text.strip()
        if text.isdigit():
            rows = at.query("Companies", [{"op": "eq", "field": "id", "value": int(text)}])
        else:
            rows = at.query("Companies", [{"op": "eq", "field": "companyName", "value": text}])
        found = [(str(r["id"]), str(r.get("companyName") or "").strip()) for r in rows]
        company = match_one(text, found, "Autotask company") if found else None
        if company is None:
            raise ValueError(f"Autotask has no company {text!r} that this API user can see")
        return int(company), dict(found)[company]

    def route(self, company: str, org: str) -> str:
        company_id, company_name = self.find_company(company)
        tenant, org_name = self.find_org(org)
        routes = load_routes(self.store)
        companies = dict(routes.companies)
        if tenant == self.default_tenant(routes):
            companies.pop(company_id, None)
        else:
            companies[company_id] = (tenant, company_name)
        save_routes(self.store, Routes(routes.default, companies))
        self.use(tenant)
        return f"{company_name} ({company_id}) now goes to {org_name}."

    def unroute(self, company: str) -> str:
        routes = load_routes(self.store)
        text = company.strip()
        hits = [(cid, name) for cid, (_, name) in routes.companies.items()
                if text == str(cid) or text.casefold() == name.casefold()]
        if len(hits) != 1:
            company_id, name = self.find_company(company)
        else:
            company_id, name = hits[0]
        companies = dict(routes.companies)
        companies.pop(company_id, None)
        save_routes(self.store, Routes(routes.default, companies))
        default_name = dict(self.tenants()).get(self.default_tenant(routes), "")
        return f"{name} ({company_id}) goes to the default organisation, {default_name}."

    def set_default(self, org: str) -> str:
        tenant, name = self.find_org(org)
        save_routes(self.store, load_routes(self.store).chosen(tenant))
        self.use(tenant)
        return f"{name} is the default organisation: every company not routed elsewhere goes to it."
