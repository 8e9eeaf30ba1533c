"""One conversion per Autotask dataType: what a filter value or a written field value may be.

Every operator (``eq``…``lte``, each element of an ``in``/``notIn`` list, the string operators) and
the ``id`` of a ``PATCH``/``PUT`` go through :func:`convert`, so the sandbox accepts and rejects a
value the same way wherever it appears. Rules (the real API binds values with .NET conversions):

* ``long`` / ``integer``: whole numbers within int64 (``5`` and ``5.0``); numeric strings such as
  ``"12"`` (surrounding blanks allowed, no fraction or exponent). Not booleans, not ``1.5``.
* ``double``: finite numbers or numeric strings (``"12.50"``, ``"1e3"``). Not booleans, NaN or ±∞.
* ``boolean``: the JSON literals ``true``/``false`` only.
* ``datetime``: ISO-8601 strings (``2026-11-20``, ``2026-11-20T09:05:00.123Z``…).
* ``string``: anything, stringified.
"""

from __future__ import annotations

import math
import re
from datetime import datetime
from decimal import Decimal, InvalidOperation

from depot_gui.sandbox.clock import is_iso_datetime, parse_iso

INT64_MIN, INT64_MAX = -(2 ** 63), 2 ** 63 - 1
DOUBLE_MAX = Decimal("1.7976931348623157E+308")
STRING_TYPES = ("string",)
_INT_TEXT = re.compile(r"^\s*[+-]?\d+\s*$")
_NUM_TEXT = re.compile(r"^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$")


class ConversionError(ValueError):
    """``value`` cannot be converted to the field's dataType."""


def convert(value: object, typ: str) -> int | Decimal | bool | datetime | str:
    """``value`` (not None) as a Python value of Autotask dataType ``typ``, or :class:`ConversionError`.

    Returns an ``int`` for long/integer, a finite ``Decimal`` for double, a ``bool``, an aware UTC
    ``datetime``, or a ``str``.
    """
    if typ in ("long", "integer"):
        return _whole(value)
    if typ == "double":
        return _number(value)
    if typ == "boolean":
        if isinstance(value, bool):
            return value
        raise ConversionError(value)
    if typ == "datetime":
        if not isinstance(value, str) or not is_iso_datetime(value.strip()):
            raise ConversionError(value)
        try:
            return parse_iso(value)
        except ValueError:  # e.g. 2026-13-45
            raise ConversionError(value) from None
    return str(value)


def _whole(value: object) -> int:
    """A long/integer: int64 whole number or numeric string."""
    if isinstance(value, bool):
        raise ConversionError(value)
    if isinstance(value, int):
        n = value
    elif isinstance(value, Decimal):
        if not value.is_finite() or value != value.to_integral_value():
            raise ConversionError(value)
        n = int(value)
    elif isinstance(value, float):
        if not math.isfinite(value) or not value.is_integer():
            raise ConversionError(value)
        n = int(value)
    elif isinstance(value, str) and _INT_TEXT.match(value):
        n = int(value.strip())
    else:
        raise ConversionError(value)
    if not INT64_MIN <= n <= INT64_MAX:
        raise ConversionError(value)
    return n


def _number(value: object) -> Decimal:
    """A double: finite number or numeric string."""
    if isinstance(value, bool):
        raise ConversionError(value)
    try:
        if isinstance(value, (int, Decimal)):
            d = Decimal(value)
        elif isinstance(value, float):
            d = Decimal(repr(value)) if math.isfinite(value) else Decimal("NaN")
        elif isinstance(value, str) and _NUM_TEXT.match(value):
            d = Decimal(value.strip())
        else:
            raise ConversionError(value)
    except InvalidOperation:
        raise ConversionError(value) from None
    if not d.is_finite() or abs(d) > DOUBLE_MAX:
        raise ConversionError(value)
    return d
