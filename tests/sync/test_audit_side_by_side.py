"""The audit overlaps its Xero look-ups: 200 numbers are 5 calls of 40, sent at once (Xero allows 5
at a time per organisation), beside the reference downloads; none refused."""

from __future__ import annotations

import contextlib
import json
import threading

import pytest

from depot_gui.sandbox.scale import write_scale_scenario
from depot_gui.sync.session.session import Session


@pytest.mark.slow
def test_the_look_ups_by_number_go_five_at_once(tmp_path, demo_scenario):
    scenario = write_scale_scenario(demo_scenario, tmp_path / "s.json", 200, 40)
    data = json.loads(scenario.read_text())
    data["latency"] = {"xero": 0.3}
    scenario.write_text(json.dumps(data))
    with Session.open(tmp_path / "d", scenario) as s:
        s.connections()
        gate, peak, now, lock = s.sandbox.gate, [0], [0], threading.Lock()
        real_slot = gate.slot

        @contextlib.contextmanager
        def slot(key, limit):  # Xero requests in the sandbox at once
            with real_slot(key, limit) as acquired:
                counted = bool(key) and key[0] == "xero"
                with lock:
                    now[0] += counted
                    peak[0] = max(peak[0], now[0])
                try:
                    yield acquired
                finally:
                    with lock:
                        now[0] -= counted

        gate.slot = slot
        start = len(s.sandbox.state()["requests"])
        results = s.auditor().audit()
        log = s.sandbox.state()["requests"][start:]
    assert len(results) == 200 and {r.status for r in results} == {"ready"}
    assert [r["status"] for r in log if r["api"] == "xero"] == [200] * 10
    assert peak[0] == 5


def test_the_autotask_downloads_after_the_invoices_go_at_once(tmp_path, demo_scenario):
    """After the invoice query, the billing items, companies, billing codes, taxes and the other holders
    of the numbers are separate endpoints: 5 Autotask requests in flight at once, none refused."""
    scenario = write_scale_scenario(demo_scenario, tmp_path / "s.json", 200, 40)
    data = json.loads(scenario.read_text())
    data["latency"] = {"autotask": 0.3}
    scenario.write_text(json.dumps(data))
    with Session.open(tmp_path / "d", scenario) as s:
        s.connections()
        gate, peak, now, lock = s.sandbox.gate, [0], [0], threading.Lock()
        real_slot = gate.slot

        @contextlib.contextmanager
        def slot(key, limit):  # Autotask requests in the sandbox at once, any endpoint
            with real_slot(key, limit) as acquired:
                counted = bool(key) and key[0] == "autotask"
                with lock:
                    now[0] += counted
                    peak[0] = max(peak[0], now[0])
                try:
                    yield acquired
                finally:
                    with lock:
                        now[0] -= counted

        gate.slot = slot
        start = len(s.sandbox.state()["requests"])
        results = s.auditor().audit()
        log = s.sandbox.state()["requests"][start:]
    assert len(results) == 200 and {r.status for r in results} == {"ready"}
    assert [r["status"] for r in log if r["api"] == "autotask"] == [200] * 8
    assert peak[0] == 5
