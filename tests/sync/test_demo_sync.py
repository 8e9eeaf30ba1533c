"""Sync and re-sync on the demo tenant: exactly once, refusals explained, state in the sandbox."""

import json
from decimal import Decimal as D

import pytest

from depot_gui.cli.commands import main as cli
from depot_gui.sync.session.session import Session


@pytest.fixture
def session(tmp_path, demo_scenario):
    with Session.open(tmp_path / "data", demo_scenario) as s:
        yield s


def xero_invoices(session, number=None):
    inv = session.sandbox.state()["xero"]["Invoices"]
    return [i for i in inv if number is None or i["InvoiceNumber"] == number]


def test_sync_inv5001_once_then_nothing_changes(session):
    [o] = session.syncer().sync(["INV-5001"])
    assert o.ok and o.action == "created" and o.result.status == "synced"
    [x] = xero_invoices(session, "INV-5001")
    assert D(str(x["Total"])) == D("1633.50") and x["Status"] == "DRAFT"
    assert o.result.xero_invoice_id == x["InvoiceID"]
    [again] = session.syncer().sync(["INV-5001"])
    assert again.ok and again.action == "unchanged"
    assert len(xero_invoices(session, "INV-5001")) == 1
    stamped = [i for i in session.sandbox.state()["autotask"]["entities"]["Invoices"] if i["id"] == 5001][0]
    assert stamped["webServiceDate"]


def test_sync_refuses_mismatch_with_reason(session):
    [o] = session.syncer().sync(["INV-5002"])
    assert not o.ok and o.action == "refused" and o.result.status == "mismatch"
    assert "line of business" in o.message.lower()
    assert xero_invoices(session, "INV-5002") == []


def test_sync_inv5003_ends_synced(session):
    # The pending item attaches on the audit's second download, so the first sync already creates.
    outcomes = [session.syncer().sync(["INV-5003"])[0] for _ in range(2)]
    assert [(o.action, o.result.status) for o in outcomes] == [("created", "synced"), ("unchanged", "synced")]
    assert len(xero_invoices(session, "INV-5003")) == 1


def test_sync_inv5004_refused_until_setting_on(session):
    [o] = session.syncer().sync(["INV-5004"])
    assert o.action == "refused"
    session.set_setting("service_adjustments", "on")
    [o] = session.syncer().sync(["INV-5004"])
    assert o.ok and o.action == "created"
    [x] = xero_invoices(session, "INV-5004")
    assert D(str(x["Total"])) == D("1333.75")


def test_sync_inv5005_includes_rounding_line_and_equals_autotask(session):
    [o] = session.syncer().sync(["INV-5005"])
    assert o.ok
    [x] = xero_invoices(session, "INV-5005")
    assert D(str(x["Total"])) == D("110.00")
    assert any(li.get("AccountCode") == "860" for li in x["LineItems"])


def test_resync_updates_a_draft_whose_content_changed(session):
    session.syncer().sync(["INV-5001"])
    # The user maps the Managed Services billing code to another account and re-syncs.
    session.store.set_setting("mapping.accounts", json.dumps({"1": "260"}))
    [o] = session.syncer().sync(["INV-5001"])
    assert o.ok and o.action == "updated", o.message
    [x] = xero_invoices(session, "INV-5001")
    assert {li["AccountCode"] for li in x["LineItems"]} == {"260"}
    assert D(str(x["Total"])) == D("1633.50") and x["Status"] == "DRAFT"


def test_resync_refuses_to_change_an_authorised_invoice(session):
    session.set_setting("xero_status", "authorised")
    [o] = session.syncer().sync(["INV-5001"])
    assert o.ok and xero_invoices(session, "INV-5001")[0]["Status"] == "AUTHORISED"
    session.store.set_setting("mapping.accounts", json.dumps({"1": "260"}))
    [o] = session.syncer().sync(["INV-5001"])
    assert o.action == "refused" and "void" in o.message.lower()
    [x] = xero_invoices(session, "INV-5001")
    assert {li["AccountCode"] for li in x["LineItems"]} == {"200"}


def test_cli_sync_contract(tmp_path, demo_scenario, capsys):
    d = ["--data-dir", str(tmp_path / "d"), "--sandbox", str(demo_scenario)]
    assert cli([*d, "sync", "INV-5001", "--json"]) == 0
    [o] = json.loads(capsys.readouterr().out)
    assert o["status"] == "synced" and o["xero_invoice_id"]
    assert cli([*d, "sync", "INV-5002", "--json"]) == 1
    [o] = json.loads(capsys.readouterr().out)
    assert o["status"] == "mismatch" and o["causes"][0] == "lob_access"
    assert cli([*d, "status", "--json"]) == 0
    rows = {r["invoice_number"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["INV-5001"]["status"] == "synced"
    assert cli([*d, "sandbox", "state"]) == 0
    state = json.loads(capsys.readouterr().out)
    assert len([i for i in state["xero"]["Invoices"] if i["InvoiceNumber"] == "INV-5001"]) == 1
    assert all({"api", "method", "path", "status"} <= set(r) for r in state["requests"])


def test_no_secret_on_disk_after_a_full_run(tmp_path, demo_scenario, capsys):
    """After audit + sync + status, no credential or token is anywhere in the data dir."""
    import base64

    from depot_gui.sandbox import load_scenario

    d = ["--data-dir", str(tmp_path / "d"), "--sandbox", str(demo_scenario)]
    assert cli([*d, "audit"]) == 0
    assert cli([*d, "sync", "INV-5001", "INV-5005"]) == 0
    assert cli([*d, "status"]) == 0
    capsys.readouterr()
    user = load_scenario(demo_scenario)["autotask"]["apiUser"]
    needles = [user["secret"], user["integrationCode"]]
    with Session.open(tmp_path / "d", demo_scenario) as s:
        conn = s.connections()
        needles.append(conn.xero._token())  # a live access token of this session
    blobs = [p.read_bytes() for p in (tmp_path / "d").rglob("*") if p.is_file()]
    assert blobs
    for n in needles:
        for form in (n.encode(), base64.b64encode(n.encode()), n.encode("utf-16-le")):
            assert not any(form in b for b in blobs), f"secret found on disk ({n[:4]}...)"


def test_invoice_voided_after_sync_is_flagged_with_what_to_do(session):
    session.syncer().sync(["INV-5001"])
    session.sandbox.mutate_autotask("Invoices", 5001, {"isVoided": True})
    session.auditor().audit()
    row = session.store.invoice_by_number("INV-5001")
    assert row.voided and row.status == "synced"
    assert "voided in Autotask" in row.explanation and "In Xero, void" in row.explanation
    assert "INV-5001" not in [r.invoice_number for r in session.auditor().audit()]


def test_negative_total_invoice_becomes_a_credit_note(session):
    session.sandbox.mutate_autotask("BillingItems", 9011, {"quantity": D("-1"), "extendedPrice": D("-33.33"),
                                                           "taxDollars": D("-3.33"), "totalAmount": D("-36.66")})
    session.sandbox.mutate_autotask("BillingItems", 9012, {"quantity": D("-1"), "extendedPrice": D("-33.33"),
                                                           "taxDollars": D("-3.33"), "totalAmount": D("-36.66")})
    session.sandbox.mutate_autotask("BillingItems", 9013, {"quantity": D("-1"), "extendedPrice": D("-33.33"),
                                                           "taxDollars": D("-3.33"), "totalAmount": D("-36.66")})
    session.sandbox.mutate_autotask("Invoices", 5005, {"invoiceTotal": D("-110.0"), "totalTaxValue": D("-10.0")})
    [o] = session.syncer().sync(["INV-5005"])
    assert o.ok and o.action == "created", o.message
    notes = session.sandbox.state()["xero"].get("CreditNotes", [])
    [note] = [n for n in notes if n.get("CreditNoteNumber") == "INV-5005"]
    assert note["Type"] == "ACCRECCREDIT" and D(str(note["Total"])) == D("110.00")
    assert xero_invoices(session, "INV-5005") == []
    [again] = session.syncer().sync(["INV-5005"])
    assert again.action == "unchanged"


def test_rate_limit_wait_is_reported_as_progress(tmp_path, demo_scenario):
    with Session.open(tmp_path / "d", demo_scenario) as s:
        s.sandbox.add_fault({"api": "xero", "method": "GET", "path": "/Accounts$", "nth": 1,
                             "kind": "status", "status": 429, "retryAfter": 1})
        seen = []
        s.auditor(progress=lambda m, d, t: seen.append(m)).audit(["INV-5001"])
        assert any(m.startswith("Waiting for Xero rate limit (1 s)") for m in seen), seen


def test_resync_of_a_synced_invoice_that_now_mismatches_is_refused_and_xero_left_alone(session):
    session.set_setting("service_adjustments", "on")
    assert session.syncer().sync(["INV-5004"])[0].action == "created"
    session.set_setting("service_adjustments", "off")
    [o] = session.syncer().sync(["INV-5004"])
    assert o.action == "refused" and not o.ok
    assert "no longer matches" in o.message and "137.50" in o.message
    [x] = xero_invoices(session, "INV-5004")
    assert D(str(x["Total"])) == D("1333.75")


def test_sign_flip_never_creates_a_second_document(session):
    session.syncer().sync(["INV-5001"])
    for item_id in (9001, 9002):
        session.sandbox.mutate_autotask("BillingItems", item_id, {"quantity": D("-1"), "rate": D("10"),
                                                                  "extendedPrice": D("-10"), "taxDollars": D("-1"),
                                                                  "totalAmount": D("-11")})
    session.sandbox.mutate_autotask("Invoices", 5001, {"invoiceTotal": D("-22"), "totalTaxValue": D("-2")})
    [o] = session.syncer().sync(["INV-5001"])
    assert o.action == "refused" and "credit note" in o.message
    state = session.sandbox.state()["xero"]
    assert len(xero_invoices(session, "INV-5001")) == 1
    assert not [n for n in state.get("CreditNotes", []) if n.get("CreditNoteNumber") == "INV-5001"]


def test_invoice_voided_in_xero_is_an_error_with_a_way_forward(session):
    session.set_setting("xero_status", "authorised")  # Xero voids approved invoices only
    [o] = session.syncer().sync(["INV-5001"])
    conn = session.connections()
    conn.xero.update_invoice(o.result.xero_invoice_id, {"InvoiceNumber": "INV-5001", "Status": "VOIDED"}, "void-1")
    [r] = session.auditor().audit(["INV-5001"])
    assert r.status == "error" and "voided" in r.explanation and "Copy" in r.explanation
    [again] = session.syncer().sync(["INV-5001"])
    assert again.action == "refused" and len(xero_invoices(session, "INV-5001")) == 1


def test_a_failing_invoice_does_not_hide_the_ones_that_synced(tmp_path, demo_scenario, capsys):
    d = ["--data-dir", str(tmp_path / "d"), "--sandbox", str(demo_scenario)]
    with Session.open(tmp_path / "d", demo_scenario) as s:
        # INV-5005's company has no Xero contact yet: creating it is refused (the batch of two goes on).
        s.sandbox.add_fault({"api": "xero", "method": "PUT", "path": "/Contacts$", "nth": 1,
                             "kind": "status", "status": 401})
    code = cli([*d, "sync", "INV-5001", "INV-5005", "--json"])
    rows = {r["invoice_number"]: r for r in json.loads(capsys.readouterr().out)}
    assert code == 1
    assert rows["INV-5001"]["status"] == "synced"
    assert rows["INV-5005"]["status"] == "error" and "reconnect Xero" in rows["INV-5005"]["explanation"]


def test_failed_autotask_stamp_is_retried_on_resync(session):
    session.sandbox.add_fault({"api": "autotask", "method": "PATCH", "path": "/Invoices$", "nth": 1,
                               "kind": "status", "status": 500})
    [o] = session.syncer().sync(["INV-5001"])
    assert o.ok and "not marked as processed" in o.message
    [again] = session.syncer().sync(["INV-5001"])
    assert again.action == "unchanged"
    inv = [i for i in session.sandbox.state()["autotask"]["entities"]["Invoices"] if i["id"] == 5001][0]
    assert inv["webServiceDate"]


def test_every_sync_leaves_a_line_in_the_log_file(tmp_path, demo_scenario, capsys):
    d = ["--data-dir", str(tmp_path / "d"), "--sandbox", str(demo_scenario)]
    cli([*d, "sync", "INV-5001", "INV-5002"])
    import logging

    for h in logging.getLogger("depot_gui").handlers:
        h.flush()
    text = (tmp_path / "d" / "logs" / "depot.log").read_text()
    assert "sync INV-5001 (Autotask 5001): created." in text
    assert "sync INV-5002 (Autotask 5002): refused." in text
