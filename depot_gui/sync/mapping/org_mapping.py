"""One organisation's account and tax mapping without the window (``depot-sync mapping``).

The organisation is named like ``orgs`` names it (name or tenant id; none: the default one). The
default organisation's mapping is the one the setup wizard saves; another organisation's own mapping
starts, at its first change, from the saved one as far as its books have the same codes
(``core.books.within_books``), so nothing that already fits is lost. A code is checked against the
organisation's chart of accounts and tax rates (its Xero cache) before anything is saved.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation

from depot_gui.core.books import within_books
from depot_gui.core.mapping import MappingOverrides
from depot_gui.core.models import AutotaskTax, BillingCode, ReferenceData, XeroAccount, XeroTaxRate
from depot_gui.store.db import Store

from depot_gui.sync.mapping.books import has_own_mapping, mapping_of
from depot_gui.sync.mapping.mapping_step import load_mapping_overrides, rate_key, save_mapping
from depot_gui.sync.mapping.tracking_choice import TrackingPicture
from depot_gui.sync.mapping.tracking_step import load_lines_of_business, load_tracking_categories
from depot_gui.sync.orgs.routing import OrgDesk
from depot_gui.sync.xero_cache import XeroCache


class MappingRefused(ValueError):
    """A name or code that does not fit; str() is one sentence naming the valid ones."""


@dataclass(frozen=True)
class OrgMappingView:
    """One organisation's mapping as the engine uses it."""

    tenant_id: str
    organisation: str
    own: bool  # its own (or the default organisation's saved one); False: the saved one, as far as it fits
    accounts: dict[int, str]  # billing code id -> account code
    tax_types: dict[str, str]  # Autotask rate ("10") -> Xero TaxType
    billing_codes: dict[int, str]  # billing code id -> name (Autotask)

    def as_json(self) -> dict:
        return {"organisation": self.organisation, "tenant_id": self.tenant_id, "own": self.own,
                "accounts": [{"billing_code_id": k, "billing_code": self.billing_codes.get(k, ""), "account": v}
                             for k, v in sorted(self.accounts.items())],
                "tax_types": [{"rate": k, "tax_type": v} for k, v in sorted(self.tax_types.items())]}


@dataclass(frozen=True)
class OrgMappingForm:
    """What a window needs to edit one organisation's mapping: the mapping and the choices both sides offer."""

    view: OrgMappingView
    billing_codes: list[tuple[int, str]]  # (id, name) of the Autotask billing codes
    rates: list[str]  # the Autotask tax percentages ("10", "7.5") of its taxes and those mapped
    accounts: list[tuple[str, str]]  # (code, name) of its active accounts, sales ones first
    tax_rates: list[tuple[str, str, str]]  # (TaxType, name, percentage) of its active sales tax rates


class OrgMapping:
    """Read and change one organisation's mapping (the session's connections: its default organisation)."""

    def __init__(self, store: Store, conn) -> None:
        self.store = store
        self.conn = conn
        self.orgs = OrgDesk(store, conn)

    def tenant(self, org: str | None) -> tuple[str, str]:
        """(tenant id, name) of the organisation named, or the default one."""
        if not org:
            return self.conn.tenant_id, self.conn.tenant_name or self.conn.tenant_id
        return self.orgs.find_org(org)

    def _books(self, tenant: str) -> ReferenceData:
        view = self.conn.for_tenant(tenant)
        cache = XeroCache(self.store, view.xero, view.tenant_id, view.extra)
        return ReferenceData(accounts=[XeroAccount.from_api(a) for a in cache.accounts()],
                             tax_rates=[XeroTaxRate.from_api(t) for t in cache.tax_rates()])

    def _codes(self) -> dict[int, BillingCode]:
        return {c.id: c for c in map(BillingCode.from_api, self.conn.autotask.query("BillingCodes", []))}

    def _effective(self, tenant: str, books: ReferenceData | None = None) -> tuple[MappingOverrides, bool]:
        saved = load_mapping_overrides(self.store)
        chosen = mapping_of(self.store, tenant, self.conn.tenant_id, saved)
        if not chosen.inherited:
            return chosen, True
        return within_books(chosen, books or self._books(tenant)), False

    def show(self, org: str | None = None) -> OrgMappingView:
        tenant, name = self.tenant(org)
        chosen, own = self._effective(tenant)
        return OrgMappingView(tenant, name, own, dict(chosen.account_by_billing_code), dict(chosen.tax_type_by_rate),
                              {i: c.name for i, c in self._codes().items()})

    def form(self, org: str | None = None) -> OrgMappingForm:
        """One organisation's mapping with both sides' choices (its books as last read, Autotask's codes)."""
        tenant, name = self.tenant(org)
        books = self._books(tenant)
        chosen, own = self._effective(tenant, books)
        codes = self._codes()
        view = OrgMappingView(tenant, name, own, dict(chosen.account_by_billing_code), dict(chosen.tax_type_by_rate),
                              {i: c.name for i, c in codes.items()})
        taxes = {rate_key(t.rate) for t in map(AutotaskTax.from_api, self.conn.autotask.query("Taxes", []))}
        return OrgMappingForm(
            view, [(c.id, c.name) for c in sorted(codes.values(), key=lambda c: (c.name.casefold(), c.id))],
            sorted(taxes | set(view.tax_types), key=Decimal),
            [(a.code, a.name) for a in sorted(books.accounts, key=lambda a: a.type != "REVENUE")
             if a.status == "ACTIVE" and a.code],
            [(r.tax_type, r.name, rate_key(r.effective_rate)) for r in books.tax_rates
             if r.status == "ACTIVE" and r.can_apply_to_revenue])

    def set_account(self, code_text: str, account: str, org: str | None = None) -> str:
        tenant, name = self.tenant(org)
        codes = self._codes()
        code = _billing_code(code_text, codes)
        books = self._books(tenant)
        found = books.account(account.strip())
        if found is None:
            some = ", ".join(f"{a.code} ({a.name})" for a in books.accounts
                             if a.status == "ACTIVE" and a.code and a.type == "REVENUE")
            raise MappingRefused(f"{account.strip()!r} is not an active account of {name}"
                                 + (f"; its sales accounts: {some}" if some else ""))
        chosen, _ = self._effective(tenant, books)
        self._save(tenant, replace(chosen, account_by_billing_code={**chosen.account_by_billing_code,
                                                                     code.id: found.code}))
        return f"Billing code '{code.name}' now goes to account {found.code} ({found.name}) in {name}."

    def set_tax(self, rate_text: str, tax_type: str, org: str | None = None) -> str:
        tenant, name = self.tenant(org)
        try:
            rate = Decimal(rate_text.strip().rstrip("%"))
            if not rate.is_finite() or rate < 0:
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            raise MappingRefused(f"{rate_text!r} is not a tax percentage (like 10 or 7.5)") from None
        books = self._books(tenant)
        found = next((r for r in books.tax_rates if r.tax_type.casefold() == tax_type.strip().casefold()
                      and r.status == "ACTIVE"), None)
        if found is None:
            known = ", ".join(f"{r.tax_type} ({r.name}, {rate_key(r.effective_rate)}%)" for r in books.tax_rates
                              if r.status == "ACTIVE" and r.can_apply_to_revenue)
            raise MappingRefused(f"{tax_type.strip()!r} is not an active tax rate of {name}; its sales tax rates: "
                                 f"{known or 'none'}")
        chosen, _ = self._effective(tenant, books)
        self._save(tenant, replace(chosen, tax_type_by_rate={**chosen.tax_type_by_rate, rate_key(rate): found.tax_type}))
        note = "" if found.effective_rate == rate else (
            f" Note: {found.tax_type} is {rate_key(found.effective_rate)}% in Xero, so totals will not match.")
        return f"Autotask tax of {rate_key(rate)}% now goes as {found.tax_type} ({found.name}) in {name}.{note}"

    def tracking_picture(self, org: str | None = None) -> tuple[str, TrackingPicture]:
        """(name, its tracking picture): the organisation's tracking categories (one Xero call), Autotask's lines
        of business and the choice it uses; a change saves it as the organisation's own mapping."""
        tenant, name = self.tenant(org)
        chosen, _ = self._effective(tenant)

        def save(category: str, options: dict[int, str]) -> tuple[str, dict[int, str]]:
            current, _ = self._effective(tenant)
            self._save(tenant, replace(current, tracking_category=category, tracking_option_by_lob=dict(options)))
            saved, _ = self._effective(tenant)
            return saved.tracking_category, dict(saved.tracking_option_by_lob)

        picture = TrackingPicture(load_tracking_categories(self.conn.for_tenant(tenant).xero),
                                  load_lines_of_business(self.conn.autotask), chosen.tracking_category,
                                  dict(chosen.tracking_option_by_lob), save)
        return name, picture

    def _save(self, tenant: str, overrides: MappingOverrides) -> None:
        home = tenant.lower() == self.conn.tenant_id.lower() and not has_own_mapping(self.store, tenant)
        contact_match = self.store.settings().shown()["contact_match"]
        save_mapping(self.store, replace(overrides, inherited=False), contact_match, None if home else tenant)


def _billing_code(text: str, codes: dict[int, BillingCode]) -> BillingCode:
    """A billing code by id or exact name (case ignored); MappingRefused listing them otherwise."""
    text = text.strip()
    if text.isdigit() and int(text) in codes:
        return codes[int(text)]
    hits = [c for c in codes.values() if c.name.strip().casefold() == text.casefold()]
    if len(hits) == 1:
        return hits[0]
    known = ", ".join(f"{c.name} ({c.id})" for c in sorted(codes.values(), key=lambda c: c.name.casefold()))
    if hits:
        raise MappingRefused(f"{len(hits)} Autotask billing codes are called {text!r}; name one by its id: {known}")
    raise MappingRefused(f"Autotask has no billing code {text!r}; its billing codes: {known or 'none'}")
