"""Independent calls side by side, as many at once as the service allows.

For calls whose order does not matter (stamping each synced Autotask invoice is one PATCH per
invoice: Autotask has no batch update, and allows 3 requests at once per endpoint). Whatever
must happen before a call (an intent recorded) happens before this runs; whatever depends on
its answer is done by the caller afterwards, in order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, nullcontext
from typing import TypeVar

from depot_gui.autotask.client import THREADS_PER_ENDPOINT

T = TypeVar("T")
R = TypeVar("R")


def side_by_side(call: Callable[[T], R], items: Iterable[T], width: int = THREADS_PER_ENDPOINT, *,
                 context: Callable[[], AbstractContextManager] = nullcontext) -> list[R]:
    """``call(item)`` for every item, at most ``width`` at once; the answers in the items' order.

    Each call runs inside ``context()`` (e.g. ``WaitRelay.carry()``: the caller's progress and
    cancel token, which are per thread). When a call raises, the first such exception (in the
    items' order) is raised once every call has ended (none is left running behind the caller).
    """
    items = list(items)
    if width <= 1 or len(items) <= 1:
        return [call(item) for item in items]

    def run(item: T) -> R:
        with context():
            return call(item)

    with ThreadPoolExecutor(max_workers=min(width, len(items)), thread_name_prefix="side-by-side") as pool:
        futures = [pool.submit(run, item) for item in items]
    return [f.result() for f in futures]
