"""Xero's .NET JSON dates (``/Date(1717113600000+0000)/``) and ISO strings as date/datetime."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone

_MS_DATE = re.compile(r"^/Date\((-?\d+)([+-])?(\d{2})?(\d{2})?\)/$")


def parse_xero_datetime(value: str | None) -> datetime | None:
    """Parse ``/Date(ms±hhmm)/`` or an ISO string into an aware datetime (naive ISO = UTC)."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ValueError(f"not a Xero date: {value!r}")
    text = value.strip()
    match = _MS_DATE.match(text)
    if match:
        ms, sign, hh, mm = match.groups()
        moment = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(milliseconds=int(ms))
        if sign and hh:
            offset = timedelta(hours=int(hh), minutes=int(mm or 0))
            return moment.astimezone(timezone(offset if sign == "+" else -offset))
        return moment
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"not a Xero date: {value!r}") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def parse_xero_date(value: str | None) -> date | None:
    """Parse a Xero date field (``/Date(...)/``, ``YYYY-MM-DD`` or ISO datetime) into a date."""
    moment = parse_xero_datetime(value)
    return moment.date() if moment is not None else None
