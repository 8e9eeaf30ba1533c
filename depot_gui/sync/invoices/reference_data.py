"""Download what the mapping needs, both sides: Autotask companies, billing codes and taxes; Xero
accounts, tax rates and contacts (the Xero side through the organisation's cache).

``load_side_by_side`` makes these downloads at once: none depends on another's answer, each
Autotask entity is its own endpoint (3 at once each) and Xero takes 5 calls at once; each
client keeps to its service's limits, so more calls than that wait for a slot."""

from __future__ import annotations

import logging
from collections.abc import Callable

from depot_gui.autotask.errors import AutotaskError
from depot_gui.core.currency import AutotaskCurrency, invoice_currency
from depot_gui.core.models import (
    AutotaskTax,
    BillingCode,
    Company,
    ReferenceData,
    XeroAccount,
    XeroContact,
    XeroTaxRate,
)

from depot_gui.sync.mapping.tracking import active_tracking_of
from depot_gui.sync.side_by_side import side_by_side
from depot_gui.sync.xero_cache import XeroCache

log = logging.getLogger(__name__)


def _companies(autotask, company_ids: set[int], listed: Callable[[str], list[dict]]) -> ReferenceData:
    """The invoices' companies, then (only when they need them) Autotask's currencies and tax regions."""
    ref = ReferenceData()
    if company_ids:
        for c in autotask.query_in("Companies", "id", sorted(company_ids)):
            company = Company.from_api(c)
            ref.companies[company.id] = company
    wanted = {c.currency_id for c in ref.companies.values() if c.currency_id is not None}
    if wanted:  # multi-currency: one call
        try:
            ref.currencies = {c.id: c for c in map(AutotaskCurrency.from_api, listed("Currencies"))}
        except AutotaskError as exc:  # each such company's currency is unchecked, never taken as the base one
            log.warning("Autotask's Currencies could not be read: %s", exc.user_message)
            ref.currencies = {cid: AutotaskCurrency(cid, "", unread=exc.user_message) for cid in wanted}
    if any(c.tax_region_id is None for c in ref.companies.values()):
        ref.tax_regions = {int(r["id"]): str(r.get("name") or "") for r in listed("TaxRegions")}
    return ref


def load_side_by_side(conn, company_ids: set[int], cache: XeroCache, tracking_category: str = "",
                      also: dict[str, Callable[[], object]] | None = None,
                      lists: dict | None = None) -> tuple[ReferenceData, dict[str, object]]:
    """Companies of these invoices, billing codes, taxes; Xero accounts, tax rates, the contact directory
    and the organisation (from the organisation's cache in the store, refreshed by what changed); the
    tracking categories when the mapping uses one; and the ``also`` calls: all at once. Returns the
    reference data (currencies included) and the ``also`` answers by name. The first download that
    failed (in this order) raises once all have ended. ``lists`` keeps Autotask's lists (billing codes,
    taxes, currencies, tax regions) for the rest of the run: with several organisations they are read
    once, not once per organisation."""
    autotask = conn.autotask
    lists = {} if lists is None else lists

    def listed(entity: str) -> list[dict]:
        if entity not in lists:
            lists[entity] = autotask.query(entity, [])
        return lists[entity]

    calls: dict[str, Callable[[], object]] = {
        "companies": lambda: _companies(autotask, company_ids, listed),
        "billing_codes": lambda: listed("BillingCodes"),
        "taxes": lambda: listed("Taxes"),
        "accounts": cache.accounts,
        "tax_rates": cache.tax_rates,
        "contacts": cache.directory,
        "organisation": cache.organisation,
        "tracking": lambda: active_tracking_of(conn.xero, tracking_category),
        **(also or {}),
    }
    names = list(calls)
    answers = dict(zip(names, side_by_side(lambda name: calls[name](), names, len(names), context=conn.waits.carry())))
    ref = answers["companies"]
    ref.billing_codes = {code.id: code for code in map(BillingCode.from_api, answers["billing_codes"])}
    ref.taxes = [AutotaskTax.from_api(t) for t in answers["taxes"]]
    ref.accounts = [XeroAccount.from_api(a) for a in answers["accounts"]]
    ref.tax_rates = [XeroTaxRate.from_api(t) for t in answers["tax_rates"]]
    # the organisation's whole contact directory, kept by one "changed since" call an audit once read:
    # exact matches, close names (see core.contacts) and chosen contacts are all in it
    ref.contacts = [XeroContact.from_api(c) for c in answers["contacts"]]
    ref.contacts_complete = True
    ref.tracking = answers["tracking"]
    load_currencies(conn.xero, ref, cache, conn.tenant_name)  # the organisation is in the cache now
    return ref, {name: answers[name] for name in also or {}}


def load_currencies(xero, ref: ReferenceData, cache=None, organisation: str = "") -> None:
    """The Xero organisation's name and base currency and, only when an invoice's company is invoiced
    in another currency, the currencies the organisation has added."""
    org = cache.organisation() if cache else xero.organisation()
    ref.base_currency = str(org.get("BaseCurrency") or "").upper()
    ref.organisation = organisation or str(org.get("Name") or "")
    needed = {invoice_currency(c.currency_id, ref.currencies, ref.base_currency).code for c in ref.companies.values()}
    needed -= {"", ref.base_currency}
    if not needed:
        ref.xero_currencies = ()
    elif cache is not None:
        ref.xero_currencies = cache.currencies(needed)
    else:
        ref.xero_currencies = tuple(sorted({str(c.get("Code") or "").upper() for c in xero.currencies()} - {""}))
