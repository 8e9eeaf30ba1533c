"""Autotask invoice + billing items -> the Xero invoice we would send."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from depot_gui.core.contact_index import index_of
from depot_gui.core.contacts import Candidate, broken_link_text, closest
from depot_gui.core.currency import InvoiceCurrency, invoice_currency
from depot_gui.core.models import AutotaskInvoice, BillingItem, ReferenceData, XeroAccount, XeroTaxRate
from depot_gui.core.money import ZERO, fmt_money, round4
from depot_gui.core.numbering import number_to_send, reference_for
from depot_gui.core.settings import Settings
from depot_gui.core.tracking import tracking_for
from depot_gui.core.xero_math import Totals, invoice_totals, line_amount, line_tax

ACCREC = "ACCREC"
ACCRECCREDIT = "ACCRECCREDIT"


@dataclass(frozen=True)
class XeroLine:
    """One line of the Xero invoice, with how it was derived from its billing item."""

    description: str
    quantity: Decimal
    unit_amount: Decimal
    account_code: str
    tax_type: str
    tax_rate: Decimal
    source_item_id: int | None = None
    note: str = ""
    is_rounding: bool = False
    tracking: tuple[tuple[str, str], ...] = ()  # (Xero tracking category, option); none by default

    @property
    def amount(self) -> Decimal:
        return line_amount(self.quantity, self.unit_amount)

    @property
    def tax(self) -> Decimal:
        return line_tax(self.amount, self.tax_rate)

    def payload(self) -> dict[str, Any]:
        """The LineItem we send: Quantity + UnitAmount, never LineAmount or discounts."""
        item: dict[str, Any] = {
            "Description": self.description[:4000] or "-",
            # Exactly what Xero keeps (4 dp with unitdp=4), so a re-sync compares like with like.
            "Quantity": round4(self.quantity),
            "UnitAmount": round4(self.unit_amount),
            "AccountCode": self.account_code,
        }
        if self.tax_type:
            item["TaxType"] = self.tax_type
        if self.tracking:
            item["Tracking"] = [{"Name": name, "Option": option} for name, option in self.tracking]
        return item


@dataclass(frozen=True)
class ContactRef:
    """The Xero contact the invoice goes to: an existing one, or one to create."""

    name: str
    account_number: str = ""
    contact_id: str = ""
    # the closest existing contacts when none matches exactly and none was chosen: the
    # invoice waits for the user's choice (nothing is created in Xero meanwhile)
    candidates: tuple[Candidate, ...] = ()
    # why the chosen contact cannot take invoices (archived, gone); empty when it can
    problem: str = ""
    decision: str = ""  # how it was chosen: ContactLink.decision, "match" (exact), "" (new)
    company_id: int | None = None  # the Autotask company it is for

    @property
    def exists(self) -> bool:
        return bool(self.contact_id)

    @property
    def needs_choice(self) -> bool:
        """No exact contact, close ones exist, and the user has not chosen: do not create one."""
        return not self.contact_id and bool(self.candidates)


@dataclass(frozen=True)
class XeroDraft:
    """The Xero invoice that would be sent (before any rounding line unless one was added)."""

    invoice_number: str
    reference: str
    contact: ContactRef
    date: date | None
    due_date: date | None
    lines: tuple[XeroLine, ...]
    warnings: tuple[str, ...] = ()
    # Sent as CurrencyCode when the invoice is not in the organisation's base currency ("": base),
    # with CurrencyRate only when the user chose Autotask's exchange rate (None: Xero's rate of the day)
    currency_code: str = ""
    currency_rate: Decimal | None = None
    # Lines whose Autotask tax rate no active Xero tax rate has: (line, Autotask rate %). The
    # audit never sends these (a tax_mapping mismatch whatever the tolerance).
    untaxed: tuple[tuple[str, Decimal], ...] = ()

    def totals(self, include_rounding: bool = True) -> Totals:
        """SubTotal / TotalTax / Total as Xero will compute them for these lines."""
        return invoice_totals(
            (line.quantity, line.unit_amount, line.tax_rate)
            for line in self.lines
            if include_rounding or not line.is_rounding
        )

    def with_rounding_line(self, amount: Decimal, account: str, tax_type: str) -> "XeroDraft":
        line = XeroLine(
            description="Rounding adjustment to match the Autotask invoice total",
            quantity=Decimal("1"),
            unit_amount=amount,
            account_code=account,
            tax_type=tax_type,
            tax_rate=ZERO,
            note="rounding",
            is_rounding=True,
        )
        return replace(self, lines=self.lines + (line,))

    @property
    def type(self) -> str:
        """ACCREC, or ACCRECCREDIT when the total is negative (Xero cannot approve those)."""
        return ACCRECCREDIT if self.totals().total < 0 else ACCREC

    def payload(self, status: str) -> dict[str, Any]:
        """The Invoices element (or CreditNotes element for a credit) sent to Xero."""
        credit = self.type == ACCRECCREDIT
        lines = []
        for line in self.lines:
            item = line.payload()
            if credit:
                # A credit note carries the amounts as positives; the type gives the sign.
                q, u = line.quantity, line.unit_amount
                item["Quantity"], item["UnitAmount"] = (q, -u) if q >= 0 else (-q, u)
            lines.append(item)
        contact: dict[str, Any] = (
            {"ContactID": self.contact.contact_id} if self.contact.exists else {"Name": self.contact.name}
        )
        body: dict[str, Any] = {
            "Type": self.type,
            "Contact": contact,
            "LineItems": lines,
            "LineAmountTypes": "Exclusive",
            "Reference": self.reference,
            "Status": status,
        }
        if self.invoice_number:  # none: Xero's own sequence numbers it
            body["CreditNoteNumber" if credit else "InvoiceNumber"] = self.invoice_number
        if self.currency_code:
            body["CurrencyCode"] = self.currency_code
            if self.currency_rate is not None:
                body["CurrencyRate"] = self.currency_rate
        if self.date:
            body["Date"] = self.date.isoformat()
        if self.due_date and not credit:
            body["DueDate"] = self.due_date.isoformat()
        return body


@dataclass(frozen=True)
class MappingOverrides:
    """Choices made in the setup wizard's Mapping page (empty: derive everything)."""

    account_by_billing_code: dict[int, str] = field(default_factory=dict)
    tax_type_by_rate: dict[str, str] = field(default_factory=dict)
    # Revenue by line of business: a Xero tracking category ("" = none, the default) and the option
    # chosen for each Autotask line of business (OrganizationalLevelAssociation id).
    tracking_category: str = ""
    tracking_option_by_lob: dict[int, str] = field(default_factory=dict)
    inherited: bool = False  # made for another Xero organisation: only the codes this one has count


def autotask_tax_rate(item: BillingItem, invoice: AutotaskInvoice, ref: ReferenceData) -> Decimal | None:
    """The Autotask tax percentage that applies to the item (None when no tax row matches)."""
    company = ref.companies.get(invoice.company_id or -1)
    if company is not None and company.is_tax_exempt:
        return ZERO
    category = item.tax_category_id
    if category is None and item.billing_code_id is not None:
        code = ref.billing_codes.get(item.billing_code_id)
        category = code.tax_category_id if code else None
    if category is None:
        return ZERO
    region = company.tax_region_id if company else None
    if region is None and invoice.tax_region_name:
        region = next((rid for rid, name in ref.tax_regions.items() if name == invoice.tax_region_name), None)
    rows = [t for t in ref.taxes if t.tax_region_id == region and t.tax_category_id == category]
    if not rows:
        return None
    simple = sum((t.rate for t in rows if not t.is_compounded), ZERO)
    rate = simple
    for t in rows:
        if t.is_compounded:
            rate = rate + t.rate + rate * t.rate / Decimal(100)
    return rate


def choose_tax_rate(
    rate: Decimal, account: XeroAccount | None, ref: ReferenceData, overrides: MappingOverrides
) -> XeroTaxRate | None:
    """The Xero tax rate whose effective rate equals the Autotask one (account's default first)."""
    key = f"{rate.normalize():f}"
    if key in overrides.tax_type_by_rate:
        chosen = ref.tax_rate(overrides.tax_type_by_rate[key])
        if chosen:
            return chosen
    candidates = [
        r for r in ref.tax_rates if r.status == "ACTIVE" and r.can_apply_to_revenue and r.effective_rate == rate
    ]
    if account is not None:
        for r in candidates:
            if r.tax_type == account.tax_type:
                return r
    return candidates[0] if candidates else None


def match_contact(
    company_name: str, company_number: str, ref: ReferenceData, settings: Settings, company_id: int | None = None
) -> ContactRef:
    """The Xero contact for an Autotask company: the one chosen for it, an exact match, or a new
    one; a new one only when no existing contact is close (else the closest, to choose from)."""
    return replace(_contact_for(company_name, company_number, ref, settings, company_id), company_id=company_id)


def _contact_for(
    company_name: str, company_number: str, ref: ReferenceData, settings: Settings, company_id: int | None
) -> ContactRef:
    link = ref.contact_links.get(company_id) if company_id is not None else None
    directory = index_of(ref)
    if link is not None and link.contact_id:
        found = directory.by_id(link.contact_id)
        if found is not None and found.status == "ACTIVE":
            return ContactRef(found.name, found.account_number, found.contact_id, decision=link.decision)
        if found is not None or ref.contacts_complete:
            return ContactRef(link.contact_name, "", "", problem=broken_link_text(company_name, link, found),
                              decision=link.decision)
        # not read this time (no directory): trust the choice; Xero refuses an archived contact
        return ContactRef(link.contact_name, "", link.contact_id, decision=link.decision)
    by_name = settings.contact_match in ("NAME", "NAME_OR_ACCOUNT_NUMBER")
    by_number = settings.contact_match in ("ACCOUNT_NUMBER", "NAME_OR_ACCOUNT_NUMBER")
    # One exact match is the contact; two or more (names apart only by spacing or case, a shared
    # account number) are the user's choice, like a near match: never the first one silently.
    for matches, exact, key in ((by_name and company_name, directory.named, company_name),
                                (by_number and company_number, directory.numbered, company_number)):
        if not matches:
            continue
        found = exact(key)
        if len(found) > 1 and company_number:  # the account number may tell them apart
            found = [c for c in found if (c.account_number or "").strip() == company_number] or found
        if len(found) == 1:
            return ContactRef(found[0].name, found[0].account_number, found[0].contact_id, decision="match")
        if found:
            return ContactRef(company_name, company_number, candidates=closest(company_name, company_number, found))
    return ContactRef(company_name, company_number, candidates=directory.closest(company_name, company_number))


def map_invoice(
    invoice: AutotaskInvoice,
    items: list[BillingItem],
    ref: ReferenceData,
    settings: Settings,
    overrides: MappingOverrides | None = None,
) -> XeroDraft:
    """Build the Xero invoice for an Autotask invoice: one line per billing item."""
    overrides = overrides or MappingOverrides()
    problems: dict[str, list[str]] = {}  # one warning per kind of problem, naming its lines

    def warn(message: str, label: str) -> None:
        problems.setdefault(message, []).append(label)

    lines: list[XeroLine] = []
    untaxed: list[tuple[str, Decimal]] = []
    for item in sorted(items, key=lambda i: (i.line_item_id or 0, i.id)):
        account_code = _account_code(item, ref, settings, overrides, warn)
        account = ref.account(account_code)
        at_rate = autotask_tax_rate(item, invoice, ref)
        if at_rate is None or (at_rate == 0 and item.tax_dollars):
            implied = rate_from_item(item, ref)
            if implied is not None:
                warn("The Autotask tax of these lines could not be found, so the rate is taken from each "
                     "line's own tax", item.label)
                at_rate = implied
        if at_rate is None:
            warn("No Autotask tax is defined for the tax region and category of these lines; the Xero "
                 "account's default tax rate is used", item.label)
            chosen = ref.tax_rate(account.tax_type) if account else None
        else:
            chosen = choose_tax_rate(at_rate, account, ref, overrides)
            if chosen is None:
                warn(f"No active Xero tax rate is {at_rate.normalize():f}%; the Xero account's default tax "
                     "rate is used", item.label)
                untaxed.append((item.label, at_rate))
                chosen = ref.tax_rate(account.tax_type) if account else None
        tax_type = chosen.tax_type if chosen else (account.tax_type if account else "")
        tax_rate = chosen.effective_rate if chosen else ZERO
        quantity, unit, note = _quantity_and_unit(item, settings)
        lines.append(
            XeroLine(
                description=item.label,
                quantity=quantity,
                unit_amount=unit,
                account_code=account_code,
                tax_type=tax_type,
                tax_rate=tax_rate,
                source_item_id=item.id,
                note=note,
                tracking=tracking_for(item.lob_id, item.label, overrides.tracking_category,
                                      overrides.tracking_option_by_lob, ref.tracking, warn),
            )
        )
    warnings = [f"{message}: {name_some(labels)}." for message, labels in problems.items()]
    company = ref.companies.get(invoice.company_id or -1)
    contact = match_contact(company.name if company else "", company.number if company else "", ref, settings,
                            invoice.company_id)
    if not contact.name:
        warnings.append("The Autotask company of this invoice was not found; the Xero contact cannot be chosen.")
    inv_date = invoice.invoice_date.date() if invoice.invoice_date else None
    due = invoice.due_date.date() if invoice.due_date else None
    if due is None and inv_date is not None:
        due = inv_date + timedelta(days=30)
    currency = currency_of(invoice, ref)
    foreign = currency.code if currency.code and currency.code != ref.base_currency else ""
    return XeroDraft(
        invoice_number=number_to_send(settings.numbering, settings.number_prefix, invoice.number),
        reference=reference_for(settings.numbering, invoice.id, invoice.number),
        contact=contact,
        date=inv_date,
        due_date=due,
        lines=tuple(lines),
        warnings=tuple(dict.fromkeys(warnings)),
        currency_code=foreign,
        currency_rate=currency.autotask_rate if foreign and settings.exchange_rate == "AUTOTASK" else None,
        untaxed=tuple(untaxed),
    )


def currency_of(invoice: AutotaskInvoice, ref: ReferenceData) -> InvoiceCurrency:
    """The currency of the invoice's amounts: its company's Autotask currency, else the base one."""
    company = ref.companies.get(invoice.company_id or -1)
    return invoice_currency(company.currency_id if company else None, ref.currencies, ref.base_currency)


def _account_code(item: BillingItem, ref: ReferenceData, settings: Settings, overrides: MappingOverrides, warn) -> str:
    code = ref.billing_codes.get(item.billing_code_id or -1)
    if item.billing_code_id in overrides.account_by_billing_code:
        return overrides.account_by_billing_code[item.billing_code_id]  # type: ignore[index]
    if code and code.external_number:
        if ref.account(code.external_number) or not ref.accounts:
            return code.external_number
        if code.external_number != settings.default_account:
            # said only when true: a default account missing too is the invoice's error (audit), said once
            instead = f"; the default account {settings.default_account} is used" if ref.account(settings.default_account) else ""
            warn(f"Billing code '{code.name}' points to Xero account {code.external_number}, which is not an "
                 f"active account in Xero{instead}", item.label)
    return settings.default_account


def rate_from_item(item: BillingItem, ref: ReferenceData) -> Decimal | None:
    """The Xero revenue rate that reproduces the item's own tax exactly (None when none does)."""
    if not item.extended_price:
        return None
    for rate in ref.tax_rates:
        if rate.status == "ACTIVE" and rate.can_apply_to_revenue and line_tax(item.extended_price, rate.effective_rate) == item.tax_dollars:
            if rate.effective_rate or not item.tax_dollars:
                return rate.effective_rate
    return None


def name_some(labels: list[str], most: int = 3) -> str:
    """'A', 'B', 'C' and 12 more lines."""
    shown = ", ".join(f"'{x}'" for x in labels[:most])
    rest = len(labels) - most
    return shown + (f" and {rest:,} more line{'s' if rest != 1 else ''}" if rest > 0 else "")


def _quantity_and_unit(item: BillingItem, settings: Settings) -> tuple[Decimal, Decimal, str]:
    """Xero rejects negative quantities: move the sign, or (opt-in) send 1 x the line total."""
    if item.quantity >= 0:
        return item.quantity, item.rate, ""
    if settings.service_adjustments and item.is_service_adjustment:
        return (
            Decimal("1"),
            item.extended_price,
            f"Service adjustment support: sent as 1 x {fmt_money(item.extended_price)} "
            f"instead of {item.quantity.normalize():f} x {item.rate.normalize():f}",
        )
    return (
        -item.quantity,
        -item.rate,
        f"Negative quantity: sent as {(-item.quantity).normalize():f} x {(-item.rate).normalize():f}",
    )
