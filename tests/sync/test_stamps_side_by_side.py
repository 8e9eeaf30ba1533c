"""The sync stamps its Autotask invoices side by side: 3 PATCHes at once (Autotask's thread limit
per endpoint), none refused, each invoice's intent recorded before the PUT that creates it."""

from __future__ import annotations

import contextlib
import json
import threading

import pytest

from depot_gui.sandbox.scale import write_scale_scenario
from depot_gui.sync.session.session import Session


@pytest.mark.slow
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



def test_a_batchs_stamps_go_while_the_next_batch_is_written(tmp_path, demo_scenario, monkeypatch):
    """With batches of 4, batch 1's stamps are held in the sandbox until batch 2's PUT arrives: the
    sync sends that PUT without waiting for them. Each stamp still starts only after the PUT that
    created its invoice has answered."""
    monkeypatch.setattr("depot_gui.sync.invoices.syncer.BATCH_SIZE", 4)
    scenario = write_scale_scenario(demo_scenario, tmp_path / "s.json", 8, 4, credit_every=0)
    with Session.open(tmp_path / "d", scenario) as s:
        s.connections()
        real_handle, lock, events, second_put = s.sandbox.handle, threading.Lock(), [], threading.Event()

        def handle(method, url, headers, body=b"", **kw):  # what starts and ends in which order, as the sandbox sees it
            if method == "PUT" and "/api.xro/2.0/Invoices" in url:
                what = ("put", tuple(d["InvoiceNumber"] for d in json.loads(body)["Invoices"]))
                with lock:
                    if sum(1 for e in events if e[:2] == ("start", "put")) == 1:
                        second_put.set()
            elif method == "PATCH":
                second_put.wait(5)  # a sync that waits for these stamps never sends the second PUT meanwhile
                what = ("patch", json.loads(body)["id"])
            else:
                return real_handle(method, url, headers, body, **kw)
            with lock:
                events.append(("start", *what))
            try:
                return real_handle(method, url, headers, body, **kw)
            finally:
                with lock:
                    events.append(("end", *what))

        s.sandbox.handle = handle
        outcomes = s.syncer().sync([f"ME-{k:05d}" for k in range(1, 9)])
        number_of = {r.autotask_id: r.invoice_number for r in s.store.invoices()}
    assert [o.action for o in outcomes] == ["created"] * 8
    starts = [e for e in events if e[0] == "start"]
    assert [e[1] for e in starts].count("put") == 2 and [e[1] for e in starts].count("patch") == 8
    second_put_at = [k for k, e in enumerate(events) if e[:2] == ("start", "put")][1]
    first_stamp_done = next(k for k, e in enumerate(events) if e[:2] == ("end", "patch"))
    assert second_put_at < first_stamp_done  # batch 2 went out while batch 1's stamps were in Autotask
    for k, e in enumerate(events):
        if e[:2] == ("start", "patch"):
            created = next(j for j, p in enumerate(events) if p[:2] == ("end", "put") and number_of[e[2]] in p[2])
            assert created < k
