"""Marking Autotask invoices processed (``webServiceDate``) while the sync goes on.

Autotask has no batch update: a stamp is one PATCH per invoice, 3 at once per endpoint (its
thread limit). A stamp is started only once Xero's document of the invoice is confirmed and
recorded; it then runs beside whatever the sync does next (the next batch's PUT to Xero), and
the sync waits for every stamp it started before it ends (none is left running behind it).
A stamp that failed is reported in the invoice's message, never undoes the Xero invoice.
"""

from __future__ import annotations

import time
from concurrent.futures import Future, ThreadPoolExecutor

from depot_gui.autotask.client import THREADS_PER_ENDPOINT


def stamp_invoice(autotask, autotask_id: int) -> str:
    """PATCH the invoice's ``webServiceDate`` (Autotask's clock when known); '' or what went wrong."""
    when = autotask.server_date or None
    stamp = when.strftime("%Y-%m-%dT%H:%M:%S") if when else time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime())
    try:
        autotask.patch("Invoices", {"id": autotask_id, "webServiceDate": stamp})
    except Exception as exc:  # noqa: BLE001 - reported, never undoes the Xero invoice
        text = (getattr(exc, "user_message", None) or type(exc).__name__).rstrip(".")
        return f"(Autotask was not marked as processed: {text}. Re-sync marks it.)"
    return ""


class Stamps:
    """Stamps of one sync, at most ``width`` at once, each in the caller's wait context."""

    def __init__(self, conn, width: int = THREADS_PER_ENDPOINT) -> None:
        self.conn = conn
        self.width = width
        self._due: list[int] = []
        self._running: dict[int, Future] = {}
        self._pool: ThreadPoolExecutor | None = None

    def due(self, autotask_id: int) -> None:
        """Stamp this invoice once :meth:`start` is called (after its record is committed)."""
        if autotask_id not in self._running and autotask_id not in self._due:
            self._due.append(autotask_id)

    def start(self) -> None:
        """Send the stamps due so far; they run while the caller goes on."""
        if not self._due:
            return
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=self.width, thread_name_prefix="stamp")
        context = self.conn.waits.carry()
        autotask = self.conn.autotask

        def run(autotask_id: int) -> str:
            with context():
                return stamp_invoice(autotask, autotask_id)

        for autotask_id in self._due:
            self._running[autotask_id] = self._pool.submit(run, autotask_id)
        self._due.clear()

    def finish(self) -> dict[int, str]:
        """Start what is still due, wait for every stamp; what each said ('' when it was stamped)."""
        self.start()
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None
        notes = {aid: f.result() for aid, f in self._running.items()}
        self._running.clear()
        return notes


__all__ = ["Stamps", "stamp_invoice"]
