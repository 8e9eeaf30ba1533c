"""Currencies: which currency an Autotask invoice is in, and whether the Xero organisation takes it.

Autotask keeps a company's currency in ``Companies.currencyID`` -> ``Currencies``; with
multi-currency on, the invoice's and its billing items' amounts are in that currency. No
``Currencies`` rows, no ``currencyID``, or the internal currency mean the organisation's base
currency. Everything here is pure: the reference data is read by the sync layer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from depot_gui.core.money import to_decimal, MoneyError

_ISO = re.compile(r"^[A-Z]{3}$")
# The Currencies field that carries the ISO 4217 code: `name` in the scenario contract; the Autotask
# reference does not say for certain, so a three-letter code in `description` is read as well.
CODE_FIELDS = ("name", "description")


def iso_code(record: dict[str, Any]) -> str:
    """The ISO 4217 code of an Autotask ``Currencies`` row ("" when no field holds one)."""
    for key in CODE_FIELDS:
        value = str(record.get(key) or "").strip().upper()
        if _ISO.match(value):
            return value
    return ""


@dataclass(frozen=True)
class AutotaskCurrency:
    """One Autotask ``Currencies`` row."""

    id: int
    code: str
    exchange_rate: Decimal | None = None
    is_internal: bool = False
    label: str = ""
    unread: str = ""  # why Autotask's Currencies could not be read: this row stands for a currency not known

    @classmethod
    def from_api(cls, d: dict[str, Any]) -> "AutotaskCurrency":
        try:
            rate = to_decimal(d["exchangeRate"]) if d.get("exchangeRate") is not None else None
        except MoneyError:
            rate = None
        return cls(int(d["id"]), iso_code(d), rate if rate and rate > 0 else None,
                   bool(d.get("isInternalCurrency")), str(d.get("name") or d.get("description") or d["id"]))


@dataclass(frozen=True)
class InvoiceCurrency:
    """The currency of one invoice's amounts: its code ("" when Autotask's cannot be read), Autotask's
    exchange rate for it (None for the base currency), and why the code is unknown."""

    code: str
    autotask_rate: Decimal | None = None
    unknown: str = ""
    unread: str = ""  # Autotask's Currencies could not be read (why): the currency is unchecked

    def is_base(self, base: str) -> bool:
        return bool(self.code) and self.code == base


def invoice_currency(currency_id: int | None, currencies: dict[int, AutotaskCurrency], base: str) -> InvoiceCurrency:
    """The currency of a company's invoices (``currency_id`` is the company's ``currencyID``)."""
    if currency_id is None or not currencies:
        return InvoiceCurrency(base)
    row = currencies.get(currency_id)
    if row is not None and row.unread:
        return InvoiceCurrency("", unknown="Autotask's currencies could not be read", unread=row.unread)
    if row is None:
        return InvoiceCurrency("", unknown=f"Autotask's currency {currency_id} of this company could not be read")
    if row.is_internal:
        return InvoiceCurrency(base)
    if not row.code:
        return InvoiceCurrency("", unknown=f"Autotask's currency '{row.label}' has no ISO currency code (like NZD)")
    return InvoiceCurrency(row.code, None if row.code == base else row.exchange_rate)


def currency_problem(currency: InvoiceCurrency, base: str, added: tuple[str, ...] | None, organisation: str) -> str:
    """Why an invoice cannot go to this Xero organisation in its own currency ("" when it can).

    ``added`` is the organisation's currencies besides the base one (None: not read)."""
    org = f"the Xero organisation {organisation}" if organisation else "the Xero organisation"
    if not currency.code:
        if not currency.unknown:  # nothing known of either side's currency: nothing to check
            return ""
        if currency.unread:
            return (f"Not synced: Autotask's currencies could not be read, so this invoice's currency is unchecked; "
                    f"it is held back, never sent as if it were in {base or 'the base currency'}. "
                    f"{currency.unread.rstrip('.')}; then press Re-sync.")
        return (f"Not synced: {currency.unknown}, so the invoice's currency is not known and it is never sent "
                "in another one. Check the company's currency in Autotask, then press Re-sync.")
    if currency.code == base or (added is not None and currency.code in added):
        return ""
    return (f"Not synced: this invoice is in {currency.code}, and {org} has not added {currency.code} (its base "
            f"currency is {base}). In Xero, add {currency.code} under Settings › Currencies, then press Re-sync; "
            f"Depot GUI never sends an invoice in another currency.")
