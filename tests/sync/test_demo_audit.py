"""The engine end to end on the demo tenant: real clients, in-process sandbox, real store."""

import json
from decimal import Decimal as D

import pytest

from depot_gui.cli.commands import main as cli
from depot_gui.sync.session.session import Session


@pytest.fixture
def session(tmp_path, demo_scenario):
    with Session.open(tmp_path / "data", demo_scenario) as s:
        yield s


def by_number(results):
    return {r.invoice_number: r for r in results}


def test_demo_audit_matches_the_issue(session):
    r = by_number(session.auditor().audit())
    assert list(r) == ["INV-5001", "INV-5002", "INV-5003", "INV-5004", "INV-5005"]
    assert r["INV-5001"].status == "ready" and r["INV-5001"].xero_total == D("1633.50")
    assert r["INV-5002"].status == "mismatch" and r["INV-5002"].cause_codes[0] == "lob_access"
    assert r["INV-5002"].difference == D("4177.80")
    assert any("Sydney / Hardware" in e for e in r["INV-5002"].causes[0].evidence)
    # INV-5003's last item reads as unattached on the first download; the audit's second download sees it.
    assert (r["INV-5003"].status, r["INV-5003"].difference) == ("ready", 0)
    assert r["INV-5004"].status == "mismatch" and r["INV-5004"].cause_codes[0] == "service_adjustment"
    assert (r["INV-5005"].status, r["INV-5005"].rounding_line) == ("ready", D("0.02"))


def test_pending_item_attaches_on_redownload(session):
    inv3 = by_number(session.auditor().audit(["INV-5003"]))["INV-5003"]
    assert inv3.status == "ready" and inv3.difference == 0
    assert any("second download" in n for n in inv3.notes)


def test_service_adjustment_setting_makes_inv5004_ready(session):
    session.set_setting("service_adjustments", "on")
    r = by_number(session.auditor().audit(["INV-5004"]))["INV-5004"]
    assert (r.status, r.difference, r.xero_total) == ("ready", 0, D("1333.75"))


def test_audit_is_recorded_locally(session):
    session.auditor().audit()
    rows = {row.invoice_number: row for row in session.store.invoices()}
    assert rows["INV-5002"].status == "mismatch" and rows["INV-5002"].causes == ["lob_access"]
    last = session.store.last_result(rows["INV-5002"].autotask_id)
    assert last.causes[0].amount == D("4177.80") and last.lines


def test_unknown_invoice_number_is_an_error_result(session):
    r = session.auditor().audit(["INV-9999"])
    assert r[0].status == "error" and "INV-9999" in r[0].explanation


def test_cli_audit_json_contract(tmp_path, demo_scenario, capsys):
    code = cli(["--data-dir", str(tmp_path / "d"), "--sandbox", str(demo_scenario), "audit", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    assert [o["invoice_number"] for o in out] == ["INV-5001", "INV-5002", "INV-5003", "INV-5004", "INV-5005"]
    keys = {"invoice_number", "autotask_id", "status", "autotask_total", "xero_total", "difference",
            "rounding_line", "causes", "explanation", "xero_invoice_id", "unchecked", "currency",
            "xero_organisation", "warnings"}
    for o in out:
        assert set(o) == keys
        for k in ("autotask_total", "xero_total", "difference", "rounding_line"):
            assert isinstance(o[k], str) and o[k].count(".") == 1 and len(o[k].split(".")[1]) == 2
        assert isinstance(o["autotask_id"], int)
    m = {o["invoice_number"]: o for o in out}
    assert m["INV-5002"]["difference"] == "4177.80" and m["INV-5002"]["causes"][0] == "lob_access"
    assert m["INV-5005"]["rounding_line"] == "0.02"
    assert m["INV-5001"]["causes"] == [] and m["INV-5001"]["xero_invoice_id"] is None
    assert [o["unchecked"] for o in out] == [[], [], [], [], []]
    # every amount in the organisation's base currency (no company has another), all to the one organisation
    assert [o["currency"] for o in out] == ["AUD"] * 5
    assert [o["xero_organisation"] for o in out] == ["Acme MSP Pty Ltd"] * 5
    assert [o["warnings"] for o in out] == [[], [], [], [], []]


def test_cli_settings_roundtrip_and_bad_value(tmp_path, capsys):
    d = str(tmp_path / "d")
    assert cli(["--data-dir", d, "settings", "set", "service_adjustments", "on"]) == 0
    assert cli(["--data-dir", d, "settings", "set", "tolerance", "2.5"]) == 0
    capsys.readouterr()
    assert cli(["--data-dir", d, "settings", "show"]) == 0
    shown = capsys.readouterr().out
    assert "service_adjustments = on" in shown and "tolerance = 2.50" in shown
    assert cli(["--data-dir", d, "settings", "set", "tolerance", "lots"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "tolerance" in err


def test_cli_bad_scenario_is_one_line_exit_2(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text('{"name": "x", "now": "2026-11-20T09:00:00Z", "autotask": {"apiUser": 5}, "xero": {}}')
    code = cli(["--data-dir", str(tmp_path / "d"), "--sandbox", str(bad), "audit"])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "bad.json" in err
    assert "Traceback" not in err


def test_cli_without_connection_is_exit_2(tmp_path, capsys):
    code = cli(["--data-dir", str(tmp_path / "d"), "audit"])
    err = capsys.readouterr().err
    assert code == 2 and "not connected" in err.lower() and err.count("\n") == 1


def test_invoice_without_number_is_found_and_named_by_its_id(session):
    session.sandbox.mutate_autotask("Invoices", 5001, {"invoiceNumber": None})
    everything = by_number(session.auditor().audit())
    assert "5001" in everything and everything["5001"].status == "ready"
    [r] = session.auditor().audit(["5001"])
    assert (r.invoice_number, r.autotask_id, r.status) == ("5001", 5001, "ready")
    assert r.draft.invoice_number == "5001"


def test_voided_invoice_is_not_offered_and_named_one_is_explained(session):
    session.sandbox.mutate_autotask("Invoices", 5001, {"isVoided": True})
    assert "INV-5001" not in by_number(session.auditor().audit())
    [r] = session.auditor().audit(["INV-5001"])
    assert r.status == "error" and "voided" in r.explanation


def test_cancel_ends_a_rate_limit_wait_at_once(session):
    import threading
    import time

    from depot_gui.sync.invoices.audit import Cancelled, CancelToken

    session.sandbox.add_fault({"api": "xero", "method": "GET", "path": "/Accounts$", "nth": 1,
                               "kind": "status", "status": 429, "retryAfter": 30})
    cancel, outcome = CancelToken(), []
    seen = []

    def run():
        try:
            session.auditor(progress=lambda m, d, t: seen.append(m), cancel=cancel).audit(["INV-5001"])
            outcome.append("finished")
        except Cancelled:
            outcome.append("cancelled")

    t = threading.Thread(target=run)
    t.start()
    deadline = time.monotonic() + 10
    while not any("Waiting for Xero rate limit (30 s)" in m for m in seen) and time.monotonic() < deadline:
        time.sleep(0.02)
    started = time.monotonic()
    cancel.cancel()
    t.join(5)
    assert outcome == ["cancelled"] and time.monotonic() - started < 1.0
