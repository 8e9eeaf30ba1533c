"""`depot-sync cache forget`: the Xero data kept between audits is forgotten (no network), nothing else."""

from __future__ import annotations

import json
from datetime import datetime, timezone

from depot_gui.cli.commands import main
from depot_gui.store.opening import open_store
from depot_gui.store.paths import paths_for

AFRESH = "the next audit reads accounts, tax rates, contacts and document numbers from Xero afresh."


def run(capsys, *args):
    capsys.readouterr()
    code = main([str(a) for a in args])
    got = capsys.readouterr()
    return code, got.out, got.err


def test_forget_says_what_it_forgot_and_needs_no_connection(tmp_path, capsys):
    store = open_store(paths_for(tmp_path / "d").ensure())
    when = datetime(2026, 11, 30, 9, 0, tzinfo=timezone.utc)
    store.xero_cache.put("tenant-a", "account", {"a1": {"Code": "200"}, "a2": {"Code": "210"}}, mark=when)
    store.xero_cache.put("tenant-b", "contact", {"c1": {"Name": "Contoso"}}, mark=when)
    store.set_setting("tolerance", "2.50")
    store.close()
    code, out, err = run(capsys, "--data-dir", tmp_path / "d", "cache", "forget")  # never connected: no network
    assert (code, err) == (0, "")
    assert out == f"Forgot the Xero data kept on this computer (3 cached records of 2 organisations); {AFRESH}\n"
    store = open_store(paths_for(tmp_path / "d"))
    try:
        assert (store.xero_cache.rows("tenant-a", "account"), store.xero_cache.mark("tenant-a", "account")) == ({}, None)
        assert (store.xero_cache.rows("tenant-b", "contact"), store.xero_cache.mark("tenant-b", "contact")) == ({}, None)
        assert store.raw_settings()["tolerance"] == "2.50"
    finally:
        store.close()
    code, out, _ = run(capsys, "--data-dir", tmp_path / "d", "cache", "forget")
    assert (code, out) == (0, "No Xero data was kept on this computer; the next audit reads accounts, tax rates, "
                              "contacts and document numbers from Xero as usual.\n")


def test_the_next_audit_reads_afresh_and_the_invoice_states_stay(tmp_path, capsys, demo_scenario):
    base = ("--data-dir", tmp_path / "d", "--sandbox", demo_scenario)
    assert run(capsys, *base, "sync", "INV-5001")[0] == 0
    before = json.loads(run(capsys, *base, "status", "--json")[1])
    tenant = json.loads(demo_scenario.read_text())["xero"]["tenants"][0]["tenantId"]
    code, out, _ = run(capsys, *base, "cache", "forget")
    assert code == 0 and out.startswith("Forgot the Xero data kept on this computer (") and out.endswith(f"{AFRESH}\n")
    store = open_store(paths_for(tmp_path / "d"))
    assert store.xero_cache.mark(tenant, "account") is None
    store.close()
    assert json.loads(run(capsys, *base, "status", "--json")[1]) == before
    assert run(capsys, *base, "audit")[0] == 0
    store = open_store(paths_for(tmp_path / "d"))
    try:
        assert store.xero_cache.mark(tenant, "account") is not None
        assert sorted(a["Code"] for a in store.xero_cache.rows(tenant, "account").values()) == ["200", "260", "860"]
    finally:
        store.close()


def test_cache_without_a_subcommand_is_one_line_exit_2(tmp_path, capsys):
    code, out, err = run(capsys, "--data-dir", tmp_path / "d", "cache")
    assert (code, out, err) == (2, "", "depot-sync cache: the following arguments are required: forget "
                                       "(see depot-sync --help)\n")
