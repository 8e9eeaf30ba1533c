"""Cancelling long work: a token checked between steps and during every wait."""

from __future__ import annotations

import threading


class Cancelled(Exception):
    """The user cancelled a long operation; nothing half-done was left behind."""


class CancelToken:
    """Shared flag a worker checks between steps; waits end early when it is set."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def check(self) -> None:
        if self._event.is_set():
            raise Cancelled("Cancelled")

    def wait(self, seconds: float) -> bool:
        """Wait up to ``seconds`` for a cancel; whether it came."""
        return self._event.wait(max(0.0, seconds))

    def sleep(self, seconds: float) -> None:
        """Wait ``seconds`` (a rate-limit or retry pause), or raise Cancelled as soon as cancelled."""
        if self._event.wait(max(0.0, seconds)):
            raise Cancelled("Cancelled")
