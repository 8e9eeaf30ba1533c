"""Invoices Autotask was still attaching items to are looked at again, and never synced for it."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from depot_gui.cli.commands import main as cli
from depot_gui.store.db import InvoiceRow
from depot_gui.sync.invoices.pending import next_check, pending_rows
from depot_gui.sync.session.session import Session

DEMO = Path(__file__).resolve().parents[2] / "tests" / "scenarios" / "demo.json"  # the five-invoice demo


def slow_attach(tmp_path: Path) -> Path:
    """The demo tenant, the API user seeing every line of business, and INV-5003's last item
    hidden from the first three billing-item queries (Autotask still attaching it)."""
    data = json.loads(DEMO.read_text())
    data["autotask"]["entities"]["OrganizationalResources"] = []
    data["autotask"]["pending"] = [{"billingItemID": 9008, "visibleAfterQueries": 3}]
    path = tmp_path / "slow.json"
    path.write_text(json.dumps(data))
    return path


def row(number: str, status: str, causes: list[str], audited_at: str, voided: bool = False) -> InvoiceRow:
    return InvoiceRow(1, number, "", None, "1.00", "1.00", "0.00", "0.00", status, causes, "", None, None, None,
                      voided, audited_at)


def test_next_check_is_the_last_check_plus_the_attach_window():
    rows = [
        row("A", "mismatch", ["items_pending"], "2026-11-30T10:00:00+00:00"),
        row("B", "mismatch", ["items_pending", "unknown"], "2026-11-30T10:10:00+00:00"),
        row("C", "mismatch", ["lob_access"], "2026-11-30T09:00:00+00:00"),
        row("D", "ready", [], "2026-11-30T09:00:00+00:00"),
        row("E", "mismatch", ["items_pending"], "2026-11-30T09:00:00+00:00", voided=True),
    ]
    assert [r.invoice_number for r in pending_rows(rows)] == ["A", "B"]
    due, later = next_check(rows, 15, datetime(2026, 11, 30, 10, 15, tzinfo=timezone.utc))
    assert [r.invoice_number for r in due] == ["A"]
    assert later == datetime(2026, 11, 30, 10, 25, tzinfo=timezone.utc)
    due, later = next_check(rows, 15, datetime(2026, 11, 30, 10, 14, 59, tzinfo=timezone.utc))
    assert (due, later) == ([], datetime(2026, 11, 30, 10, 15, tzinfo=timezone.utc))


def test_audit_wait_pending_looks_again_until_the_items_are_attached(tmp_path, capsys):
    sc = slow_attach(tmp_path)
    data = str(tmp_path / "d")
    assert cli(["--data-dir", data, "--sandbox", str(sc), "audit", "INV-5003", "--json", "--wait-pending",
                "--every", "0"]) == 0
    captured = capsys.readouterr()
    [final] = json.loads(captured.out)
    assert (final["status"], final["difference"]) == ("ready", "0.00")
    assert captured.err.splitlines() == [
        "depot-sync: Waiting 0 minutes for Autotask to finish attaching items to INV-5003, then checking again."
    ]
    assert cli(["--data-dir", data, "--sandbox", str(sc), "sandbox", "state"]) == 0
    state = json.loads(capsys.readouterr().out)
    assert state["xero"]["Invoices"] == []  # looking again never syncs


def test_wait_pending_gives_up_after_its_rounds_and_says_so(tmp_path, capsys):
    data = json.loads(slow_attach(tmp_path).read_text())
    data["autotask"]["pending"] = [{"billingItemID": 9008, "visibleAfterQueries": 100}]
    sc = tmp_path / "never.json"
    sc.write_text(json.dumps(data))
    assert cli(["--data-dir", str(tmp_path / "d"), "--sandbox", str(sc), "audit", "INV-5003", "--wait-pending",
                "--every", "0", "--json"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)[0]["causes"] == ["items_pending"]
    assert captured.err.splitlines()[-1] == (
        "depot-sync: Still waiting for items after 4 looks: INV-5003. Check them in Autotask.")
    assert len(captured.err.splitlines()) == 5


@pytest.mark.parametrize("every", ["-1", "abc", "1441"])
def test_every_needs_whole_minutes(tmp_path, capsys, every):
    assert cli(["--data-dir", str(tmp_path / "d"), "audit", "--wait-pending", "--every", every]) == 2
    assert "--every" in capsys.readouterr().err


def test_recheck_of_pending_rows_reports_the_ones_that_turned_ready(tmp_path):
    from depot_gui.sync.invoices.pending import recheck

    with Session.open(tmp_path / "d", slow_attach(tmp_path)) as s:
        s.auditor().audit()
        pending = pending_rows(s.store.invoices())
        assert [r.invoice_number for r in pending] == ["INV-5003"]
        found = recheck(s.auditor(), pending)
        assert [r.invoice_number for r in found.became_ready] == ["INV-5003"]
        assert found.message() == "INV-5003 is ready to sync now: Autotask finished attaching the billing items."
        assert s.store.invoice(5003).status == "ready"
