"""Money as Decimal: parsing from the wire, Xero's rounding, formatting."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

ZERO = Decimal("0")
CENT = Decimal("0.01")
UNIT_DP4 = Decimal("0.0001")


class MoneyError(ValueError):
    """A value that should be money is not a number."""


def to_decimal(value: object) -> Decimal:
    """Convert a wire value (JSON number, string, Decimal, None) to Decimal without float noise.

    JSON numbers should be parsed with ``parse_float=Decimal``; when a float does reach us we
    go through ``repr`` (shortest round-trip form) so 0.1 becomes Decimal("0.1"), not its
    binary expansion.
    """
    if value is None:
        return ZERO
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise MoneyError(f"not a finite money value: {value!r}")
        return value
    if isinstance(value, bool):
        raise MoneyError(f"not a money value: {value!r}")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return to_decimal(Decimal(repr(value)))
    if isinstance(value, str):
        try:
            return to_decimal(Decimal(value.strip()))
        except InvalidOperation as exc:
            raise MoneyError(f"not a money value: {value!r}") from exc
    raise MoneyError(f"not a money value: {value!r}")


def round2(value: Decimal) -> Decimal:
    """Round to cents, half away from zero (Xero's rule): 4.545 -> 4.55, -4.545 -> -4.55."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def round4(value: Decimal) -> Decimal:
    """Round a unit amount to 4 dp, half away from zero (Xero with unitdp=4)."""
    return value.quantize(UNIT_DP4, rounding=ROUND_HALF_UP)


def fmt2(value: Decimal) -> str:
    """Plain string with exactly two decimals, as the CLI contract requires ("-0.00" never)."""
    q = round2(value)
    if q == 0:
        q = CENT * 0
    return f"{q:.2f}"


def fmt_money(value: Decimal, currency: str = "") -> str:
    """Human form with thousands separators: 4,177.80 (negative as -4,177.80)."""
    q = round2(value)
    if q == 0:
        q = ZERO
    text = f"{q:,.2f}"
    return f"{currency} {text}".strip() if currency else text


def fmt_price(value: Decimal) -> str:
    """A unit price as people read it: at least 2 decimals, up to the 4 Xero keeps (12.3456, 45.00)."""
    q = round4(value)
    text = f"{q:,.4f}".rstrip("0")
    if len(text.split(".")[1]) < 2:
        text = f"{q:,.2f}"
    return "0.00" if q == 0 else text


def is_credit_total(total: Decimal) -> bool:
    """A negative Autotask total: it goes to Xero as a credit note of the positive amount."""
    return total < 0


def fmt_document(total: Decimal, currency: str = "") -> str:
    """What Xero receives for an Autotask total: "AUD 1,633.50", or "credit note AUD 621.16" for a negative one."""
    if is_credit_total(total):
        return f"credit note {fmt_money(-total, currency)}"
    return fmt_money(total, currency)
