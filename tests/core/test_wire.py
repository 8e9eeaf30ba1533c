"""core.wire: Retry-After read against the caller's clock, back-off with the caller's jitter (core has neither)."""

from __future__ import annotations

from datetime import UTC, datetime

from depot_gui.core.wire import backoff_delay, parse_retry_after

NOW = datetime(2024, 5, 31, 12, 0, 0, tzinfo=UTC)


def test_a_retry_after_date_counts_from_the_time_the_caller_gives():
    assert parse_retry_after("Fri, 31 May 2024 12:00:07 GMT", NOW) == 7.0
    assert parse_retry_after("Fri, 31 May 2024 11:59:00 GMT", NOW) == 0.0  # already past: no wait


def test_retry_after_in_seconds_or_unreadable():
    assert parse_retry_after("120", NOW) == 120
    assert parse_retry_after("soon", NOW) is None
    assert parse_retry_after(None, NOW) is None


def test_back_off_doubles_adds_the_callers_jitter_and_stops_at_the_cap():
    assert [backoff_delay(n, lambda d: d / 4) for n in (1, 2, 7)] == [1.25, 2.5, 60.0]
