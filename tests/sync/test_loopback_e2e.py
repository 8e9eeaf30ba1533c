"""End to end over real sockets: `depot-sync sandbox serve` in a subprocess, the app's clients over HTTP."""

import json
import subprocess
import sys
import time

import httpx2
import pytest

from depot_gui.store.db import Store
from depot_gui.sync.session.connections import scenario_connections
from depot_gui.sync.invoices.audit import Auditor
from depot_gui.sync.invoices.syncer import Syncer


@pytest.fixture
def served(tmp_path, demo_scenario):
    proc = subprocess.Popen(
        [sys.executable, "-m", "depot_gui.cli.commands", "--data-dir", str(tmp_path / "srv"), "sandbox", "serve",
         "--scenario", str(demo_scenario), "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        line = proc.stdout.readline()
        base = json.loads(line)["base_url"]
        assert base.startswith("http://127.0.0.1:")
        yield base
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.mark.slow
def test_sync_over_loopback_survives_a_real_timeout_after_commit(tmp_path, demo_scenario, served):
    conn = scenario_connections(demo_scenario, served, timeout=1.5, sleep=lambda s: None)
    store = Store(tmp_path / "db.sqlite3")
    try:
        # Make Xero apply the PUT and then hold the socket open without answering.
        with httpx2.Client(base_url=served) as raw:
            assert raw.get("/atservicesrest/versioninformation").status_code == 200
        sandbox_fault = {"api": "xero", "method": "PUT", "path": "/Invoices$", "nth": 1, "kind": "timeout_after_commit"}
        _add_fault_via_state(tmp_path, demo_scenario, sandbox_fault)
        t0 = time.monotonic()
        [o] = Syncer(Auditor(store, conn), reconcile_delays=(0.2,), sleep=time.sleep).sync(["INV-5001"])
        assert o.ok and o.result.status == "synced", o.message
        assert time.monotonic() - t0 < 20
        # One write whose answer never came, then found by lookup: no second PUT was sent.
        assert [a.state for a in store.attempts.all()] == ["created"]  # this desk's create, confirmed by a look-up
        with httpx2.Client(base_url=served, headers={"Authorization": f"Bearer {conn.xero._token()}",
                                                     "xero-tenant-id": conn.tenant_id}) as x:
            found = x.get("/api.xro/2.0/Invoices", params={"InvoiceNumbers": "INV-5001"}).json()["Invoices"]
        assert len(found) == 1
    finally:
        store.close()
        conn.close()


def _add_fault_via_state(tmp_path, scenario, fault):
    """The server process shares its state dir: a Sandbox opened on it adds the fault."""
    from depot_gui.sandbox import Sandbox

    sb = Sandbox.open(scenario, state_dir=tmp_path / "srv" / "sandbox")
    sb.add_fault(fault)
    sb.close()
