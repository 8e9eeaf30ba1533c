"""A bounded Autotask window: an unnamed audit downloads only invoices of the period."""

from __future__ import annotations

from datetime import date

from depot_gui.cli.commands import main as cli
from depot_gui.sandbox import load_scenario
from depot_gui.sandbox.http.messages import dumps
from depot_gui.sync.session.session import Session


def dated_scenario(demo, path):
    """The demo tenant (clock 2026-11-20) with INV-5004 dated 2025-06-30 and INV-5005 2026-09-30."""
    sc = load_scenario(demo)
    for inv in sc["autotask"]["entities"]["Invoices"]:
        if inv["invoiceNumber"] == "INV-5004":
            inv["invoiceDateTime"] = "2025-06-30T00:00:00"
        if inv["invoiceNumber"] == "INV-5005":
            inv["invoiceDateTime"] = "2026-09-30T23:00:00"
    path.write_text(dumps(sc))
    return path


def numbers(results):
    return [r.invoice_number for r in results]


def test_default_period_is_this_month_and_the_previous_one(tmp_path, demo_scenario):
    scenario = dated_scenario(demo_scenario, tmp_path / "s.json")
    with Session.open(tmp_path / "d", scenario) as s:
        auditor = s.auditor()
        assert numbers(auditor.audit()) == ["INV-5001", "INV-5002", "INV-5003"]
        assert auditor.period(s.settings()) == (date(2026, 10, 1), None)
        assert numbers(auditor.audit(since=date(2026, 9, 30))) == ["INV-5001", "INV-5002", "INV-5003", "INV-5005"]
        assert numbers(auditor.audit(since=date(2025, 1, 1), until=date(2026, 9, 30))) == ["INV-5004", "INV-5005"]
        # Named invoices ignore the period.
        assert numbers(auditor.audit(["INV-5004"])) == ["INV-5004"]
        s.set_setting("audit_months", "all")
        assert numbers(s.auditor().audit()) == ["INV-5001", "INV-5002", "INV-5003", "INV-5004", "INV-5005"]


def test_cli_since_and_until(tmp_path, demo_scenario, capsys):
    scenario = dated_scenario(demo_scenario, tmp_path / "s.json")
    base = ["--data-dir", str(tmp_path / "d"), "--sandbox", str(scenario), "audit", "--json"]
    assert cli(base + ["--since", "2025-06-01", "--until", "2025-06-30"]) == 0
    assert '"invoice_number": "INV-5004"' in capsys.readouterr().out
    assert cli(base + ["--since", "2026-13-01"]) == 2
    assert "'2026-13-01' is not a date like 2026-11-01" in capsys.readouterr().err
