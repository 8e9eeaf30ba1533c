"""The window syncs in a process of its own when its services can be reached from one (issue 22: the
sync's work never holds the window's GIL), and reads as the same sync on a thread does."""

from __future__ import annotations

import re

import pytest

from depot_gui.sync.session.session import Session
from depot_gui.ui.ops.workers import wait_for_ops

from ..conftest import DEMO_PATH
from .conftest import close_window, open_window, temp_qsettings  # noqa: F401 - the window fixtures

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


@pytest.fixture
def served_window(qtbot, tmp_path):
    session = Session.open(tmp_path / "data", DEMO_PATH, served=True)
    win = open_window(qtbot, session)
    yield win
    close_window(qtbot, win)
    wait_for_ops()
    session.close()


@pytest.mark.slow
def test_sync_all_ready_runs_in_a_child_and_the_window_shows_what_it_did(served_window, qtbot, monkeypatch):
    win = served_window
    assert win.ops.apart and win.session.reachable_apart

    def in_this_process(*args, **kwargs):
        raise AssertionError("the sync ran in the window's process")

    monkeypatch.setattr(win.session, "syncer", in_this_process)
    win.ask = lambda box: True
    win.commands.act_sync_all.trigger()
    assert win.ops.busy
    qtbot.waitUntil(lambda: not win.ops.busy, timeout=60000)
    assert re.fullmatch(r"3 of 3 invoices in Xero\..*", win.status.currentMessage())
    statuses = {r.invoice_number: r.status for r in win.rows()}
    assert [n for n, s in sorted(statuses.items()) if s == "synced"] == ["INV-5001", "INV-5003", "INV-5005"]
    assert win.invoices.select_number("INV-5001")
    qtbot.waitUntil(lambda: win.detail.row is not None and win.detail.row.status == "synced")


def test_a_sandbox_inside_the_window_process_is_synced_on_a_thread(qtbot, tmp_path):
    session = Session.open(tmp_path / "data", DEMO_PATH)
    try:
        assert not session.reachable_apart  # another process cannot reach a sandbox in this one
        assert Session.open(tmp_path / "real").reachable_apart  # the real services: every process can
    finally:
        session.close()


@pytest.mark.slow
def test_the_refresh_and_the_payments_check_after_it_run_in_a_child_too(qtbot, tmp_path, monkeypatch):
    session = Session.open(tmp_path / "data", DEMO_PATH, served=True)

    def in_this_process(*args, **kwargs):
        raise AssertionError("the audit ran in the window's process")

    monkeypatch.setattr(session, "auditor", in_this_process)
    monkeypatch.setattr(session, "payments", in_this_process)  # the payments check after it: in the child too
    try:
        win = open_window(qtbot, session)
        qtbot.wait(300)
        qtbot.waitUntil(lambda: not win.ops.busy, timeout=30000)  # the payments check has run too
        assert {r.invoice_number: r.status for r in win.rows()} == {
            "INV-5001": "ready", "INV-5002": "mismatch", "INV-5003": "ready", "INV-5004": "mismatch",
            "INV-5005": "ready"}
        assert win.status.currentMessage().startswith(
            "Checked 5 invoices against Autotask: 3 ready, 2 mismatch. Downloaded: unsynced invoices dated from "
            "1 Oct 2026")
        close_window(qtbot, win)
    finally:
        wait_for_ops()
        session.close()


@pytest.mark.slow
def test_cancel_in_the_window_stops_the_child_and_counts_what_was_sent(qtbot, tmp_path):
    """The services at a real pace (latency): Cancel… stops the child after its current step; the window says
    what was and was not sent, and nothing more reaches Xero afterwards."""
    import json

    from depot_gui.sandbox.scale import write_scale_scenario

    path = write_scale_scenario(DEMO_PATH, tmp_path / "scale.json", 120, 20)  # Xero batches of 50: 3 of them
    scenario = json.loads(path.read_text())
    scenario["latency"] = {"autotask": 0.1, "xero": 0.1}
    path.write_text(json.dumps(scenario))
    session = Session.open(tmp_path / "data", path, served=True)
    try:
        win = open_window(qtbot, session, rows=120)
        win.ask = lambda box: True
        win.commands.act_sync_all.trigger()
        strip = win.status.progress
        qtbot.waitUntil(lambda: any(r.status == "synced" for r in win.rows()), timeout=30000)
        strip.ask = lambda question: True
        strip.cancel_button.click()
        qtbot.waitUntil(lambda: not win.ops.busy, timeout=30000)
        synced = sum(1 for r in win.rows() if r.status == "synced")
        assert 0 < synced < 120
        message = win.status.currentMessage()
        assert message.startswith(f"Sync cancelled: {120 - synced} invoices not sent; {synced} sent")
        close_window(qtbot, win)
    finally:
        wait_for_ops()
        session.close()


def test_after_each_job_a_child_waits_for_the_next_and_it_ends_with_the_window(served_window, qtbot):
    win = served_window
    first = win.ops._spare  # started when the first refresh ended
    assert first is not None and first.poll() is None
    win.ask = lambda box: True
    win.commands.act_sync_all.trigger()
    qtbot.waitUntil(lambda: not win.ops.busy, timeout=60000)
    assert first.wait(10) == 0  # it did the sync
    second = win.ops._spare
    assert second is not None and second is not first and second.poll() is None
    win.close()
    assert second.wait(10) == 2  # told there is no next job: it exits
    assert win.ops._spare is None


def test_send_from_xero_sends_in_a_child(served_window, qtbot, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from depot_gui.sync.sending.sender import Sender

    win = served_window
    win.session.set_settings({"xero_status": "approved", "send_from_xero": "mark_sent"})
    win.ask = lambda box: True
    win.commands.act_sync_all.trigger()
    qtbot.waitUntil(lambda: not win.ops.busy, timeout=60000)
    monkeypatch.setattr(Sender, "send", lambda *a, **k: pytest.fail("sent from the window's process"))
    [row] = [r for r in win.rows() if r.invoice_number == "INV-5001"]
    win.sending.send([row])
    qtbot.waitUntil(lambda: win.sending.box is not None and win.sending.box.isVisible(), timeout=30000)
    box = win.sending.box
    next(b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.AcceptRole).click()
    qtbot.waitUntil(lambda: not win.ops.busy and {r.invoice_number: r.sent_how for r in win.rows()}["INV-5001"]
                    == "mark_sent", timeout=30000)
    assert win.status.currentMessage().startswith("Marked as sent in Xero: 1 of 1 invoice.")
