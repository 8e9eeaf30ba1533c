"""The sync stamps its Autotask invoices side by side: 3 PATCHes at once (Autotask's thread limit
per endpoint), none refused, each invoice's intent recorded before the PUT that creates it."""

from __future__ import annotations

import contextlib
import json
import threading

from depot_gui.sandbox.scale import write_scale_scenario
from depot_gui.sync.session.session import Session


def test_twelve_stamps_go_three_at_once(tmp_path, demo_scenario):
    scenario = write_scale_scenario(demo_scenario, tmp_path / "s.json", 12, 4, credit_every=0)
    data = json.loads(scenario.read_text())
    data["latency"] = {"autotask": 0.2}
    scenario.write_text(json.dumps(data))
    with Session.open(tmp_path / "d", scenario) as s:
        s.connections()
        gate, peak, now, lock = s.sandbox.gate, {}, {}, threading.Lock()
        real_slot = gate.slot

        @contextlib.contextmanager
        def slot(key, limit):  # how many Autotask Invoices requests are in the sandbox at once
            with real_slot(key, limit) as acquired:
                with lock:
                    now[key] = now.get(key, 0) + 1
                    peak[key] = max(peak.get(key, 0), now[key])
                try:
                    yield acquired
                finally:
                    with lock:
                        now[key] -= 1

        gate.slot = slot
        start = len(s.sandbox.state()["requests"])
        outcomes = s.syncer().sync([f"ME-{k:05d}" for k in range(1, 13)])
        log = s.sandbox.state()["requests"][start:]
    assert [o.action for o in outcomes] == ["created"] * 12
    patches = [r for r in log if r["api"] == "autotask" and r["method"] == "PATCH"]
    assert [r["status"] for r in patches] == [200] * 12  # no thread-limit refusal
    assert peak[("autotask", "SANDBOXINTEGRATIONCODE00001", "invoices")] == 3
    first_put = next(i for i, r in enumerate(log) if r["method"] == "PUT" and r["path"].endswith("/Invoices"))
    assert all(i > first_put for i, r in enumerate(log) if r in patches)
