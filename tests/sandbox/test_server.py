"""Loopback server: serve(), serve_forever's one JSON line, ``python -m depot_gui.sandbox``."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import threading
import time

import httpx2
import pytest

from depot_gui.sandbox import Sandbox, serve_forever

from .helpers import AT_HEADERS, DEMO, REPO, connect, xero_headers

V = "/atservicesrest/v1.0"


def test_serve_port_zero_and_real_http(demo):
    server = demo.serve("127.0.0.1", 0)
    try:
        assert server.base_url.startswith("http://127.0.0.1:") and server.port > 0
        with httpx2.Client(base_url=server.base_url) as c:
            zone = c.get(f"{V}/zoneInformation", params={"user": "depot.api@acme-msp.example"}).json()
            assert zone["url"] == f"{server.base_url}/ATServicesRest/"
            r = c.post(f"{V}/BillingItems/query", headers=AT_HEADERS,
                       json={"filter": [{"op": "exist", "field": "id"}], "MaxRecords": 5})
            nxt = r.json()["pageDetails"]["nextPageUrl"]
            assert nxt.startswith(server.base_url)
            assert c.get(nxt, headers=AT_HEADERS).status_code == 405
            assert c.post(nxt, headers=AT_HEADERS, json={"filter": [{"op": "exist", "field": "id"}]}).status_code == 200
            assert "date" in r.headers and r.headers["date"].endswith("GMT")
            tok = connect(c)["access_token"]
            assert c.get("/api.xro/2.0/Organisation", headers=xero_headers(tok)).status_code == 200
    finally:
        server.shutdown()


@pytest.mark.slow
def test_concurrency_limit_over_loopback(demo):
    demo.add_fault({"api": "autotask", "method": "GET", "path": "/Companies/100$", "kind": "delay", "seconds": 1.5,
                    "nth": 1, "times": 3})
    with demo.serve() as server:
        results = []

        def slow():
            with httpx2.Client(base_url=server.base_url, headers=AT_HEADERS) as c:
                results.append(c.get(f"{V}/Companies/100").status_code)

        threads = [threading.Thread(target=slow) for _ in range(3)]
        for t in threads:
            t.start()
        deadline = time.monotonic() + 10
        while sum(demo.gate._counts.values()) < 3 and time.monotonic() < deadline:  # all three are in flight
            time.sleep(0.01)
        with httpx2.Client(base_url=server.base_url, headers=AT_HEADERS) as c:
            fourth = c.get(f"{V}/Companies/101")
        for t in threads:
            t.join()
    assert fourth.status_code == 429 and "Itgenatr005" in fourth.text
    assert results == [200, 200, 200]


def test_serve_forever_prints_one_json_line(tmp_path):
    out = io.StringIO()
    stop = threading.Event()
    t = threading.Thread(target=serve_forever, args=(DEMO, "127.0.0.1", 0, tmp_path),
                         kwargs={"out": out, "stop": stop})
    t.start()
    for _ in range(100):
        if out.getvalue():
            break
        time.sleep(0.02)
    line = out.getvalue()
    base = json.loads(line)["base_url"]
    assert line.count("\n") == 1 and base.startswith("http://127.0.0.1:")
    assert httpx2.get(f"{base}/atservicesrest/versioninformation").status_code == 200
    stop.set()
    t.join(5)
    assert not t.is_alive()
    assert Sandbox.open(DEMO, tmp_path).state()["requests"][0]["status"] == 200


def test_python_dash_m(tmp_path):
    proc = subprocess.Popen([sys.executable, "-m", "depot_gui.sandbox", "--scenario", str(DEMO), "--port", "0",
                             "--state-dir", str(tmp_path)], stdout=subprocess.PIPE, text=True, cwd=REPO)
    try:
        base = json.loads(proc.stdout.readline())["base_url"]
        assert httpx2.get(f"{base}/atservicesrest/versioninformation").json() == {"apiVersions": ["1.0"]}
    finally:
        proc.terminate()
        proc.wait(10)


def test_bad_scenario_exit_code(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{}")
    proc = subprocess.run([sys.executable, "-m", "depot_gui.sandbox", "--scenario", str(bad)], capture_output=True,
                          text=True, cwd=REPO, timeout=30)
    assert proc.returncode == 2 and "bad.json: $: missing required key" in proc.stderr
