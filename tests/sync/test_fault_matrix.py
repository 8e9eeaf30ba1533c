"""Nothing lost, nothing doubled: a fault at every request of a sync, a crash, two at once."""

import re
import threading

import pytest

from depot_gui.sync.session.connections import sandbox_connections
from depot_gui.sync.invoices.audit import Auditor
from depot_gui.sync.session.session import Session
from depot_gui.sync.invoices.syncer import Syncer

from .power_cut import sync_until_power_cut

KINDS = [
    {"kind": "timeout_after_commit"},
    {"kind": "status", "status": 503},
    {"kind": "status", "status": 429, "retryAfter": 2},
    {"kind": "drop"},
]


def open_syncer(data_dir, scenario):
    session = Session.open(data_dir, scenario)
    session._conn = sandbox_connections(session.sandbox, session.store, sleep=lambda s: None)
    syncer = Syncer(Auditor(session.store, session._conn), reconcile_delays=(0.0,), sleep=lambda s: None)
    return session, syncer


def xero_copies(session, number):
    return [i for i in session.sandbox.state()["xero"]["Invoices"] if i["InvoiceNumber"] == number]


@pytest.fixture(scope="module")
def sync_requests(tmp_path_factory, demo_scenario):
    """The requests one clean sync of INV-5001 sends, after connecting."""
    session, syncer = open_syncer(tmp_path_factory.mktemp("probe"), demo_scenario)
    with session:
        before = len(session.sandbox.state()["requests"])
        [o] = syncer.sync(["INV-5001"])
        assert o.ok
        return [(r["api"], r["method"], r["path"]) for r in session.sandbox.state()["requests"][before:]]


def fault_cases(requests):
    seen: dict[tuple, int] = {}
    for api, method, path in requests:
        seen[(api, method, path)] = seen.get((api, method, path), 0) + 1
        for kind in KINDS:
            yield {"api": api, "method": method, "path": "^" + re.escape(path) + "$", "nth": seen[(api, method, path)], **kind}


def test_sync_sends_a_sensible_number_of_requests(sync_requests):
    writes = [r for r in sync_requests if r[1] in ("PUT", "POST", "PATCH") and not r[2].lower().endswith("/query")]
    # Acme Dental Group exists in Xero: one invoice PUT, then the Autotask webServiceDate PATCH.
    assert [(a, m) for a, m, _ in writes] == [("xero", "PUT"), ("autotask", "PATCH")]
    assert len(sync_requests) < 25


@pytest.mark.slow
def test_fault_at_every_request_of_a_sync(tmp_path, demo_scenario, sync_requests):
    cases = list(fault_cases(sync_requests))
    assert len(cases) == len(KINDS) * len(sync_requests)
    failures = []
    for n, fault in enumerate(cases):
        session, syncer = open_syncer(tmp_path / f"case{n}", demo_scenario)
        with session:
            session.sandbox.add_fault(fault)
            [first] = syncer.sync(["INV-5001"])
            outcome = first if first.ok else syncer.sync(["INV-5001"])[0]
            log = session.sandbox.state()["requests"]
            fired = any(r.get("fault") == fault["kind"] for r in log)  # the sandbox logs every fault it fires
            copies = xero_copies(session, "INV-5001")
            row = session.store.invoice_by_number("INV-5001")
            ok = len(copies) == 1 and outcome.ok and row.status == "synced" and row.xero_invoice_id == copies[0]["InvoiceID"]
            if not fired or (not first.ok and not first.message):
                ok = False
            if not ok:
                failures.append(f"{fault}: copies={len(copies)} first={first.action}:{first.message[:80]} "
                                f"then={outcome.action} local={row.status if row else None}")
    assert not failures, "\n".join(failures)


def test_crash_between_xero_answer_and_local_record(tmp_path, demo_scenario, monkeypatch):
    session, syncer = open_syncer(tmp_path / "d", demo_scenario)
    with session:
        sync_until_power_cut(monkeypatch, session, syncer, ["INV-5001"])
        assert [a.state for a in session.store.attempts.all()] == ["intent"]
    # A new process starts: it must find the invoice rather than create a second one.
    session, syncer = open_syncer(tmp_path / "d", demo_scenario)
    with session:
        [o] = syncer.sync(["INV-5001"])
        assert o.ok and len(xero_copies(session, "INV-5001")) == 1
        assert session.store.invoice_by_number("INV-5001").status == "synced"
        assert [a.state for a in session.store.attempts.all()] == ["created"]  # this desk's create, confirmed by a look-up


def test_two_concurrent_syncs_of_one_invoice(tmp_path, demo_scenario):
    sessions = [open_syncer(tmp_path / "d", demo_scenario) for _ in range(2)]
    outcomes, errors = [], []
    barrier = threading.Barrier(2)

    def run(syncer):
        try:
            barrier.wait()
            outcomes.extend(syncer.sync(["INV-5001"]))
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(s,)) for _, s in sessions]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    assert sorted(o.action for o in outcomes) == ["created", "unchanged"]
    assert len(xero_copies(sessions[0][0], "INV-5001")) == 1
    for s, _ in sessions:
        s.close()


def test_double_click_in_one_process(tmp_path, demo_scenario):
    session, syncer = open_syncer(tmp_path / "d", demo_scenario)
    with session:
        results = []
        threads = [threading.Thread(target=lambda: results.extend(syncer.sync(["INV-5001"]))) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert sorted(o.action for o in results) == ["created", "unchanged"]
        assert len(xero_copies(session, "INV-5001")) == 1
