"""A session whose sandbox is served by a child process on loopback (issue 22: none of the
sandbox's work holds the window's GIL): it works as the in-process one, keeps its state, and
the child never outlives the app, however the app ends."""

import json
import os
import signal
import subprocess
import sys
import time
from decimal import Decimal as D

import httpx2
import pytest

from depot_gui.sandbox import Sandbox
from depot_gui.sandbox.http.child import ChildSandbox
from depot_gui.sync.session.session import Session, SessionError
from depot_gui.sync.setup.common import Endpoints


def _gone(pid: int, within: float) -> bool:
    """Whether process ``pid`` has exited (and been reaped, or is a zombie) within ``within`` seconds."""
    end = time.monotonic() + within
    while time.monotonic() < end:
        try:
            with open(f"/proc/{pid}/stat") as f:
                if f.read().split(") ", 1)[1].startswith("Z"):
                    return True
        except FileNotFoundError:
            return True
        time.sleep(0.05)
    return False


def test_a_served_session_syncs_over_loopback_and_the_child_keeps_the_state(tmp_path, demo_scenario):
    session = Session.open(tmp_path / "data", demo_scenario, served=True)
    child = session.sandbox
    try:
        assert isinstance(child, ChildSandbox) and child.running()
        assert child.base_url.startswith("http://127.0.0.1:")
        conn = session.connections()
        assert conn.xero.api_root.startswith(child.base_url)  # the clients talk HTTP to the child, nothing in-process
        assert Endpoints.for_session(session).autotask_root == child.base_url  # and so does the setup wizard
        statuses = {r.invoice_number: r.status for r in session.auditor().audit()}
        assert statuses["INV-5001"] == "ready" and statuses["INV-5002"] == "mismatch"
        [o] = session.syncer().sync(["INV-5001"])
        assert o.ok and o.action == "created" and o.result.status == "synced"
    finally:
        session.close()
    assert child.process.returncode == 0  # closing the session stopped the child, which saved and exited
    kept = Sandbox.open(demo_scenario, state_dir=tmp_path / "data" / "sandbox")
    try:
        [x] = [i for i in kept.state()["xero"]["Invoices"] if i["InvoiceNumber"] == "INV-5001"]
        assert D(str(x["Total"])) == D("1633.50") and x["Status"] == "DRAFT"
    finally:
        kept.close()


def test_a_bad_scenario_is_the_same_one_line_from_the_child(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"now": 1}')
    with pytest.raises(SessionError) as in_process:
        Session.open(tmp_path / "a", bad)
    with pytest.raises(SessionError) as served:
        Session.open(tmp_path / "b", bad, served=True)
    assert str(served.value) == str(in_process.value)
    assert str(served.value).startswith(f"{bad}: $")


PARENT = """
import sys, time
from pathlib import Path
from depot_gui.sandbox.http.child import ChildSandbox
child = ChildSandbox.start(Path(sys.argv[1]))
print(child.process.pid, child.base_url, flush=True)
time.sleep(120)
"""


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_the_child_dies_with_an_app_that_crashes(tmp_path, demo_scenario):
    parent = subprocess.Popen([sys.executable, "-c", PARENT, str(demo_scenario)], stdout=subprocess.PIPE, text=True)
    pid = "0"
    try:
        pid, base_url = parent.stdout.readline().split()
        assert base_url.startswith("http://127.0.0.1:")
        assert not _gone(int(pid), 0.2)  # serving while the app runs
        os.kill(parent.pid, signal.SIGKILL)  # no clean-up runs in the app
        parent.wait(10)
        assert _gone(int(pid), 10)
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait()
        if int(pid) and not _gone(int(pid), 0):
            os.kill(int(pid), signal.SIGKILL)  # a failed test leaves no child behind


def test_the_child_says_where_it_serves_in_one_line(tmp_path, demo_scenario):
    proc = subprocess.Popen([sys.executable, "-m", "depot_gui.sandbox.http.child", "--scenario", str(demo_scenario)],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        said = json.loads(proc.stdout.readline())
        assert list(said) == ["base_url"] and said["base_url"].startswith("http://127.0.0.1:")
    finally:
        proc.stdin.close()  # end of input: it stops
        try:
            assert proc.wait(10) == 0
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()


@pytest.mark.skipif(not hasattr(os, "SCHED_IDLE"), reason="SCHED_IDLE is Linux's")
def test_the_served_sandbox_uses_only_the_cpu_nobody_else_wants(tmp_path, demo_scenario):
    """It stands in for other machines: every thread of it runs SCHED_IDLE, so the window's thread is
    never kept waiting for a core by it (issue 22)."""
    child = ChildSandbox.start(demo_scenario, tmp_path / "state")
    try:
        httpx2.get(child.base_url + "/connections", timeout=10)  # its server threads have started
        tasks = os.listdir(f"/proc/{child.process.pid}/task")
        assert len(tasks) >= 2
        assert {os.sched_getscheduler(int(t)) for t in tasks} == {5}  # SCHED_IDLE
    finally:
        child.close()


def test_the_served_sandbox_transport_is_plain_http_only(tmp_path, demo_scenario):
    """Its transport loads no CA bundle (plain HTTP on loopback), so it refuses anything but http://."""
    child = ChildSandbox.start(demo_scenario, tmp_path / "state")
    try:
        with httpx2.Client(transport=child.transport()) as client:
            assert client.get(child.base_url + "/connections").status_code == 401  # answered (no bearer sent)
            with pytest.raises(httpx2.UnsupportedProtocol, match="plain HTTP, not https"):
                client.get(child.base_url.replace("http://", "https://") + "/connections")
    finally:
        child.close()
