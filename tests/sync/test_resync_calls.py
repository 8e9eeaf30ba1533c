"""Re-syncing invoices already in Xero costs no Xero call per invoice when nothing changed."""

from __future__ import annotations

from depot_gui.sync.session.session import Session


def xero_calls(s: Session, since: int) -> list[str]:
    return [f"{r['method']} {r['path']}" for r in s.sandbox.state()["requests"][since:] if r["api"] == "xero"]


def test_resync_of_three_unchanged_synced_invoices_reads_xero_once_per_kind(tmp_path, demo_scenario):
    numbers = ["INV-5001", "INV-5003", "INV-5005"]
    with Session.open(tmp_path / "d", demo_scenario) as s:
        s.connections()
        assert {o.action for o in s.syncer().sync(numbers)} == {"created"}
        s.sandbox.advance_clock(600)
        start = len(s.sandbox.state()["requests"])
        again = s.syncer().sync(numbers)
        calls = xero_calls(s, start)
    assert [(o.result.invoice_number, o.action) for o in again] == [
        ("INV-5001", "unchanged"), ("INV-5003", "unchanged"), ("INV-5005", "unchanged")]
    # the re-sync's own audit: accounts and contacts changed since, the three numbers in one call,
    # credit notes under them in one; then nothing per invoice
    assert sorted(calls) == ["GET /api.xro/2.0/Accounts", "GET /api.xro/2.0/Contacts",
                             "GET /api.xro/2.0/CreditNotes", "GET /api.xro/2.0/Invoices"], calls


def test_a_synced_draft_changed_in_autotask_is_looked_up_again_before_it_is_updated(tmp_path, demo_scenario):
    with Session.open(tmp_path / "d", demo_scenario) as s:
        s.connections()
        s.syncer().sync(["INV-5001"])
        item = next(b for b in s.sandbox.state()["autotask"]["entities"]["BillingItems"] if b["invoiceID"] == 5001)
        s.sandbox.mutate_autotask("BillingItems", item["id"], {"description": "Renamed in Autotask"})
        s.sandbox.advance_clock(600)
        start = len(s.sandbox.state()["requests"])
        outcome = s.syncer().sync(["INV-5001"])[0]
        calls = xero_calls(s, start)
    assert outcome.action == "updated"
    assert calls.count("GET /api.xro/2.0/Invoices") == 2  # the audit's, and the look-up right before writing
    assert [c for c in calls if c.startswith("POST")] == [f"POST /api.xro/2.0/Invoices/{outcome.result.xero_invoice_id}"]
