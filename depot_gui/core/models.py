"""Domain records for both sides, built from the APIs' wire dicts (camelCase / PascalCase)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

from depot_gui.core.money import to_decimal


def parse_autotask_datetime(value: object) -> datetime | None:
    """Parse Autotask's ISO timestamps; naive values are UTC (both readings occur)."""
    if not value or not isinstance(value, str):
        return None
    text = value.strip().replace("Z", "+00:00")
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.astimezone(timezone.utc)


def _int(value: object) -> int | None:
    if value is None or value == "":
        return None
    try:
        return int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def _str(value: object) -> str:
    return "" if value is None else str(value)


@dataclass(frozen=True)
class BillingItem:
    """One Autotask billing item (a line of an invoice)."""

    id: int
    invoice_id: int | None
    item_name: str
    description: str
    quantity: Decimal
    rate: Decimal
    extended_price: Decimal
    tax_dollars: Decimal
    total_amount: Decimal
    billing_code_id: int | None = None
    tax_category_id: int | None = None
    lob_id: int | None = None
    line_item_id: int | None = None
    service_adjustment_id: int | None = None
    billing_item_type: int | None = None

    @classmethod
    def from_api(cls, d: dict[str, Any]) -> "BillingItem":
        ext = to_decimal(d.get("extendedPrice"))
        tax = to_decimal(d.get("taxDollars"))
        total = d.get("totalAmount")
        return cls(
            id=int(d["id"]),
            invoice_id=_int(d.get("invoiceID")),
            item_name=_str(d.get("itemName")),
            description=_str(d.get("description")),
            quantity=to_decimal(d.get("quantity")),
            rate=to_decimal(d.get("rate")),
            extended_price=ext,
            tax_dollars=tax,
            total_amount=to_decimal(total) if total is not None else ext + tax,
            billing_code_id=_int(d.get("billingCodeID")),
            tax_category_id=_int(d.get("taxCategoryID")),
            lob_id=_int(d.get("organizationalLevelAssociationID")),
            line_item_id=_int(d.get("lineItemID")),
            service_adjustment_id=_int(d.get("contractServiceAdjustmentID")),
            billing_item_type=_int(d.get("billingItemType")),
        )

    @property
    def is_service_adjustment(self) -> bool:
        """The combined service adjustment pattern (seed, option 3): a negative quantity with a
        positive line total, or a line Autotask made from a contract service adjustment."""
        return self.quantity < 0 and (self.extended_price > 0 or self.service_adjustment_id is not None)

    @property
    def label(self) -> str:
        """The text a bookkeeper recognises: item name, plus description when it adds something."""
        name, desc = self.item_name.strip(), self.description.strip()
        if name and desc and desc != name:
            return f"{name} - {desc}"
        return name or desc or f"Billing item {self.id}"


@dataclass(frozen=True)
class AutotaskInvoice:
    """An Autotask invoice header."""

    id: int
    number: str
    company_id: int | None
    invoice_date: datetime | None
    due_date: datetime | None
    created_at: datetime | None
    total: Decimal
    tax_total: Decimal
    is_voided: bool = False
    web_service_date: datetime | None = None
    tax_region_name: str = ""
    comments: str = ""
    payment_term_id: int | None = None

    @classmethod
    def from_api(cls, d: dict[str, Any]) -> "AutotaskInvoice":
        number = _str(d.get("invoiceNumber")).strip()
        return cls(
            id=int(d["id"]),
            number=number or str(int(d["id"])),
            company_id=_int(d.get("companyID")),
            invoice_date=parse_autotask_datetime(d.get("invoiceDateTime")),
            due_date=parse_autotask_datetime(d.get("dueDate")),
            created_at=parse_autotask_datetime(d.get("createDateTime")),
            total=to_decimal(d.get("invoiceTotal")),
            tax_total=to_decimal(d.get("totalTaxValue")),
            is_voided=bool(d.get("isVoided")),
            web_service_date=parse_autotask_datetime(d.get("webServiceDate")),
            tax_region_name=_str(d.get("taxRegionName")),
            comments=_str(d.get("comments")),
            payment_term_id=_int(d.get("paymentTerm")),
        )

    @property
    def sub_total(self) -> Decimal:
        return self.total - self.tax_total


@dataclass(frozen=True)
class Company:
    id: int
    name: str
    number: str = ""
    tax_region_id: int | None = None
    is_tax_exempt: bool = False
    currency_id: int | None = None  # Autotask Currencies id (None: the base currency)

    @classmethod
    def from_api(cls, d: dict[str, Any]) -> "Company":
        return cls(
            id=int(d["id"]),
            name=_str(d.get("companyName")).strip(),
            number=_str(d.get("companyNumber")).strip(),
            tax_region_id=_int(d.get("taxRegionID")),
            is_tax_exempt=bool(d.get("isTaxExempt")),
            currency_id=_int(d.get("currencyID")),
        )


@dataclass(frozen=True)
class BillingCode:
    id: int
    name: str
    external_number: str = ""
    tax_category_id: int | None = None

    @classmethod
    def from_api(cls, d: dict[str, Any]) -> "BillingCode":
        return cls(
            id=int(d["id"]),
            name=_str(d.get("name")),
            external_number=_str(d.get("externalNumber")).strip(),
            tax_category_id=_int(d.get("taxCategoryID")),
        )


@dataclass(frozen=True)
class AutotaskTax:
    """A `Taxes` row: the rate for one (tax region, tax category) pair."""

    id: int
    tax_region_id: int | None
    tax_category_id: int | None
    name: str
    rate: Decimal
    is_compounded: bool = False

    @classmethod
    def from_api(cls, d: dict[str, Any]) -> "AutotaskTax":
        return cls(
            id=int(d["id"]),
            tax_region_id=_int(d.get("taxRegionID")),
            tax_category_id=_int(d.get("taxCategoryID")),
            name=_str(d.get("taxName")),
            rate=to_decimal(d.get("taxRate")),
            is_compounded=bool(d.get("isCompounded")),
        )


@dataclass(frozen=True)
class XeroAccount:
    code: str
    name: str
    type: str = ""
    status: str = "ACTIVE"
    tax_type: str = ""
    system_account: str = ""

    @classmethod
    def from_api(cls, d: dict[str, Any]) -> "XeroAccount":
        return cls(
            code=_str(d.get("Code")),
            name=_str(d.get("Name")),
            type=_str(d.get("Type")),
            status=_str(d.get("Status")) or "ACTIVE",
            tax_type=_str(d.get("TaxType")),
            system_account=_str(d.get("SystemAccount")),
        )


@dataclass(frozen=True)
class XeroTaxRate:
    tax_type: str
    name: str
    effective_rate: Decimal
    status: str = "ACTIVE"
    can_apply_to_revenue: bool = True

    @classmethod
    def from_api(cls, d: dict[str, Any]) -> "XeroTaxRate":
        return cls(
            tax_type=_str(d.get("TaxType")),
            name=_str(d.get("Name")),
            effective_rate=to_decimal(d.get("EffectiveRate", d.get("DisplayTaxRate"))),
            status=_str(d.get("Status")) or "ACTIVE",
            can_apply_to_revenue=bool(d.get("CanApplyToRevenue", True)),
        )


@dataclass(frozen=True)
class XeroContact:
    contact_id: str
    name: str
    account_number: str = ""
    status: str = "ACTIVE"

    @classmethod
    def from_api(cls, d: dict[str, Any]) -> "XeroContact":
        return cls(
            contact_id=_str(d.get("ContactID")),
            name=_str(d.get("Name")),
            account_number=_str(d.get("AccountNumber")),
            status=_str(d.get("ContactStatus")) or "ACTIVE",
        )


ITEM_ENTITIES = ("Invoices", "BillingItems")


@dataclass(frozen=True)
class LobAccess:
    """What the API user can see of the lines of business (evidence for `lob_access`).

    ``restricted`` is True when the user is tied to some lines of business and at least one
    active association is outside its set; ``hidden`` names those associations.
    """

    in_use: bool = False
    restricted: bool = False
    user_lobs: tuple[str, ...] = ()
    hidden: tuple[str, ...] = ()
    hidden_ids: tuple[int, ...] = ()
    restricted_entities: tuple[str, ...] = ()
    checked: bool = True
    note: str = ""

    @property
    def item_hiding_entities(self) -> tuple[str, ...]:
        """Restricted entities that can hide billing items (Invoices, BillingItems); Restricted
        access to Taxes or BillingCodes cannot leave items out of a download."""
        return tuple(e for e in self.restricted_entities if e.split(" ", 1)[0] in ITEM_ENTITIES)

    @property
    def hides_items(self) -> bool:
        """Evidence that Autotask may leave billing items out for this API user."""
        return self.restricted or bool(self.item_hiding_entities)


@dataclass
class ReferenceData:
    """Everything the mapping needs besides the invoice: both sides' lookups."""

    companies: dict[int, Company] = field(default_factory=dict)
    billing_codes: dict[int, BillingCode] = field(default_factory=dict)
    taxes: list[AutotaskTax] = field(default_factory=list)
    tax_regions: dict[int, str] = field(default_factory=dict)
    accounts: list[XeroAccount] = field(default_factory=list)
    tax_rates: list[XeroTaxRate] = field(default_factory=list)
    contacts: list[XeroContact] = field(default_factory=list)
    # True when ``contacts`` is the organisation's whole directory (archived included), so a
    # contact missing from it is gone; False when only the exact matches were looked up
    contacts_complete: bool = False
    # company id -> core.contacts.ContactLink: the contact chosen for it in this organisation
    contact_links: dict[int, Any] = field(default_factory=dict)
    lob: LobAccess = field(default_factory=LobAccess)
    # Xero's active tracking categories and their active options (None: not read, none chosen)
    tracking: dict[str, tuple[str, ...]] | None = None
    # Autotask Currencies by id (core.currency.AutotaskCurrency; empty: no multi-currency), the Xero
    # organisation's name and base currency, and the currencies it added (None: not read)
    currencies: dict[int, Any] = field(default_factory=dict)
    organisation: str = ""
    base_currency: str = ""
    xero_currencies: tuple[str, ...] | None = None
    # core.contact_index.ContactIndex of ``contacts``, built by core.mapping when first needed
    contact_index: Any = field(default=None, repr=False, compare=False)

    def account(self, code: str) -> XeroAccount | None:
        for acc in self.accounts:
            if acc.code == code and acc.status == "ACTIVE":
                return acc
        return None

    def rounding_account(self) -> XeroAccount | None:
        for acc in self.accounts:
            if acc.system_account == "ROUNDING" and acc.status == "ACTIVE":
                return acc
        return None

    def tax_rate(self, tax_type: str) -> XeroTaxRate | None:
        for rate in self.tax_rates:
            if rate.tax_type == tax_type:
                return rate
        return None

