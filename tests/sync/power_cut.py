"""A crash right after Xero answered a create, before the local record of it (tests' helper)."""

from __future__ import annotations

import pytest


def sync_until_power_cut(monkeypatch, session, syncer, numbers: list[str]) -> None:
    """Run ``syncer.sync(numbers)``; it dies (SystemExit) when the first 'created' is being recorded."""
    real = session.store.attempts.finish

    def crash(attempt_id, state, *a, **kw):
        if state == "created":
            raise SystemExit("power cut")
        return real(attempt_id, state, *a, **kw)

    monkeypatch.setattr(session.store.attempts, "finish", crash)
    with pytest.raises(SystemExit):
        syncer.sync(numbers)
    monkeypatch.setattr(session.store.attempts, "finish", real)
