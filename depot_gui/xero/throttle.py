"""Stay under Xero's per-organisation limits before Xero has to say 429.

Xero allows 5 concurrent calls and 60 calls per rolling minute per organisation
(reference: xero-api.md §5.1). Each XeroClient owns one (the app has one client per
organisation; pass the same Throttle to share it); a call waits for a concurrency slot and, when 60 calls were made in the last 60 s,
until the oldest leaves the window. 429 answers are still honoured (other apps share the
organisation's limits).
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

CONCURRENT = 5
PER_MINUTE = 60
WINDOW = 60.0


class Throttle:
    """Concurrency slots plus a sliding one-minute window for one Xero organisation."""

    def __init__(self, concurrent: int = CONCURRENT, per_minute: int = PER_MINUTE,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._slots = threading.BoundedSemaphore(concurrent)
        self._per_minute = per_minute
        self._clock = clock
        self._calls: deque[float] = deque()
        self._lock = threading.Lock()

    def delay(self) -> float:
        """Seconds to wait before the next call may start (0 when it may start now)."""
        with self._lock:
            now = self._clock()
            while self._calls and now - self._calls[0] >= WINDOW:
                self._calls.popleft()
            if len(self._calls) < self._per_minute:
                self._calls.append(now)
                return 0.0
            return WINDOW - (now - self._calls[0])

    def recent(self) -> list[float]:
        """When the calls of the last minute started (this clock), oldest first: for another process's
        throttle of the same organisation (a sync in a process of its own)."""
        with self._lock:
            now = self._clock()
            return [t for t in self._calls if now - t < WINDOW]

    def note(self, starts: Iterable[float]) -> None:
        """Count calls another process started (``recent()`` there, the same monotonic clock) in the window."""
        with self._lock:
            now = self._clock()
            merged = sorted({*self._calls, *(t for t in starts if now - t < WINDOW)})
            self._calls = deque(merged)

    @contextmanager
    def slot(self, wait: Callable[[float], None]) -> Iterator[None]:
        """Hold one concurrency slot for a call that also fits in the minute window."""
        while True:
            seconds = self.delay()
            if seconds <= 0:
                break
            wait(seconds)
        with self._slots:
            yield


def note_limits(limits: dict[str, str], headers, names: Iterable[str], date, last_date):
    """Keep an answer's calls-left counts (``names``) in ``limits``; the latest ``Date`` seen.

    Answers to calls made side by side are noted in any order, and Xero counts a call when it answers
    it: an answer with an older ``Date`` changes nothing, one within the same second keeps the lower
    count, one with a later ``Date`` is taken (a new minute or day resets the count).
    """
    if date is not None and last_date is not None and date < last_date:
        return last_date
    same = date is not None and date == last_date
    for name in names:
        if name in headers:
            kept, new = _count(limits.get(name)), _count(headers[name])
            if not (same and kept is not None and new is not None and kept < new):
                limits[name] = headers[name]
    return date if date is not None else last_date


def _count(text: str | None) -> int | None:
    try:
        return int(str(text).strip()) if text is not None else None
    except ValueError:
        return None
