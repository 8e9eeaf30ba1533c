"""The audit: build the Xero invoice, compare totals with Autotask, decide, explain."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal

from depot_gui.core.books import unmapped_accounts, within_books
from depot_gui.core.contacts import choice_text
from depot_gui.core.currency import currency_problem
from depot_gui.core.diagnosis import Cause, Evidence, diagnose
from depot_gui.core.mapping import MappingOverrides, XeroDraft, currency_of, map_invoice
from depot_gui.core.models import AutotaskInvoice, BillingItem, ReferenceData
from depot_gui.core.money import CENT, ZERO, fmt_money
from depot_gui.core.settings import Settings

READY = "ready"
SYNCED = "synced"
MISMATCH = "mismatch"
ERROR = "error"
CONFLICT = "conflict"  # Xero holds a document under this number that is not ours, or a number is shared
STATUSES = (READY, SYNCED, MISMATCH, CONFLICT, ERROR)
LOB_CHECK = "lob_access"  # the name of the line-of-business check in ``unchecked``


@dataclass(frozen=True)
class LineComparison:
    """One row of the side-by-side view: an Autotask billing item and its Xero line."""

    item_id: int | None
    label: str
    at_quantity: Decimal | None
    at_rate: Decimal | None
    at_amount: Decimal | None
    at_tax: Decimal | None
    xero_quantity: Decimal | None
    xero_unit: Decimal | None
    xero_amount: Decimal | None
    xero_tax: Decimal | None
    note: str = ""

    @property
    def changed(self) -> bool:
        if self.at_amount is None or self.xero_amount is None:
            return True
        return self.at_amount != self.xero_amount or self.at_tax != self.xero_tax


@dataclass(frozen=True)
class AuditResult:
    """Everything one audit found about one invoice."""

    autotask_id: int
    invoice_number: str
    company: str
    status: str
    autotask_total: Decimal
    xero_total: Decimal
    difference: Decimal
    rounding_line: Decimal
    tolerance: Decimal
    causes: tuple[Cause, ...] = ()
    explanation: str = ""
    draft: XeroDraft | None = None
    lines: tuple[LineComparison, ...] = ()
    warnings: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    xero_invoice_id: str | None = None
    extra: dict = field(default_factory=dict)
    unchecked: tuple[str, ...] = ()  # checks that could not run (never reported as passed)
    currency: str = ""  # ISO code of every amount above (the Autotask company's currency, else the base one)
    organisation: str = ""  # the name of the Xero organisation the invoice goes (or went) to

    @property
    def cause_codes(self) -> list[str]:
        return [c.code for c in self.causes]

    @property
    def verdict(self) -> str:
        """The explanation's first sentence: the one-line verdict."""
        return self.explanation.split("\n", 1)[0]


def compare_lines(items: list[BillingItem], draft: XeroDraft) -> tuple[LineComparison, ...]:
    by_item = {ln.source_item_id: ln for ln in draft.lines if not ln.is_rounding}
    rows = []
    for item in sorted(items, key=lambda i: (i.line_item_id or 0, i.id)):
        ln = by_item.get(item.id)
        rows.append(
            LineComparison(
                item.id,
                item.label,
                item.quantity,
                item.rate,
                item.extended_price,
                item.tax_dollars,
                ln.quantity if ln else None,
                ln.unit_amount if ln else None,
                ln.amount if ln else None,
                ln.tax if ln else None,
                ln.note if ln else "",
            )
        )
    for ln in draft.lines:
        if ln.is_rounding:
            rows.append(
                LineComparison(None, ln.description, None, None, None, None, ln.quantity, ln.unit_amount, ln.amount, ln.tax, "rounding line")
            )
    return tuple(rows)


def _zero_tax_type(ref: ReferenceData, account_tax_type: str) -> str | None:
    """A 0% tax type for the rounding line (the account's own first), or None when Xero has none."""
    own = ref.tax_rate(account_tax_type)
    if own is not None and own.effective_rate == 0 and own.status == "ACTIVE":
        return own.tax_type
    for rate in ref.tax_rates:
        if rate.status == "ACTIVE" and rate.effective_rate == 0 and rate.can_apply_to_revenue:
            return rate.tax_type
    return None


def audit_invoice(
    invoice: AutotaskInvoice,
    items: list[BillingItem],
    ref: ReferenceData,
    settings: Settings,
    evidence: Evidence | None = None,
    overrides: MappingOverrides | None = None,
) -> AuditResult:
    """Map, total with Xero's rules, compare with Autotask, diagnose; pure function.

    Every amount is compared in the invoice's own currency; an invoice in a currency the Xero
    organisation has not added is an error (never sent in another currency)."""
    currency = currency_of(invoice, ref)
    other_books = overrides is not None and overrides.inherited
    if other_books:  # the mapping of another organisation: only the codes these books have
        overrides = within_books(overrides, ref)
    result = _audit(invoice, items, ref, settings, evidence, overrides, other_books, currency.code)
    result = replace(result, currency=currency.code, organisation=ref.organisation)
    if currency.code and ref.base_currency and currency.code != ref.base_currency:  # for the exchange-rate preview
        rate = currency.autotask_rate
        result = replace(result, extra={**result.extra, "base_currency": ref.base_currency,
                                        "autotask_rate": None if rate is None else str(rate)})
    problem = currency_problem(currency, ref.base_currency, ref.xero_currencies, ref.organisation)
    if problem and not invoice.is_voided:
        extra = {k: v for k, v in result.extra.items() if k != "contact_choice"}
        unchecked = ("currency",) if currency.unread else ()
        result = replace(result, status=ERROR, explanation=problem, causes=(), rounding_line=ZERO, unchecked=unchecked,
                         extra={**extra, "currency_missing": currency.code})
        if result.draft is not None:  # no rounding line: the amounts stay Autotask's, nothing is sent
            result = replace(result, draft=replace(result.draft, lines=tuple(
                ln for ln in result.draft.lines if not ln.is_rounding)))
    return result


def _audit(
    invoice: AutotaskInvoice,
    items: list[BillingItem],
    ref: ReferenceData,
    settings: Settings,
    evidence: Evidence | None,
    overrides: MappingOverrides | None,
    other_books: bool = False,
    currency: str = "",
) -> AuditResult:
    evidence = evidence or Evidence(lob=ref.lob)
    company = ref.companies.get(invoice.company_id or -1)
    company_name = company.name if company else ""
    draft = map_invoice(invoice, items, ref, settings, overrides)
    totals = draft.totals(include_rounding=False)
    difference = invoice.total - totals.total
    notes: list[str] = []
    warnings = list(draft.warnings)
    if evidence.items_changed:
        notes.append(
            f"The first download had {evidence.first_item_count} billing items and a second one {len(items)}: "
            "Autotask was still attaching items, and the second download is used."
        )
    if invoice.is_voided:
        return AuditResult(
            invoice.id, invoice.number, company_name, ERROR, invoice.total, totals.total, difference, ZERO,
            settings.tolerance, (), "This invoice is voided in Autotask, so it is not synced.",
            draft, compare_lines(items, draft), tuple(warnings), tuple(notes),
        )
    if draft.untaxed or abs(difference) > settings.tolerance:
        causes = tuple(diagnose(invoice, items, draft, settings, evidence, currency))
        if draft.untaxed:  # never absorbed by a rounding line, whatever the tolerance
            found = next((c for c in causes if c.code == "tax_mapping"), None)
            causes = (untaxed_cause(draft, difference, found),) + tuple(c for c in causes if c.code != "tax_mapping")
        unchecked = () if evidence.lob.checked else (LOB_CHECK,)
        explanation = (_untaxed_text(invoice, draft, totals.total, difference, causes, currency) if draft.untaxed
                       else _mismatch_text(invoice, totals.total, difference, settings, causes, currency))
        if unchecked:
            explanation += "\nNot checked: whether the API user sees every line of business" + (
                f" ({evidence.lob.note.rstrip('.')})." if evidence.lob.note else "."
            )
        return AuditResult(
            invoice.id, invoice.number, company_name, MISMATCH, invoice.total, totals.total, difference, ZERO,
            settings.tolerance, causes, explanation, draft, compare_lines(items, draft), tuple(warnings), tuple(notes),
            unchecked=unchecked,
        )
    unmapped, unknown = unmapped_accounts(draft, items, ref), _unknown_account(draft, ref, settings, difference)
    # in books the settings were not made for, say which billing codes to map there, not which setting to change
    blocker = _cannot_send(items, draft, evidence) or ((unmapped or unknown) if other_books else (unknown or unmapped))
    if blocker:
        extra = {}
        if draft.contact.needs_choice or draft.contact.problem:
            extra["contact_choice"] = {
                "company_id": invoice.company_id, "company": draft.contact.name if draft.contact.needs_choice
                else company_name, "candidates": [c.to_json() for c in draft.contact.candidates],
            }
        return AuditResult(
            invoice.id, invoice.number, company_name, ERROR, invoice.total, totals.total, difference, ZERO,
            settings.tolerance, (), blocker, draft, compare_lines(items, draft), tuple(warnings), tuple(notes),
            extra=extra,
        )
    rounding = ZERO
    if difference:
        account = _rounding_account(ref, settings)
        zero_tax = _zero_tax_type(ref, account.tax_type) if account else None
        if account is None or zero_tax is None:
            warnings.append(
                ("No rounding account was found in Xero" if account is None else "Xero has no 0% tax rate for "
                 "the rounding line") + f", so the Xero invoice will differ from Autotask by "
                f"{fmt_money(difference, currency)}. Choose a rounding account in Settings."
            )
        else:
            draft = draft.with_rounding_line(difference, account.code, zero_tax)
            rounding = difference
            if not items or abs(difference) > CENT * (len(items) + 1):
                notes.append(
                    f"The difference of {fmt_money(difference, currency)} is within the maximum rounding difference but larger than rounding "
                    "alone would give; check the lines."
                )
    explanation = (_credit_ready_text(invoice.total, totals.total, difference, rounding, currency)
                   if invoice.total < 0 else _ready_text(totals.total, difference, rounding, draft, settings, currency))
    return AuditResult(
        invoice.id, invoice.number, company_name, READY, invoice.total, totals.total, difference, rounding,
        settings.tolerance, (), explanation, draft, compare_lines(items, draft), tuple(warnings), tuple(notes),
    )


def _cannot_send(items: list[BillingItem], draft: XeroDraft, evidence: Evidence) -> str:
    """Why an invoice within tolerance must still not be sent (empty when it may)."""
    if not items:
        hidden = " Its items may be on lines of business the API user cannot see." if evidence.lob.restricted else ""
        return (
            "Not synced: Autotask returned no billing items for this invoice, so there is nothing to put on the "
            f"Xero invoice.{hidden} Check the invoice in Autotask, then press Re-sync."
        )
    if not draft.contact.name:
        return (
            "Not synced: the Autotask company of this invoice was not found, so the Xero contact cannot be "
            "chosen. Check that the API user can see the company, then press Re-sync."
        )
    if draft.contact.problem:
        return draft.contact.problem
    if draft.contact.needs_choice:
        return choice_text(draft.contact.name, draft.contact.candidates)
    return ""


def _unknown_account(draft: XeroDraft, ref: ReferenceData, settings: Settings, difference: Decimal) -> str:
    """Why an account the invoice would use is not in the organisation's chart of accounts ("" when all are)."""
    if not ref.accounts:  # the chart was not read: Xero itself refuses an unknown code
        return ""
    used = [ln.account_code for ln in draft.lines if not ln.is_rounding]
    if settings.default_account in used and ref.account(settings.default_account) is None:
        return account_problem("default_account", settings.default_account, "Re-sync")
    if difference and settings.rounding_account and ref.account(settings.rounding_account) is None:
        return account_problem("rounding_account", settings.rounding_account, "Re-sync")
    return ""


def account_problem(key: str, code: str, then: str = "") -> str:
    """A setting naming an account the Xero organisation does not have (or not as an active one)."""
    what = {"default_account": "default sales account", "rounding_account": "rounding account"}[key]
    shown = code if len(code) <= 40 else code[:40] + "…"
    return (f"Not synced: the {what} \u201c{shown}\u201d in Settings is not an active account in this Xero "
            "organisation's chart of accounts. Choose one of its account codes (window: Settings; command line: "
            f"depot-sync settings set {key} CODE){', then press ' + then if then else ''}.")


def _rounding_account(ref: ReferenceData, settings: Settings):
    if settings.rounding_account:
        return ref.account(settings.rounding_account)
    return ref.rounding_account()


def _ready_text(xero_total: Decimal, difference: Decimal, rounding: Decimal, draft: XeroDraft, settings: Settings,
                currency: str = "") -> str:
    if not difference:
        return f"Ready to sync: the Xero invoice totals {fmt_money(xero_total, currency)}, exactly Autotask's total."
    if rounding:
        account = next(ln.account_code for ln in draft.lines if ln.is_rounding)
        return (
            f"Ready to sync: Xero's rounding gives {fmt_money(xero_total, currency)}, {fmt_money(difference, currency)} away from "
            f"Autotask (within the {fmt_money(settings.tolerance, currency)} maximum rounding difference). A rounding line of "
            f"{fmt_money(rounding, currency)} on account {account} makes the Xero invoice equal Autotask to the cent."
        )
    return (
        f"Ready to sync: the Xero total {fmt_money(xero_total, currency)} is {fmt_money(difference, currency)} away "
        "from Autotask, "
        f"within the {fmt_money(settings.tolerance, currency)} maximum rounding difference."
    )


def _credit_ready_text(autotask: Decimal, xero_total: Decimal, difference: Decimal, rounding: Decimal,
                       currency: str) -> str:
    """A negative total goes to Xero as a credit note of the positive amount: said so, with its currency."""
    held = -(xero_total + rounding)
    lead = (f"Ready to sync as a credit note: Xero will hold a credit note of {fmt_money(held, currency)} "
            f"(Autotask's total is {fmt_money(autotask, currency)})")
    if not difference:
        return lead + ", exactly Autotask's amount."
    if rounding:
        return (lead + f"; Xero's rounding of the lines gives {fmt_money(-xero_total, currency)} and a rounding "
                f"line of {fmt_money(-rounding, currency)} makes the credit note equal Autotask to the cent.")
    return lead + f"; it differs from Autotask by {fmt_money(abs(difference), currency)}, within the maximum rounding difference."


def untaxed_cause(draft: XeroDraft, difference: Decimal, found: Cause | None = None) -> Cause:
    """The tax_mapping cause of lines whose Autotask tax rate Xero does not have (the diagnosis's own
    line-by-line evidence kept when it found the same cause)."""
    rates = " and ".join(dict.fromkeys(f"{rate.normalize():f}%" for _, rate in draft.untaxed))
    lead = (f"No active Xero tax rate is {rates}, the Autotask tax rate of "
            f"{len(draft.untaxed):,} line{'s' if len(draft.untaxed) != 1 else ''}.")
    if found is not None:
        return Cause("tax_mapping", found.amount, (lead, *found.evidence), found.fix)
    fix = ("In Xero add a tax rate of that percentage (Settings › Tax rates), or in Settings › Connections › "
           "Mapping map the Autotask tax to the Xero rate that is right for it.", "Then press Re-sync.")
    return Cause("tax_mapping", difference, (lead,), fix)


def _untaxed_text(invoice: AutotaskInvoice, draft: XeroDraft, xero_total: Decimal, difference: Decimal,
                  causes: tuple[Cause, ...], currency: str = "") -> str:
    rates = " and ".join(dict.fromkeys(f"{rate.normalize():f}%" for _, rate in draft.untaxed))
    lines = [
        f"Not synced: Autotask taxes some lines at {rates}, a rate Xero does not have, so Xero would tax them "
        f"at another rate (its invoice would total {fmt_money(xero_total, currency)} against Autotask's "
        f"{fmt_money(invoice.total, currency)}, a difference of {fmt_money(difference, currency)}). Depot GUI never "
        "hides a tax difference in a rounding line."
    ]
    for i, cause in enumerate(causes):
        lead = "Most likely cause" if i == 0 else "Also"
        lines.append(f"{lead}: {cause.title} ({fmt_money(cause.amount, currency)}). {' '.join(cause.evidence)}")
        lines.append(f"What to do: {' '.join(cause.fix)}")
    return "\n".join(lines)


def _mismatch_text(
    invoice: AutotaskInvoice, xero_total: Decimal, difference: Decimal, settings: Settings, causes: tuple[Cause, ...],
    currency: str = "",
) -> str:
    lines = [
        f"Not synced: Autotask's total is {fmt_money(invoice.total, currency)} but the Xero invoice would total "
        f"{fmt_money(xero_total, currency)}, a difference of {fmt_money(difference, currency)} (more than the "
        f"{fmt_money(settings.tolerance, currency)} maximum rounding difference)."
    ]
    for i, cause in enumerate(causes):
        lead = "Most likely cause" if i == 0 else "Also"
        lines.append(f"{lead}: {cause.title} ({fmt_money(cause.amount, currency)}). {' '.join(cause.evidence)}")
        lines.append(f"What to do: {' '.join(cause.fix)}")
    return "\n".join(lines)
