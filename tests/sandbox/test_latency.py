"""``latency`` in the scenario: each service's answers take that long; requests still overlap within
each service's own concurrency limits (Autotask 3 threads per endpoint, Xero 5 at once)."""

from __future__ import annotations

import json
import threading
import time

import pytest

from depot_gui.sandbox import Sandbox, ScenarioError

from .helpers import AT_HEADERS, DEMO, client, connect, xero_headers

V = "/atservicesrest/v1.0"


def _sandbox(tmp_path, latency) -> Sandbox:
    data = json.loads(DEMO.read_text())
    data["latency"] = latency
    path = tmp_path / "slow.json"
    path.write_text(json.dumps(data))
    return Sandbox.open(path)


def _together(calls) -> tuple[list, float]:
    """Run the calls on one thread each, started together; (results in order, seconds for all)."""
    results: list = [None] * len(calls)
    start = threading.Barrier(len(calls))

    def run(i):
        start.wait()
        results[i] = calls[i]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, time.monotonic() - t0


@pytest.mark.slow
def test_each_answer_takes_the_service_latency(tmp_path):
    sb = _sandbox(tmp_path, {"autotask": 0.3, "xero": 0.6})
    at = client(sb, headers=AT_HEADERS)
    t0 = time.monotonic()
    assert at.get(f"{V}/Invoices/5001").status_code == 200
    autotask_took = time.monotonic() - t0
    x = client(sb)
    x.headers.update(xero_headers(connect(x)["access_token"]))
    t0 = time.monotonic()
    assert x.get("/api.xro/2.0/Organisation").status_code == 200
    xero_took = time.monotonic() - t0
    assert autotask_took >= 0.3
    assert xero_took >= 0.6


def test_three_autotask_calls_on_one_endpoint_overlap_and_a_fourth_is_refused(tmp_path):
    sb = _sandbox(tmp_path, {"autotask": 1.0})
    at = client(sb, headers=AT_HEADERS)
    calls = [lambda i=i: at.get(f"{V}/Invoices/{5001 + i % 3}").status_code for i in range(4)]
    statuses, took = _together(calls)
    assert sorted(statuses) == [200, 200, 200, 429]  # the thread limit (Itgenatr005) still applies
    assert took < 2.5  # side by side: one after another would be 3 s or more


@pytest.mark.slow
def test_five_xero_calls_overlap_and_a_sixth_is_refused(tmp_path):
    sb = _sandbox(tmp_path, {"xero": 1.0})
    x = client(sb)
    x.headers.update(xero_headers(connect(x)["access_token"]))
    statuses, took = _together([lambda: x.get("/api.xro/2.0/Organisation").status_code for _ in range(6)])
    assert sorted(statuses) == [200] * 5 + [429]
    assert took < 2.5  # one after another would be 5 s or more


@pytest.mark.parametrize("latency, path, problem", [
    ({"autotask": -1}, "$.latency.autotask", "must be seconds from 0 to 60, got -1"),
    ({"xero": "fast"}, "$.latency.xero", "must be a JSON number"),
    ({"identity": 1}, "$.latency.identity", 'only "autotask" and "xero" have a latency'),
])
def test_a_latency_that_is_not_seconds_is_refused_naming_it(tmp_path, latency, path, problem):
    with pytest.raises(ScenarioError) as err:
        _sandbox(tmp_path, latency)
    assert err.value.path == path
    assert problem in str(err.value)
