"""Why an invoice's Xero total differs from Autotask: causes, evidence, amounts, fixes.

The difference D = Autotask total - Xero total splits into two parts:
- the *item gap*: Autotask's invoice total minus the sum of the billing items we received.
  Non-zero means items are missing from our download (hidden by line-of-business access,
  or still being attached), or Autotask computed its total at more decimals;
- the *mapping delta*: the received items' totals minus the Xero lines' totals. Non-zero
  means the mapping changed amounts (service adjustments, tax rates, unit precision).
Each cause is claimed only with evidence; what nothing explains is reported as `unknown`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from depot_gui.core.mapping import XeroDraft
from depot_gui.core.models import AutotaskInvoice, BillingItem, LobAccess
from depot_gui.core.money import CENT, ZERO, fmt_money, fmt_price
from depot_gui.core.settings import Settings

ORDER = ("lob_access", "items_pending", "service_adjustment", "tax_mapping", "precision", "unknown")

TITLES = {
    "lob_access": "The Autotask API user cannot see every line of business",
    "items_pending": "Autotask was still attaching billing items",
    "service_adjustment": "Combined service adjustments (negative quantity, positive total)",
    "tax_mapping": "The Xero tax rates give a different tax",
    "precision": "Autotask keeps more decimals than Xero",
    "unknown": "No known cause fits",
}


@dataclass(frozen=True)
class Cause:
    """One diagnosed cause, the amount of the difference it explains, evidence and fix."""

    code: str
    amount: Decimal
    evidence: tuple[str, ...]
    fix: tuple[str, ...]

    @property
    def title(self) -> str:
        return TITLES[self.code]


@dataclass(frozen=True)
class Evidence:
    """What the engine observed besides the invoice itself."""

    lob: LobAccess = field(default_factory=LobAccess)
    server_now: datetime | None = None
    redownloaded: bool = False
    items_changed: bool = False
    first_item_count: int | None = None
    api_user: str = ""


def _is_fresh(invoice: AutotaskInvoice, ev: Evidence, settings: Settings) -> tuple[bool, str]:
    if invoice.created_at is None or ev.server_now is None:
        return False, ""
    age = ev.server_now - invoice.created_at
    minutes = max(0, int(age.total_seconds() // 60))
    fresh = age < timedelta(minutes=settings.fresh_minutes)
    return fresh, f"Autotask created the invoice {how_long(minutes)} ago (by Autotask's clock)"


def how_long(minutes: int) -> str:
    """A whole number of minutes as a person says it: minutes up to two hours, hours up to two days, then days."""
    for unit, size in (("day", 2880), ("hour", 120)):
        if minutes >= size:
            n = minutes // (size // 2)
            return f"{n:,} {unit}s"
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def _more_decimals(value: Decimal, places: int) -> bool:
    return value != value.quantize(Decimal(1).scaleb(-places))


def diagnose(
    invoice: AutotaskInvoice,
    items: list[BillingItem],
    draft: XeroDraft,
    settings: Settings,
    ev: Evidence,
    currency: str = "",
) -> list[Cause]:
    """Causes of the difference, most likely first (empty when there is nothing to explain); every
    amount in the evidence carries ``currency`` (the invoice's ISO code; "" when not known)."""
    totals = draft.totals(include_rounding=False)
    difference = invoice.total - totals.total
    visible = sum((i.total_amount for i in items), ZERO)
    gap = invoice.total - visible
    by_item = {ln.source_item_id: ln for ln in draft.lines if not ln.is_rounding}
    buckets: dict[str, Decimal] = {code: ZERO for code in ORDER}
    proof: dict[str, list[str]] = {code: [] for code in ORDER}
    fixes: dict[str, list[str]] = {code: [] for code in ORDER}
    fourdp = any(_more_decimals(i.rate, 2) for i in items)

    # Mapping delta, line by line.
    for item in items:
        line = by_item.get(item.id)
        if line is None:
            continue
        amount_gap = item.extended_price - line.amount
        tax_gap = item.tax_dollars - line.tax
        if item.is_service_adjustment and abs(amount_gap) >= CENT and not settings.service_adjustments:
            buckets["service_adjustment"] += amount_gap + tax_gap
            proof["service_adjustment"].append(
                f"'{item.label}': Autotask shows quantity {item.quantity.normalize():f} x "
                f"{fmt_price(item.rate)} with a line total of {fmt_money(item.extended_price, currency)}; "
                f"Xero does not accept negative quantities, so it would get "
                f"{line.quantity.normalize():f} x {fmt_price(line.unit_amount)} = {fmt_money(line.amount, currency)}."
            )
            fixes["service_adjustment"].append(
                f"With service adjustment support on, '{item.label}' would be sent as "
                f"1 x {fmt_money(item.extended_price, currency)} (tax {fmt_money(item.tax_dollars, currency)})."
            )
        elif abs(amount_gap) < CENT:
            if tax_gap:
                buckets["tax_mapping"] += tax_gap
                proof["tax_mapping"].append(
                    f"'{item.label}': Autotask tax {fmt_money(item.tax_dollars, currency)}, Xero tax "
                    f"{fmt_money(line.tax, currency)} at {line.tax_rate.normalize():f}% ({line.tax_type or 'no tax rate'})."
                )
        elif _more_decimals(item.rate, 2) and abs(amount_gap) <= abs(item.quantity) * Decimal("0.005") + CENT:
            buckets["precision"] += amount_gap + tax_gap
            proof["precision"].append(
                f"'{item.label}': {item.quantity.normalize():f} x {item.rate.normalize():f} is "
                f"{fmt_money(line.amount, currency)} in Xero (2 decimals) but {fmt_money(item.extended_price, currency)} in Autotask."
            )
        else:
            buckets["unknown"] += amount_gap + tax_gap
            proof["unknown"].append(
                f"'{item.label}': Autotask line total {fmt_money(item.extended_price, currency)} is not "
                f"{item.quantity.normalize():f} x {fmt_price(item.rate)}; Xero would compute {fmt_money(line.amount, currency)}."
                + (
                    " It has a negative quantity but is not a combined service adjustment (its total is not "
                    "positive and no contract service adjustment made it), so sending it as 1 x its total "
                    "would only hide the difference."
                    if item.quantity < 0 else ""
                )
            )

    # Item gap: items missing from the download, or Autotask's 4-decimal totals.
    if gap:
        precision_bound = CENT * (len(items) + 1)
        if abs(gap) <= precision_bound and fourdp and not ev.items_changed:
            buckets["precision"] += gap
            proof["precision"].append(
                f"Autotask's invoice total {fmt_money(invoice.total, currency)} is {fmt_money(gap, currency)} away from the sum of its "
                f"own billing items ({fmt_money(visible, currency)}): it computed the total from unit prices with 4 decimals."
            )
        else:
            _missing_items(invoice, items, gap, visible, settings, ev, buckets, proof, fixes, currency)

    # Invoice-level tax disagreement with matching subtotals (per-invoice vs per-line tax).
    explained = sum(buckets.values(), ZERO)
    residual = difference - explained
    if abs(residual) >= CENT:
        if abs(invoice.sub_total - totals.sub_total) < CENT and invoice.tax_total != totals.total_tax:
            buckets["tax_mapping"] += residual
            proof["tax_mapping"].append(
                f"The subtotals agree ({fmt_money(totals.sub_total, currency)}) but Autotask's tax is "
                f"{fmt_money(invoice.tax_total, currency)} and Xero's is {fmt_money(totals.total_tax, currency)}."
            )
        else:
            buckets["unknown"] += residual

    fixes["lob_access"] += [
        "In Autotask open Admin › Organization Settings & Users › Resources/Users (HR) › Resources/Users.",
        f"Edit the API user{(' ' + ev.api_user) if ev.api_user else ''} and go to its Line of Business section.",
        "Remove every line of business there (an API user with none sees all of them), then Save & Close.",
        "Back here, press Re-sync. Settings › Connections › Re-check confirms the access.",
    ]
    fixes["items_pending"] += [
        "Wait a few minutes for Autotask to finish processing the invoice, then press Re-sync.",
        "If it still differs after an hour, open the invoice in Autotask and check its billing items.",
    ]
    fixes["service_adjustment"] = [
        "Review what it changes (next), then turn on Settings › Audit & sync › Service adjustment support "
        "(depot-sync: settings set service_adjustments on) and Re-sync.",
        *fixes["service_adjustment"],
    ]
    fixes["tax_mapping"] += [
        "Open File › Account and tax mapping… and map each Autotask tax to the Xero tax rate with the same percentage "
        "(depot-sync: mapping tax RATE TAXTYPE).",
        "Then press Re-sync.",
    ]
    fixes["precision"] += [
        "This is rounding: Xero keeps unit prices to 4 decimals and line totals to 2.",
        "If the difference is acceptable, raise the maximum rounding difference in Settings; "
        "otherwise round the unit prices in Autotask to 2 decimals.",
    ]
    fixes["unknown"] += [  # the missing-items advice already says to compare the lines: said once
        *([] if fixes["unknown"] else ["Compare the lines below with the invoice in Autotask."]),
        "If you cannot see why, use Help › Copy diagnostics and send it to support.",
    ]
    if abs(buckets["unknown"]) >= CENT and not proof["unknown"]:
        proof["unknown"].append(
            f"Autotask total {fmt_money(invoice.total, currency)}, its billing items add up to {fmt_money(visible, currency)}, "
            f"the Xero lines to {fmt_money(totals.total, currency)}; {fmt_money(buckets['unknown'], currency)} is not explained."
        )

    causes = [
        Cause(code, buckets[code], _capped(proof[code]), _capped(fixes[code]))
        for code in ORDER
        if abs(buckets[code]) >= CENT
    ]
    return causes


def _capped(texts: list[str], most: int = 5) -> tuple[str, ...]:
    """At most ``most`` line-by-line sentences (they start with the quoted line); the rest counted."""
    per_line = [t for t in texts if t.startswith("'") or t.startswith("With service adjustment support on, '")]
    if len(per_line) <= most:
        return tuple(texts)
    keep = set(per_line[:most])
    out = [t for t in texts if t in keep or t not in per_line]
    rest = len(per_line) - most
    out.insert(out.index(per_line[most - 1]) + 1, f"... and {rest:,} more line{'s' if rest != 1 else ''} like these.")
    return tuple(out)


def _missing_items(
    invoice: AutotaskInvoice,
    items: list[BillingItem],
    gap: Decimal,
    visible: Decimal,
    settings: Settings,
    ev: Evidence,
    buckets: dict[str, Decimal],
    proof: dict[str, list[str]],
    fixes: dict[str, list[str]],
    currency: str = "",
) -> None:
    n = f"{len(items)} billing item{'s' if len(items) != 1 else ''}"
    if (gap > 0) == (invoice.total >= 0):
        head = (
            f"Autotask's invoice total is {fmt_money(invoice.total, currency)} but the {n} it gave us add up to "
            f"{fmt_money(visible, currency)}: {fmt_money(gap, currency)} of items is missing from the download."
        )
    else:
        head = (
            f"Autotask's invoice total is {fmt_money(invoice.total, currency)} but the {n} it gave us add up to "
            f"{fmt_money(visible, currency)}, more than the invoice: lines worth {fmt_money(gap, currency)} (credits) are missing "
            "from the download."
        )
    fresh, age_text = _is_fresh(invoice, ev, settings)
    lob = ev.lob
    if ev.items_changed:
        buckets["items_pending"] += gap
        proof["items_pending"] += [
            head,
            f"A second download returned different items ({ev.first_item_count} then {len(items)}): "
            "Autotask is still attaching them.",
        ]
        if age_text:
            proof["items_pending"].append(age_text + ".")
        return
    if lob.hides_items:
        buckets["lob_access"] += gap
        proof["lob_access"].append(head)
        if lob.restricted:
            proof["lob_access"].append(
                f"The API user is tied to the lines of business {', '.join(lob.user_lobs) or '(none)'}; "
                f"it cannot see {', '.join(lob.hidden)}, and Autotask silently leaves out their billing items."
            )
        for entity in lob.item_hiding_entities:
            proof["lob_access"].append(f"The API user's security level has only Restricted access to {entity}.")
        if fresh:
            proof["lob_access"].append(
                f"{age_text}, so items may also still be attaching; a second download changed nothing."
            )
        return
    if fresh:
        buckets["items_pending"] += gap
        proof["items_pending"] += [head, age_text + ", so Autotask may still be attaching its items."]
        if lob.checked:
            proof["items_pending"].append(_sees_all(consequence="so the items are not hidden by permissions"))
        return
    # Items are missing, but neither permissions nor timing explain it: say so, never guess.
    buckets["unknown"] += gap
    proof["unknown"].append(head)
    if lob.checked:  # an unchecked line-of-business check is said once, in the audit's explanation
        proof["unknown"].append(_sees_all(consequence="so permissions do not hide them"))
    if age_text:
        proof["unknown"].append(age_text + ", long enough for Autotask to have attached every item.")
    if ev.redownloaded:
        proof["unknown"].append("A second download just now returned the same items.")
    fixes["unknown"].append(
        "Open the invoice in Autotask and compare its lines with the ones below: items removed, voided or "
        "re-invoiced after the invoice was made explain a gap like this."
    )



def _sees_all(consequence: str) -> str:
    """Claimed only when the line-of-business check ran to the end and found nothing hidden."""
    return f"The API user sees every line of business, {consequence}."
