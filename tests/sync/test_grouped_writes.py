"""Grouped SQLite writes: an audit commits once per 25 invoices (was 2 per invoice); a group is one
transaction, durable at its end, and a failed step inside undoes only itself."""

from __future__ import annotations

import sqlite3

import pytest

from depot_gui.sandbox.scale import write_scale_scenario
from depot_gui.store.db import Store
from depot_gui.sync.session.session import Session


def _commits(store: Store) -> list[str]:
    seen: list[str] = []
    store._conn.set_trace_callback(lambda sql: seen.append(sql) if sql.strip().upper() == "COMMIT" else None)
    return seen


def test_an_audit_of_60_invoices_commits_its_rows_in_3_transactions(tmp_path, demo_scenario):
    scenario = write_scale_scenario(demo_scenario, tmp_path / "s.json", 60, 10)
    with Session.open(tmp_path / "d", scenario) as s:
        s.connections()
        s.auditor().audit()  # the first audit also fills the Xero cache
        commits = _commits(s.store)
        results = s.auditor().audit()
        assert {r.status for r in results} == {"ready"}
        assert len(s.store.audit_history(results[0].autotask_id)) == 2
        # 60 invoices = 25 + 25 + 10 (was 2 commits per invoice), plus the Xero cache's refreshes
        # (accounts, contacts, invoices, credit notes)
        assert len(commits) == 3 + 4


def test_a_group_is_one_transaction_visible_to_others_when_it_ends(tmp_path):
    store = Store(str(tmp_path / "db.sqlite3"))
    other = sqlite3.connect(str(tmp_path / "db.sqlite3"))
    with store.grouped():
        store.set_setting("max_rounding", "1.00", copy=False)
        store.set_setting("xero_status", "DRAFT", copy=False)
        assert other.execute("SELECT COUNT(*) FROM settings").fetchone()[0] == 0
    assert other.execute("SELECT COUNT(*) FROM settings").fetchone()[0] == 2
    store.close()


def test_a_failed_step_undoes_itself_and_a_failed_group_undoes_everything(tmp_path):
    store = Store(str(tmp_path / "db.sqlite3"))
    with store.grouped():
        store.set_setting("max_rounding", "1.00", copy=False)
        with pytest.raises(sqlite3.IntegrityError):
            with store.transaction() as c:
                c.execute("BEGIN IMMEDIATE")
                c.execute("INSERT INTO settings(key, value) VALUES('xero_status', 'DRAFT')")
                c.execute("INSERT INTO settings(key, value) VALUES('xero_status', 'AUTHORISED')")
    assert store.raw_settings() == {"max_rounding": "1.00"}
    with pytest.raises(RuntimeError):
        with store.grouped():
            store.set_setting("xero_status", "DRAFT", copy=False)
            raise RuntimeError("stop")
    assert store.raw_settings() == {"max_rounding": "1.00"}
    store.close()


def test_a_batchs_intents_are_one_transaction_durable_before_its_put(tmp_path, demo_scenario):
    scenario = write_scale_scenario(demo_scenario, tmp_path / "s.json", 12, 4, credit_every=0)
    with Session.open(tmp_path / "d", scenario) as s:
        s.connections()
        s.auditor().audit()
        seen: list[str] = []
        s.store._conn.set_trace_callback(
            lambda sql: seen.append("intent" if "INSERT INTO sync_attempts" in sql else sql.strip().upper()))
        other = sqlite3.connect(str(tmp_path / "d" / "depot.sqlite3"))
        at_put: list[int] = []
        real_handle = s.sandbox.handle

        def handle(method, url, headers, body=b"", **kw):
            if method == "PUT" and "/Invoices" in url:
                seen.append("PUT")
                at_put.append(other.execute("SELECT COUNT(*) FROM sync_attempts WHERE state='intent'").fetchone()[0])
            return real_handle(method, url, headers, body, **kw)

        s.sandbox.handle = handle
        outcomes = s.syncer().sync([f"ME-{k:05d}" for k in range(1, 13)])
        other.close()
    assert [o.action for o in outcomes] == ["created"] * 12
    assert at_put == [12]  # all 12 intents durable (seen from another connection) when the PUT goes
    first, put = seen.index("intent"), seen.index("PUT")
    assert seen[first:put].count("intent") == 12
    assert seen[first:put].count("COMMIT") == 1
