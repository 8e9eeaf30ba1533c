"""Xero's invoice arithmetic, reproduced exactly (Decimal, half away from zero).

Rules (../shared/reference/xero-api.md §3.2):
- Quantity and UnitAmount kept to 4 dp (we always send ``unitdp=4``);
- LineAmount = round2(Quantity x UnitAmount);
- line tax = round2(LineAmount x rate / 100) for ``Exclusive`` lines;
- invoice TotalTax = sum of line taxes (never tax on the subtotal);
- Total = SubTotal + TotalTax.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from depot_gui.core.money import ZERO, round2, round4


def line_amount(quantity: Decimal, unit_amount: Decimal) -> Decimal:
    """Xero's LineAmount for a line: quantity x unit amount (both kept to 4 dp), rounded to cents."""
    return round2(round4(quantity) * round4(unit_amount))


def line_tax(amount: Decimal, rate_percent: Decimal) -> Decimal:
    """Tax on one Exclusive line: amount x rate%, rounded to cents."""
    return round2(amount * rate_percent / Decimal(100))


@dataclass(frozen=True)
class Totals:
    """SubTotal, TotalTax and Total as Xero would compute them."""

    sub_total: Decimal
    total_tax: Decimal

    @property
    def total(self) -> Decimal:
        return self.sub_total + self.total_tax


def invoice_totals(lines: Iterable[tuple[Decimal, Decimal, Decimal]]) -> Totals:
    """Totals of (quantity, unit_amount, tax_rate_percent) lines, Xero's way."""
    sub = ZERO
    tax = ZERO
    for quantity, unit_amount, rate in lines:
        amount = line_amount(quantity, unit_amount)
        sub += amount
        tax += line_tax(amount, rate)
    return Totals(sub, tax)
