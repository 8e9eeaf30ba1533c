"""The window's sync in a process of its own (issue 22: none of its work holds the window's GIL).

Against a sandbox served on loopback, as the real services are elsewhere: the child syncs what it is
asked, relays progress, rows and log lines as they happen, ends with the outcomes, and its failures
reach the window as the engine's own errors. Cancelled or killed part-way, nothing is doubled.
"""

from __future__ import annotations

import io
import logging
import os
import signal
import subprocess
import sys
from collections import Counter
from types import SimpleNamespace

import pytest

from depot_gui.sandbox import Sandbox
from depot_gui.sandbox.scale import write_scale_scenario
from depot_gui.sync.cancel import Cancelled, CancelToken
from depot_gui.sync.child import parent as parent_mod
from depot_gui.sync.child.errors import ChildError
from depot_gui.sync.child.parent import sync_apart
from depot_gui.sync.session.session import Session, SessionError


@pytest.fixture
def served(tmp_path, demo_scenario):
    """A served session on a 12-invoice scenario, audited once (as the window is before a sync)."""
    scenario = write_scale_scenario(demo_scenario, tmp_path / "scale.json", 12, 4)
    session = Session.open(tmp_path / "data", scenario, served=True)
    ready = [r for r in session.auditor().audit() if r.status == "ready"]
    yield session, ready
    session.close()


def _xero_numbers(session) -> Counter:
    """How many live Xero documents carry each number, read from the sandbox's saved state."""
    scenario, state = session.scenario, session.paths.sandbox_state
    session.close()
    kept = Sandbox.open(scenario, state_dir=state)
    try:
        xero = kept.state()["xero"]
        docs = [*xero["Invoices"], *xero.get("CreditNotes", [])]
        return Counter(d.get("InvoiceNumber") or d.get("CreditNoteNumber") or d.get("Reference")
                       for d in docs if d.get("Status") not in ("DELETED", "VOIDED"))
    finally:
        kept.close()


def test_the_child_syncs_relays_progress_rows_and_logs_and_ends_with_outcomes(served, caplog):
    session, ready = served
    assert len(ready) == 12
    said, relayed = [], []
    xero = session.connected().xero
    left_before, minute_before = xero.day_remaining, len(xero.throttle.recent())
    with caplog.at_level(logging.INFO, logger="depot_gui"):
        done = sync_apart(session, [r.invoice_number for r in ready], [r.autotask_id for r in ready],
                          progress=lambda m, d, t: said.append((m, d, t)), on_rows=relayed.extend)
    assert Counter(o.action for o in done.outcomes) == Counter({"created": 12})
    assert sorted(r.status for r in done.rows) == ["synced"] * 12  # the rows as stored after, for the window
    assert {r.autotask_id for r in relayed} == {r.autotask_id for r in ready}  # as the child recorded them
    assert said and said[-1][2] > 0  # progress with a total
    # the child's log lines are this process's log lines (the file and the window's log)
    assert any(rec.name.startswith("depot_gui") and "created" in rec.getMessage().lower() for rec in caplog.records)
    # Xero's calls-left counts of the child's answers are in the window's clients (the status bar), and its
    # calls count in the window's minute
    [state] = done.xero.values()
    assert xero.day_remaining == int(state["limits"]["X-DayLimit-Remaining"]) < left_before
    assert len(xero.throttle.recent()) - minute_before == 6  # GET /connections is not an organisation's call
    # Xero calls: the 6 the same sync makes on a thread (tax rates not read again: the window's session has
    # them), plus the sandbox's sign-in asking GET /connections (the real services' saved organisation does not)
    assert [v["made"] for v in done.xero.values()] == [7]
    assert _xero_numbers(session) == Counter({r.invoice_number: 1 for r in ready})


def test_cancelled_part_way_the_child_stops_and_a_second_sync_doubles_nothing(served):
    session, ready = served
    numbers, ids = [r.invoice_number for r in ready], [r.autotask_id for r in ready]
    cancel = CancelToken()
    relayed = []

    def rows(got):
        relayed.extend(got)
        cancel.cancel()  # as the person presses Cancel once the first invoices are recorded

    with pytest.raises(Cancelled):
        sync_apart(session, numbers, ids, cancel=cancel, on_rows=rows)
    assert 0 < len({r.autotask_id for r in relayed})
    done = sync_apart(session, numbers, ids)
    assert all(o.ok for o in done.outcomes)
    assert _xero_numbers(session) == Counter({n: 1 for n in numbers})


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_killed_part_way_the_window_is_told_and_a_second_sync_doubles_nothing(served, monkeypatch):
    session, ready = served
    numbers, ids = [r.invoice_number for r in ready], [r.autotask_id for r in ready]
    started: list[subprocess.Popen] = []
    real_popen = subprocess.Popen

    def popen(*args, **kwargs):
        started.append(real_popen(*args, **kwargs))
        return started[-1]

    monkeypatch.setattr(parent_mod.subprocess, "Popen", popen)
    with pytest.raises(ChildError) as stopped:
        sync_apart(session, numbers, ids, on_rows=lambda rows: os.kill(started[-1].pid, signal.SIGKILL))
    assert str(stopped.value) == (
        "The sync stopped before it finished (its process ended: signal 9). What it sent is recorded: refresh to "
        "see each invoice's state; Re-sync looks an invoice up in Xero before sending it again.")
    assert stopped.value.user_message == str(stopped.value)
    monkeypatch.setattr(parent_mod.subprocess, "Popen", real_popen)
    done = sync_apart(session, numbers, ids)
    assert all(o.ok for o in done.outcomes)
    assert _xero_numbers(session) == Counter({n: 1 for n in numbers})


def test_a_failure_in_the_child_is_the_engines_own_error_here(tmp_path, demo_scenario):
    not_a_dir = tmp_path / "data"
    not_a_dir.write_text("a file where the data directory should be")
    session = SimpleNamespace(paths=SimpleNamespace(data_dir=not_a_dir), scenario=demo_scenario, served_url=None,
                              connected=lambda: None)
    with pytest.raises(SessionError) as failed:  # the type the window's messages and "disconnected" go by
        sync_apart(session, ["INV-5001"], [5001])
    assert str(failed.value).startswith(f"the data directory {not_a_dir} cannot be used: ")


def test_the_child_says_progress_at_most_every_tenth_of_a_second_and_logs_in_batches_in_order():
    """Each message wakes a thread of the window's process (its GIL): few of them, in the order made."""
    from depot_gui.sync.child import wire
    from depot_gui.sync.child.child_main import _Outbox

    now = [100.0]
    out = io.BytesIO()
    arranged = []
    box = _Outbox(out, clock=lambda: now[0], later=lambda seconds, fn: arranged.append((seconds, fn)))
    for i in range(50):  # 50 reports within the same 0.1 s
        box.progress(f"Sending INV-{i}", i, 50)
    box.log("depot_gui.sync", logging.INFO, "sync INV-1: created", 100.01)
    box.log("depot_gui.sync", logging.INFO, "sync INV-2: created", 100.02)
    now[0] = 100.2
    box.progress("Sending INV-50", 50, 50)  # a tenth of a second later: out at once, with the lines before it
    box.progress("Done", 50, 50)
    box.say(wire.ROWS, ["row"])  # what waits goes first
    arranged[0][1]()  # the flush arranged for the first held-back report comes (it finds nothing left)
    arranged.clear()
    box.progress("Waiting for Xero's rate limit (42 s)", 50, 50)  # within 0.1 s, and then nothing for long:
    assert [round(s, 2) for s, _ in arranged] == [0.1]  # it goes out at the latest 0.1 s later
    arranged[-1][1]()
    out.seek(0)
    said = []
    while True:
        try:
            said.append(wire.receive(out))
        except wire.WireClosed:
            break
    assert said == [
        ("progress", ("Sending INV-0", 0, 50)),
        ("log", [("depot_gui.sync", logging.INFO, "sync INV-1: created", 100.01),
                 ("depot_gui.sync", logging.INFO, "sync INV-2: created", 100.02)]),
        ("progress", ("Sending INV-50", 50, 50)),
        ("progress", ("Done", 50, 50)),
        ("rows", ["row"]),
        ("progress", ("Waiting for Xero's rate limit (42 s)", 50, 50)),
    ]


def test_the_windows_refresh_audits_in_the_child_and_brings_back_every_row(tmp_path, demo_scenario):
    from depot_gui.sync.child.parent import audit_apart

    session = Session.open(tmp_path / "data", demo_scenario, served=True)
    try:
        relayed = []
        done = audit_apart(session, on_rows=relayed.extend)
        assert {r.invoice_number: r.status for r in done.rows} == {
            "INV-5001": "ready", "INV-5002": "mismatch", "INV-5003": "ready", "INV-5004": "mismatch",
            "INV-5005": "ready"}
        assert sorted(r.invoice_number for r in relayed) == ["INV-5001", "INV-5002", "INV-5003", "INV-5004",
                                                              "INV-5005"]
        assert str(done.since) == "2026-10-01"  # the period's first day, as the window's status line says it
        assert done.outcomes == []
    finally:
        session.close()


def test_a_frozen_build_starts_the_child_as_itself_and_its_entry_runs_it(tmp_path, monkeypatch):
    """The installed app has no `python -m`: it starts its own executable with --sync-child, and its entry
    (installer/entry.py, the frozen program's main) hands that to the child's main."""
    from pathlib import Path

    from depot_gui.sync.child import wire
    from depot_gui.sync.child.parent import child_command

    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", "/opt/Depot GUI/depot-gui")
    assert child_command() == ["/opt/Depot GUI/depot-gui", "--sync-child"]
    monkeypatch.undo()
    entry = Path(__file__).resolve().parents[2] / "installer" / "entry.py"
    not_a_dir = tmp_path / "data"
    not_a_dir.write_text("a file")
    child = subprocess.Popen([sys.executable, str(entry), "--sync-child"], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    wire.send(child.stdin, wire.REQUEST, wire.Job(str(not_a_dir), ["INV-5001"], [5001]))
    kind, failed = wire.receive(child.stdout)
    child.stdin.close()
    assert child.wait(30) == 1
    assert kind == "failed" and isinstance(failed, SessionError)
    assert str(failed).startswith(f"the data directory {not_a_dir} cannot be used: ")


@pytest.mark.slow
def test_a_child_started_ahead_does_the_next_job_and_a_dead_one_is_replaced(served):
    """The window starts the next job's child when a job ends (its engine loaded while nobody waits); one
    that died meanwhile is not used: a new one does the job."""
    from depot_gui.sync.child.parent import start_child

    session, ready = served
    spare = start_child()
    done = sync_apart(session, [ready[0].invoice_number], [ready[0].autotask_id], spare=spare)
    assert [o.action for o in done.outcomes] == ["created"]
    assert spare.wait(10) == 0  # it was the one that did the job, and it ended with it
    dead = start_child()
    dead.kill()
    dead.wait(10)
    done = sync_apart(session, [ready[1].invoice_number], [ready[1].autotask_id], spare=dead)
    assert [o.action for o in done.outcomes] == ["created"]


@pytest.mark.slow
def test_the_payments_check_runs_in_the_child_and_brings_back_its_report_and_rows(tmp_path, demo_scenario):
    """After a refresh the window checks payments (on by default): in the child too, as the refresh and sync."""
    from depot_gui.sync.child.parent import payments_apart

    session = Session.open(tmp_path / "data", demo_scenario, served=True)
    try:
        session.auditor().audit()
        session.set_setting("xero_status", "authorised")  # a draft is not due: an authorised invoice is
        assert [o.action for o in sync_apart(session, ["INV-5001"], [5001]).outcomes] == ["created"]
        done = payments_apart(session)
        assert done.report.summary() == "Payments checked for 1 invoices: 1 overdue."
        assert [(c.invoice_number, c.row.state) for c in done.report.checks] == [("INV-5001", "overdue")]
        assert [r.invoice_number for r in done.rows] == ["INV-5001"]
        assert [r.payment_state for r in done.rows] == ["overdue"]  # as the child stored it
    finally:
        session.close()


def test_sending_from_xero_runs_in_the_child_and_brings_back_outcomes_and_rows(tmp_path, demo_scenario):
    """Send from Xero: the window reads who the invoices go to and asks; the agreed plan is sent by the child."""
    from depot_gui.sync.child.parent import send_apart
    from depot_gui.sync.sending.plan import how_to_send

    session = Session.open(tmp_path / "data", demo_scenario, served=True)
    try:
        session.auditor().audit()
        session.set_settings({"xero_status": "approved", "send_from_xero": "mark_sent"})
        assert [o.action for o in sync_apart(session, ["INV-5001"], [5001]).outcomes] == ["created"]
        plan = session.sender().prepare(["INV-5001"], how_to_send(session.settings()))
        done = send_apart(session, plan, [5001])
        assert [(o.item.invoice_number, o.ok) for o in done.outcomes] == [("INV-5001", True)]
        assert [(r.invoice_number, r.sent_how) for r in done.rows] == [("INV-5001", "mark_sent")]
        assert done.report == []  # marking as sent uses no email: no emails-left line
    finally:
        session.close()


def test_a_damaged_database_in_the_child_is_the_same_damaged_database_here(tmp_path, demo_scenario):
    """The window offers its repair for a StoreDamaged: from the child it arrives as one, not a generic error."""
    import pickle
    import sqlite3

    from depot_gui.store.records import BadStoredSetting, StoreDamaged
    from depot_gui.sync.child.parent import audit_apart

    damaged = pickle.loads(pickle.dumps(StoreDamaged("/data/depot.sqlite3", "the row of invoice 5001 is unreadable")))
    assert (damaged.path, damaged.problem) == ("/data/depot.sqlite3", "the row of invoice 5001 is unreadable")
    bad = pickle.loads(pickle.dumps(BadStoredSetting("audit_months", "x", "not a whole number")))
    assert (bad.key, bad.value, bad.problem) == ("audit_months", "x", "not a whole number")
    session = Session.open(tmp_path / "data", demo_scenario, served=True)
    try:
        session.auditor().audit()
        conn = sqlite3.connect(session.paths.database)
        with conn:
            conn.execute("UPDATE invoices SET causes='{not json' WHERE invoice_number='INV-5002'")
        conn.close()
        with pytest.raises(StoreDamaged) as raised:
            audit_apart(session)
        assert raised.value.problem == "the row of invoice 5002 is unreadable: causes '{not json' is not JSON"
    finally:
        session.close()
