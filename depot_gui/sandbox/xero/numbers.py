"""Xero's number rules as the sandbox applies them: its own implementation, on purpose.

The sandbox stands in for Xero, so it must not borrow the app's arithmetic (depot_gui.core.money
and core.xero_math): a rounding bug shared by both would agree with itself, and no end-to-end test
could see it. This is a second implementation written from the reference
(shared/reference/xero-api.md §3.2): money at 2 dp, quantities and unit amounts at 4 dp, ties
half away from zero (4.545 -> 4.55, -4.545 -> -4.55; banker's rounding would give 4.54).
tests/test_layers.py keeps depot_gui/sandbox from importing anything else in depot_gui.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

_CENT = Decimal("0.01")
_FOUR_DP = Decimal("0.0001")


def parse_number(value: object) -> Decimal:
    """A number from a request or the scenario (JSON number, numeric string, Decimal); None reads 0.

    Raises ValueError for anything else, including NaN and infinities. A float (not expected:
    bodies are parsed with Decimal) goes through its shortest repr, never its binary expansion.
    """
    if value is None:
        return Decimal(0)
    if isinstance(value, bool):
        raise ValueError(f"not a number: {value!r}")
    if isinstance(value, float):
        value = repr(value)
    if isinstance(value, str):
        value = value.strip()
    if not isinstance(value, (Decimal, int, str)):
        raise ValueError(f"not a number: {value!r}")
    try:
        result = Decimal(value)
    except InvalidOperation as exc:
        raise ValueError(f"not a number: {value!r}") from exc
    if not result.is_finite():
        raise ValueError(f"not a number: {value!r}")
    return result


def cents(value: Decimal) -> Decimal:
    """Round to 2 dp, half away from zero (ROUND_HALF_UP in decimal's terms)."""
    return value.quantize(_CENT, rounding=ROUND_HALF_UP)


def four_dp(value: Decimal) -> Decimal:
    """Round a quantity or unit amount to 4 dp, half away from zero (Xero with unitdp=4)."""
    return value.quantize(_FOUR_DP, rounding=ROUND_HALF_UP)
