"""Each Xero organisation's own books: a mapping made for one organisation is used in another only as
far as that organisation has the same codes, and an invoice whose lines would go to an account the
organisation does not have is never sent (it says what to map instead)."""

from __future__ import annotations

from dataclasses import replace

from depot_gui.core.mapping import MappingOverrides, XeroDraft
from depot_gui.core.models import BillingItem, ReferenceData


def within_books(overrides: MappingOverrides, ref: ReferenceData) -> MappingOverrides:
    """The choices of ``overrides`` this organisation's books have: account codes among its active
    accounts, tax types among its tax rates (each kind kept whole when it was not read). The rest is
    derived as if never chosen. A tracking category this organisation lacks is a warning already
    (``core.tracking``), never sent."""
    accounts = overrides.account_by_billing_code
    if ref.accounts:
        accounts = {k: v for k, v in accounts.items() if ref.account(v) is not None}
    taxes = overrides.tax_type_by_rate
    if ref.tax_rates:
        taxes = {k: v for k, v in taxes.items() if ref.tax_rate(v) is not None}
    return replace(overrides, account_by_billing_code=accounts, tax_type_by_rate=taxes, inherited=False)


def unmapped_accounts(draft: XeroDraft, items: list[BillingItem], ref: ReferenceData) -> str:
    """Why lines would go to accounts this organisation does not have ("" when every one is in its
    chart, or the chart was not read): one sentence naming the accounts, the billing codes to map and
    the organisation."""
    if not ref.accounts:
        return ""
    by_item = {i.id: i for i in items}
    missing: dict[str, list[str]] = {}  # account code -> billing code names (or line labels)
    for line in draft.lines:
        if line.is_rounding or ref.account(line.account_code) is not None:
            continue
        item = by_item.get(line.source_item_id)
        code = ref.billing_codes.get(item.billing_code_id or -1) if item else None
        what = f"billing code '{code.name}'" if code else f"'{line.description}'"
        missing.setdefault(line.account_code, []).append(what)
    if not missing:
        return ""
    org = ref.organisation or "this Xero organisation"
    accounts = " and ".join(f"\u201c{c}\u201d" for c in missing)
    whats = list(dict.fromkeys(w for ws in missing.values() for w in ws))
    shown = ", ".join(whats[:3]) + (f" and {len(whats) - 3} more" if len(whats) > 3 else "")
    return (f"Not synced: {org} has no active account {accounts}, which the lines of {shown} would go to. "
            f"Map {'it' if len(whats) == 1 else 'them'} to accounts {org} has in File \u203a Account and tax "
            f"mapping\u2026 (command line: depot-sync mapping account BILLING_CODE ACCOUNT --org \"{org}\"), then press "
            "Re-sync; an account code of another "
            "organisation is never sent.")
