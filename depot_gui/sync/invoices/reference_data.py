"""Download what the mapping needs, both sides: Autotask companies, billing codes and taxes; Xero
accounts, tax rates and contacts (the Xero side through the organisation's cache)."""

from __future__ import annotations

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

from depot_gui.sync.xero_cache import XeroCache


def load_reference(autotask, company_ids: set[int], cache: XeroCache) -> ReferenceData:
    """Companies of these invoices, billing codes, taxes; Xero accounts and tax rates (from the
    organisation's cache in the store, refreshed by what changed)."""
    ref = ReferenceData()
    if company_ids:
        for c in autotask.query_in("Companies", "id", sorted(company_ids)):
            company = Company.from_api(c)
            ref.companies[company.id] = company
    for c in autotask.query("BillingCodes", []):
        code = BillingCode.from_api(c)
        ref.billing_codes[code.id] = code
    ref.taxes = [AutotaskTax.from_api(t) for t in autotask.query("Taxes", [])]
    if any(c.currency_id is not None for c in ref.companies.values()):  # multi-currency: one call
        ref.currencies = {c.id: c for c in map(AutotaskCurrency.from_api, autotask.query("Currencies", []))}
    if any(c.tax_region_id is None for c in ref.companies.values()):
        ref.tax_regions = {int(r["id"]): str(r.get("name") or "") for r in autotask.query("TaxRegions", [])}
    ref.accounts = [XeroAccount.from_api(a) for a in cache.accounts()]
    ref.tax_rates = [XeroTaxRate.from_api(t) for t in cache.tax_rates()]
    return ref


def load_contacts(ref: ReferenceData, cache: XeroCache) -> None:
    """The organisation's whole Xero contact directory, kept by one "changed since" call an audit
    once read: exact matches, close names (see core.contacts) and chosen contacts are all in it."""
    ref.contacts = [XeroContact.from_api(c) for c in cache.directory()]
    ref.contacts_complete = True


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
