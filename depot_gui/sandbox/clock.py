"""The scenario clock (scenario ``now`` at first load, then real time) and date formats."""

from __future__ import annotations

import re
import time
from datetime import date, datetime, timedelta, timezone
from email.utils import format_datetime

UTC = timezone.utc
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?)?(Z|[+-]\d{2}:?\d{2})?$")
_MS_DATE = re.compile(r"^/Date\((-?\d+)([+-]\d{4})?\)/$")


class Clock:
    """Scenario time: ``anchor`` at real time ``real_epoch``, plus any manual ``offset`` seconds."""

    def __init__(self, anchor: datetime, real_epoch: float, offset: float = 0.0) -> None:
        self.anchor = anchor.astimezone(UTC)
        self.real_epoch = real_epoch
        self.offset = offset

    @classmethod
    def from_dict(cls, d: dict) -> "Clock":
        """Rebuild from the persisted anchor."""
        return cls(parse_iso(d["anchor"]), float(d["real_epoch"]), float(d.get("offset", 0)))

    def to_dict(self) -> dict:
        """Persistable anchor."""
        return {"anchor": self.anchor.isoformat(), "real_epoch": self.real_epoch, "offset": self.offset}

    def now(self) -> datetime:
        """Current scenario time (aware, UTC)."""
        return self.anchor + timedelta(seconds=time.time() - self.real_epoch + self.offset)

    def timestamp(self) -> float:
        """Current scenario time as POSIX seconds."""
        return self.now().timestamp()


def is_iso_datetime(value: object) -> bool:
    """True when ``value`` is an ISO-8601 date or datetime string."""
    return isinstance(value, str) and bool(_ISO.match(value))


def parse_iso(value: str) -> datetime:
    """Parse ISO-8601 (``Z`` allowed); naive values are UTC. Returns an aware datetime."""
    s = value.strip()
    if s.endswith(("Z", "z")):
        s = s[:-1] + "+00:00"
    m = re.match(r"^(.*\.\d{6})\d+(.*)$", s)  # more than 6 fractional digits
    if m:
        s = m.group(1) + m.group(2)
    dt = datetime.fromisoformat(s)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC)


def parse_any_date(value: object) -> datetime:
    """Parse a request date: ``YYYY-MM-DD``, ISO datetime or ``/Date(ms[+hhmm])/``."""
    if not isinstance(value, str):
        raise ValueError(f"not a date: {value!r}")
    m = _MS_DATE.match(value.strip())
    if m:
        return EPOCH + timedelta(milliseconds=int(m.group(1)))
    if not _ISO.match(value.strip()):
        raise ValueError(f"not a date: {value!r}")
    return parse_iso(value)


def naive_iso(dt: datetime) -> str:
    """``2026-11-01T00:00:00`` (UTC, no designator; milliseconds only when present)."""
    dt = dt.astimezone(UTC).replace(tzinfo=None)
    if dt.microsecond:
        return dt.isoformat(timespec="milliseconds")
    return dt.isoformat(timespec="seconds")


def http_date(dt: datetime) -> str:
    """RFC 7231 ``Date`` header value."""
    return format_datetime(dt.astimezone(UTC), usegmt=True)


def ms(dt: datetime) -> int:
    """Milliseconds since the epoch."""
    return int((dt.astimezone(UTC) - EPOCH) / timedelta(milliseconds=1))


def ms_date(dt: datetime, offset: bool = True) -> str:
    """.NET JSON date: ``/Date(1700000000000+0000)/``."""
    return f"/Date({ms(dt)}{'+0000' if offset else ''})/"


def day_start(d: date) -> datetime:
    """Midnight UTC of a date."""
    return datetime(d.year, d.month, d.day, tzinfo=UTC)
