"""The window looks again at invoices Autotask was still attaching items to, and says when they are ready."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from ..sync.test_pending import slow_attach

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


@pytest.fixture
def pending_window(scenario_window, tmp_path):
    return scenario_window(slow_attach(tmp_path))


def status_of(win, number):
    return next(r for r in win.rows() if r.invoice_number == number)


def test_a_pending_invoice_is_checked_again_after_the_attach_window(pending_window, qtbot):
    win = pending_window
    inv = status_of(win, "INV-5003")
    assert (inv.status, inv.causes) == ("mismatch", ["items_pending"])
    # Armed for the end of the attach window (15 minutes after the check), not sooner.
    assert win.pending.timer.isActive()
    checked = datetime.fromisoformat(win.session.store.invoice(5003).audited_at)
    assert win.pending.next_due == checked + timedelta(minutes=15)
    later = datetime.now(timezone.utc) + timedelta(minutes=16)
    win.pending.clock = lambda: later  # as if the window had stayed open that long
    win.pending.schedule(win.rows())
    qtbot.waitUntil(lambda: status_of(win, "INV-5003").status == "ready" and not win.ops.busy, timeout=30000)
    assert win.status.currentMessage() == (
        "INV-5003 is ready to sync now: Autotask finished attaching the billing items.")
    assert not win.pending.timer.isActive() and win.pending.next_due is None  # nothing pending any more
    assert [i for i in win.session.sandbox.state()["xero"]["Invoices"]] == []  # never synced on its own


def test_nothing_pending_means_no_timer(window):
    assert not window.pending.timer.isActive() and window.pending.next_due is None
