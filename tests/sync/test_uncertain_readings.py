"""Where the references are unsure, the engine works under either reading the sandbox can take."""

from decimal import Decimal as D

import pytest

from depot_gui.sandbox import Sandbox
from depot_gui.store.db import Store
from depot_gui.sync.session.connections import sandbox_connections
from depot_gui.sync.invoices.audit import Auditor
from depot_gui.sync.invoices.syncer import Syncer

READINGS = [
    {"missing_by_id": "null"},
    {"timestamps": "z"},
    {"api_version_entry": "v1.0"},
    {"token_format": "opaque"},
    {"empty_filter": "all"},
    {"in_limit": None},
    {"xero_daily_limit": 1000},
]


@pytest.mark.parametrize("option", READINGS, ids=lambda o: next(iter(o.items()))[0])
def test_demo_audit_and_sync_under_each_reading(tmp_path, demo_scenario, option):
    sandbox = Sandbox.open(demo_scenario, **option)
    store = Store(tmp_path / "db.sqlite3")
    conn = sandbox_connections(sandbox, store, sleep=lambda s: None)
    try:
        results = {r.invoice_number: r for r in Auditor(store, conn).audit()}
        assert [results[n].status for n in sorted(results)] == ["ready", "mismatch", "ready", "mismatch", "ready"]
        assert results["INV-5002"].cause_codes == ["lob_access"]
        inv3 = results["INV-5003"]
        assert any("second download" in n for n in inv3.notes)
        [o] = Syncer(Auditor(store, conn), reconcile_delays=(0.0,)).sync(["INV-5001"])
        assert o.ok and D(str(o.result.autotask_total)) == D("1633.50")
        assert conn.autotask.get("BillingItems", 9004) is None  # hidden: 404 or {"item": null}
    finally:
        conn.close()
        store.close()
        sandbox.close()


def test_server_clock_comes_from_http_date_in_both_timestamp_forms(tmp_path, demo_scenario):
    for form in ("naive", "z"):
        sandbox = Sandbox.open(demo_scenario, timestamps=form)
        store = Store(tmp_path / f"{form}.sqlite3")
        conn = sandbox_connections(sandbox, store)
        try:
            Auditor(store, conn).audit(["INV-5001"])
            assert conn.autotask.server_date.isoformat().startswith("2026-11-20T09:0")
        finally:
            conn.close()
            store.close()
            sandbox.close()
