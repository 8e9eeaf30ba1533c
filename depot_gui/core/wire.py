"""Wire helpers: Decimal-exact JSON, HTTP dates, Retry-After and back-off arithmetic.

No clock and no randomness here: the time ``now`` and the back-off ``jitter`` are the caller's."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime, timezone
from decimal import Decimal
from email.utils import parsedate_to_datetime
from typing import Any

Jitter = Callable[[float], float]  # extra wait for a delay (the clients: random, up to a quarter of it)


def loads(text: str | bytes) -> Any:
    """Parse JSON with every non-integer number as Decimal (money never becomes float)."""
    return json.loads(text, parse_float=Decimal, parse_constant=_no_constant)


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number a money API may send")


def dumps(obj: Any) -> str:
    """Serialise to JSON, writing Decimals as plain JSON numbers (``Decimal("0.10")`` -> 0.10)."""
    if isinstance(obj, Decimal):
        if not obj.is_finite():
            raise ValueError(f"cannot send a non-finite number: {obj}")
        return format(obj, "f")
    if isinstance(obj, dict):
        parts = []
        for key, value in obj.items():
            if not isinstance(key, str):
                raise TypeError(f"JSON object keys must be str, not {type(key).__name__}")
            parts.append(f"{json.dumps(key)}:{dumps(value)}")
        return "{" + ",".join(parts) + "}"
    if isinstance(obj, (list, tuple)):
        return "[" + ",".join(dumps(v) for v in obj) + "]"
    if isinstance(obj, datetime):
        return json.dumps(obj.isoformat())
    if isinstance(obj, date):
        return json.dumps(obj.isoformat())
    return json.dumps(obj, allow_nan=False)


def parse_http_date(value: str | None) -> datetime | None:
    """Parse an HTTP ``Date`` header into an aware UTC datetime (None if absent or invalid)."""
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.astimezone(timezone.utc)


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds, or an HTTP-date less ``now``), or None."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    if text.isdigit():  # delay-seconds (RFC 9110 §10.2.3): whole seconds, never money
        return int(text)
    when = parse_http_date(text)
    if when is None:
        return None
    return max(0.0, (when - now).total_seconds())


def backoff_delay(attempt: int, jitter: Jitter, *, base: float = 1.0, cap: float = 60.0) -> float:
    """Exponential back-off for retry number ``attempt`` (1-based): 1 s, 2 s, 4 s ... capped."""
    delay = min(cap, base * (2 ** max(0, attempt - 1)))
    return min(cap, delay + max(0.0, jitter(delay)))
