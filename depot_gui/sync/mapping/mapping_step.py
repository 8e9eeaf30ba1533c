"""Setup step 4: mapping (billing codes to Xero accounts, Autotask taxes to Xero tax rates)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal

from depot_gui.autotask.client import AutotaskClient
from depot_gui.core.mapping import MappingOverrides
from depot_gui.core.models import AutotaskTax, BillingCode, XeroAccount, XeroTaxRate
from depot_gui.store.db import Store
from depot_gui.xero.client import XeroClient

from depot_gui.core.tracking import TrackingCategory

from depot_gui.sync.mapping.keys import (
    CONTACT_RULES, K_MAPPING_ACCOUNTS, K_MAPPING_TAX_TYPES, K_MAPPING_TRACKING, tenant_key,
)
from depot_gui.sync.mapping.tracking_step import (
    check_tracking,
    load_lines_of_business,
    load_tracking_categories,
    read_tracking_setting,
    tracking_setting,
)


def rate_key(rate: Decimal) -> str:
    """The key MappingOverrides.tax_type_by_rate uses (``10``, ``7.5``)."""
    return f"{Decimal(rate).normalize():f}"


@dataclass
class MappingData:
    """What the mapping page shows: both sides' lookups."""

    billing_codes: list[BillingCode] = field(default_factory=list)
    taxes: list[AutotaskTax] = field(default_factory=list)
    accounts: list[XeroAccount] = field(default_factory=list)
    tax_rates: list[XeroTaxRate] = field(default_factory=list)
    # Revenue by line of business (optional): Autotask lines of business and Xero's tracking categories
    lines_of_business: dict[int, str] = field(default_factory=dict)
    tracking_categories: list[TrackingCategory] = field(default_factory=list)

    def tracking_category(self, name: str) -> TrackingCategory | None:
        return next((c for c in self.tracking_categories if c.name == name), None)

    def active_accounts(self) -> list[XeroAccount]:
        return [a for a in self.accounts if a.status == "ACTIVE" and a.code]

    def revenue_tax_rates(self) -> list[XeroTaxRate]:
        return [r for r in self.tax_rates if r.status == "ACTIVE" and r.can_apply_to_revenue]


def load_mapping_data(autotask: AutotaskClient, xero: XeroClient) -> MappingData:
    """Download active billing codes, taxes and lines of business from Autotask; accounts, tax rates
    and tracking categories from Xero."""
    codes = [BillingCode.from_api(c) for c in autotask.query("BillingCodes", []) if c.get("isActive", True)]
    taxes = [AutotaskTax.from_api(t) for t in autotask.query("Taxes", [])]
    return MappingData(
        sorted(codes, key=lambda c: c.name.casefold()), taxes,
        [XeroAccount.from_api(a) for a in xero.accounts()], [XeroTaxRate.from_api(t) for t in xero.tax_rates()],
        load_lines_of_business(autotask), load_tracking_categories(xero),
    )


@dataclass
class MappingChoice:
    """The mapping page's editable state: account per billing code id, TaxType per Autotask tax id."""

    accounts: dict[int, str] = field(default_factory=dict)
    tax_types: dict[int, str] = field(default_factory=dict)
    contact_match: str = "name_or_account_number"
    tracking_category: str = ""  # "" = none: no Xero tracking is sent
    tracking_options: dict[int, str] = field(default_factory=dict)  # association id -> option name

    @classmethod
    def proposed(cls, data: MappingData, saved: MappingOverrides, contact_match: str) -> MappingChoice:
        """Saved choices first, else externalNumber when it is a Xero account, else a matching rate."""
        valid = {a.code for a in data.active_accounts()}
        accounts = {}
        for code in data.billing_codes:
            chosen = saved.account_by_billing_code.get(code.id, "")
            if not chosen and code.external_number in valid:
                chosen = code.external_number
            accounts[code.id] = chosen
        tax_types = {}
        rates = data.revenue_tax_rates()
        for tax in data.taxes:
            chosen = saved.tax_type_by_rate.get(rate_key(tax.rate), "")
            if not chosen:
                chosen = next((r.tax_type for r in rates if r.effective_rate == tax.rate), "")
            tax_types[tax.id] = chosen
        category = saved.tracking_category if data.tracking_category(saved.tracking_category) else ""
        options = dict(saved.tracking_option_by_lob) if category else {}
        return cls(accounts, tax_types, contact_match.lower(), category, options)

    def check(self, data: MappingData, default_account: str) -> tuple[list[str], list[str]]:
        """(errors that block saving, warnings for anything unmapped)."""
        errors: list[str] = []
        warnings: list[str] = []
        valid = {a.code for a in data.active_accounts()}
        for code in data.billing_codes:
            chosen = self.accounts.get(code.id, "").strip()
            if chosen and chosen not in valid:
                errors.append(f"Billing code '{code.name}': {chosen} is not an active Xero account code.")
            elif not chosen:
                hint = (f" (its external number {code.external_number} is not a Xero account)"
                        if code.external_number else "")
                warnings.append(
                    f"Billing code '{code.name}' has no Xero account{hint}: its lines will use the default "
                    f"account {default_account}."
                )
        types = {r.tax_type: r for r in data.tax_rates}
        by_rate: dict[str, set[str]] = {}
        for tax in data.taxes:
            chosen = self.tax_types.get(tax.id, "")
            if not chosen:
                warnings.append(
                    f"Autotask tax '{tax.name}' ({rate_key(tax.rate)}%) has no Xero tax rate: its lines will "
                    "use the Xero account's default tax rate."
                )
                continue
            if chosen not in types:
                errors.append(f"Autotask tax '{tax.name}': {chosen} is not a Xero tax rate.")
                continue
            if types[chosen].effective_rate != tax.rate:
                warnings.append(
                    f"Autotask tax '{tax.name}' is {rate_key(tax.rate)}% but Xero's {types[chosen].name} is "
                    f"{rate_key(types[chosen].effective_rate)}%: totals will not match."
                )
            by_rate.setdefault(rate_key(tax.rate), set()).add(chosen)
        for key, chosen_types in sorted(by_rate.items()):
            if len(chosen_types) > 1:
                errors.append(
                    f"Autotask taxes of {key}% are mapped to different Xero tax rates ({', '.join(sorted(chosen_types))}); "
                    "Depot GUI chooses the Xero tax rate by percentage, so pick one."
                )
        more_errors, more_warnings = check_tracking(
            self.tracking_category, self.tracking_options, data.lines_of_business, data.tracking_categories)
        errors += more_errors
        warnings += more_warnings
        if self.contact_match not in CONTACT_RULES:
            errors.append(f"Choose how contacts are matched: {', '.join(CONTACT_RULES)}.")
        return errors, warnings

    def overrides(self, data: MappingData) -> MappingOverrides:
        rates = {t.id: rate_key(t.rate) for t in data.taxes}
        return MappingOverrides(
            {cid: code.strip() for cid, code in self.accounts.items() if code.strip()},
            {rates[tid]: tt for tid, tt in self.tax_types.items() if tt and tid in rates},
            self.tracking_category,
            {lob: opt for lob, opt in self.tracking_options.items() if opt} if self.tracking_category else {},
        )


def mapping_settings(store: Store, overrides: MappingOverrides, contact_match: str,
                     tenant: str | None = None) -> dict[str, str]:
    """The settings rows a mapping is saved as (raises SettingError for a bad contact rule); with
    ``tenant``, that organisation's own mapping (``sync.mapping.books``)."""
    settings = store.settings().with_value("contact_match", contact_match)
    return {
        tenant_key(K_MAPPING_ACCOUNTS, tenant): json.dumps(
            {str(k): v for k, v in sorted(overrides.account_by_billing_code.items())}),
        tenant_key(K_MAPPING_TAX_TYPES, tenant): json.dumps(dict(sorted(overrides.tax_type_by_rate.items()))),
        tenant_key(K_MAPPING_TRACKING, tenant): tracking_setting(overrides.tracking_category,
                                                                 overrides.tracking_option_by_lob),
        "contact_match": settings.shown()["contact_match"],
    }


def save_mapping(store: Store, overrides: MappingOverrides, contact_match: str, tenant: str | None = None) -> None:
    """Persist the mapping (settings table, JSON) and the contact matching rule (``tenant``: as that
    organisation's own mapping; None: the saved, default one)."""
    for key, value in mapping_settings(store, overrides, contact_match, tenant).items():
        store.set_setting(key, value)


def load_mapping_overrides(store: Store, tenant: str | None = None) -> MappingOverrides:
    """The mapping saved by the setup wizard (``tenant``: that organisation's own), for the engine
    (empty when none or unreadable)."""
    raw = store.raw_settings()

    def read(key: str) -> dict:
        try:
            value = json.loads(raw.get(tenant_key(key, tenant)) or "{}")
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}

    accounts = {}
    for k, v in read(K_MAPPING_ACCOUNTS).items():
        try:
            accounts[int(k)] = str(v)
        except (TypeError, ValueError):
            continue
    taxes = {rate_key(Decimal(str(k))): str(v) for k, v in read(K_MAPPING_TAX_TYPES).items() if _is_number(k)}
    category, options = read_tracking_setting(raw.get(tenant_key(K_MAPPING_TRACKING, tenant)))
    return MappingOverrides(accounts, taxes, category, options)


def _is_number(text: object) -> bool:
    try:
        return Decimal(str(text)).is_finite()
    except ArithmeticError:
        return False
