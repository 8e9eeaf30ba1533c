"""The store: migrations, leases between processes, errors classified."""

import sqlite3
import subprocess
import sys
import threading
import time

import pytest

from depot_gui.core.contacts import LINKED, ContactLink
from depot_gui.store.db import SCHEMA_VERSION, Store, StoreError


def test_schema_is_migrated_and_versioned(tmp_path):
    s = Store(tmp_path / "db.sqlite3")
    s.close()
    conn = sqlite3.connect(tmp_path / "db.sqlite3")
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_newer_schema_is_refused_with_a_sentence(tmp_path):
    conn = sqlite3.connect(tmp_path / "db.sqlite3")
    conn.execute(f"PRAGMA user_version={SCHEMA_VERSION + 5}")
    conn.close()
    with pytest.raises(StoreError, match="newer Depot GUI"):
        Store(tmp_path / "db.sqlite3")


def test_lease_excludes_a_second_holder_until_released(tmp_path):
    a, b = Store(tmp_path / "db.sqlite3"), Store(tmp_path / "db.sqlite3")
    order = []
    with a.leases.hold(7):
        t = threading.Thread(target=lambda: (b.leases.hold(7).__enter__(), order.append("b")))
        t.start()
        time.sleep(0.5)
        order.append("a done")
    t.join(5)
    assert order == ["a done", "b"]


def test_lease_of_a_dead_process_is_taken_over_at_once(tmp_path):
    db = tmp_path / "db.sqlite3"
    Store(db).close()
    code = (
        "import os, sys; from depot_gui.store.db import Store; s = Store(sys.argv[1]); "
        "cm = s.leases.hold(9); cm.__enter__(); os._exit(0)"  # dies holding the lease
    )
    subprocess.run([sys.executable, "-c", code, str(db)], check=True, timeout=30)
    s = Store(db)
    started = time.monotonic()
    with s.leases.hold(9, wait=2):
        pass
    assert time.monotonic() - started < 1.5


def test_a_live_holder_makes_others_wait_then_give_up_clearly(tmp_path):
    a, b = Store(tmp_path / "db.sqlite3"), Store(tmp_path / "db.sqlite3")
    with a.leases.hold(3):
        with pytest.raises(StoreError, match="Another Depot GUI window"):
            with b.leases.hold(3, wait=0.5):
                pass


def test_leases_of_a_sync_are_taken_in_order_up_to_the_one_another_holds(tmp_path):
    a, b = Store(tmp_path / "db.sqlite3"), Store(tmp_path / "db.sqlite3")

    def held() -> dict[int, bool]:  # lease -> held by b (else by a)
        with a.transaction() as c:
            return {r[0]: r[1] != held_by_a for r in c.execute("SELECT autotask_id, holder FROM leases")}

    done, finish = threading.Event(), threading.Event()

    def sync_of_three():
        with b.leases.hold_all([5, 1, 3]):
            done.set()
            finish.wait(5)

    with a.leases.hold(3):
        with a.transaction() as c:
            held_by_a = c.execute("SELECT holder FROM leases").fetchone()[0]
        t = threading.Thread(target=sync_of_three)
        t.start()
        deadline = time.monotonic() + 5
        while 1 not in held() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert held() == {1: True, 3: False}  # 1 taken at once; 5 waits behind 3, as 3 does
        assert not done.is_set()
    assert done.wait(5) and held() == {1: True, 3: True, 5: True}
    finish.set()
    t.join(5)
    assert held() == {}  # all let go at the end


def test_xero_cache_rows_and_marks_per_organisation(tmp_path):
    from datetime import UTC, datetime

    s = Store(tmp_path / "c.db")
    when = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    s.xero_cache.put("TENANT-A", "account", {"a1": {"Code": "200"}}, mark=when)
    s.xero_cache.put("tenant-a", "account", {"a2": {"Code": "210"}})
    s.xero_cache.put("tenant-b", "account", {"b1": {"Code": "400"}}, replace_all=True)
    assert s.xero_cache.rows("tenant-a", "account") == {"a1": {"Code": "200"}, "a2": {"Code": "210"}}
    assert s.xero_cache.mark("tenant-a", "account") == when and s.xero_cache.mark("tenant-b", "account") is None
    s.xero_cache.put("tenant-a", "account", {"a3": {"Code": "220"}}, replace_all=True)
    assert list(s.xero_cache.rows("tenant-a", "account")) == ["a3"]
    s.xero_cache.drop("tenant-a", "account", ["a3"])
    assert s.xero_cache.rows("tenant-a", "account") == {}
    s.xero_cache.forget("tenant-b")
    assert s.xero_cache.rows("tenant-b", "account") == {} and s.xero_cache.mark("tenant-a", "account") == when


def test_an_organisation_is_the_same_whatever_the_case_of_its_id(tmp_path):
    s = Store(tmp_path / "db.sqlite3")
    s.xero_cache.put("tenant-a", "account", {"a1": {"Code": "200"}})
    assert s.xero_cache.forget("TENANT-A") == (1, 1)
    s.contact_links.save("TENANT-A", ContactLink(101, "c-1", "Acme", LINKED, "Acme Ltd"))
    assert list(s.contact_links.of("Tenant-A")) == [101]


def test_a_thread_reading_committed_state_does_not_wait_for_a_batch_being_recorded(tmp_path):
    store = Store(tmp_path / "db.sqlite3")
    store.set_setting("tolerance", "3.00", copy=False)
    store.read_committed_in_this_thread()  # as the window's thread does
    inside, release = threading.Event(), threading.Event()

    def batch():  # a worker recording a batch in one transaction
        with store.grouped():
            store.set_setting("tolerance", "5.00", copy=False)
            inside.set()
            release.wait(3)  # (ends by itself, so a read that waits would see 5.00 and fail, not hang)

    worker = threading.Thread(target=batch)
    worker.start()
    assert inside.wait(10)
    try:
        assert store.raw_settings()["tolerance"] == "3.00"  # what is committed, while the batch holds the connection
    finally:
        release.set()
        worker.join()
    assert store.raw_settings()["tolerance"] == "5.00"  # the batch committed
    store.close()
