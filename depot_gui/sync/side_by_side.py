"""Independent calls side by side, as many at once as the service allows.

For calls whose order does not matter (the audit's reference downloads: each Autotask entity is
its own endpoint, 3 requests at once each; Xero's look-ups by number, 5 at once). Whatever must
happen before a call (an intent recorded) happens before this runs; whatever depends on its
answer is done by the caller afterwards, in order. (The Autotask stamps run beside the rest of a
sync: ``sync/invoices/stamps.py``.)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, nullcontext
from typing import Generic, TypeVar

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


class beside(Generic[R]):  # noqa: N801 - reads as a phrase: with beside(call) as answer
    """``with beside(call, context) as answer:`` runs ``call()`` on a helper thread (inside
    ``context()``) while the block runs; leaving the block waits for it. ``answer()`` then gives
    its answer or raises its exception; when the block itself failed, that failure is the one
    raised (the helper's is dropped)."""

    def __init__(self, call: Callable[[], R], context: Callable[[], AbstractContextManager] = nullcontext) -> None:
        def run() -> R:
            with context():
                return call()

        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="beside")
        self._future = self._pool.submit(run)

    def __enter__(self) -> Callable[[], R]:
        return self._future.result

    def __exit__(self, *exc: object) -> None:
        self._pool.shutdown(wait=True)  # never left running behind the caller
