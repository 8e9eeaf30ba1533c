"""A tax rate Xero does not have is never hidden in the rounding line, and every mapping warning
reaches --json, the CSV, the table and the detail pane (Why 3 of the write-path issue)."""

from __future__ import annotations

import csv
import io
import json

from depot_gui.cli import main as cli

WARNING = ("No active Xero tax rate is 12.345%; the Xero account's default tax rate is used: "
           "'Microsoft 365 Business Premium seat 1', 'Microsoft 365 Business Premium seat 2', "
           "'Microsoft 365 Business Premium seat 3'.")


def odd_tax(tmp_path, demo_scenario):
    sc = json.loads(demo_scenario.read_text())
    sc["autotask"]["entities"]["Taxes"][0]["taxRate"] = 12.345  # Xero has only 10% and 0%
    path = tmp_path / "odd-tax.json"
    path.write_text(json.dumps(sc))
    return path


def run(capsys, *args) -> tuple[int, object]:
    code = cli(list(args))
    out = capsys.readouterr().out
    return code, json.loads(out) if "--json" in args else out


def test_a_tax_rate_xero_lacks_is_a_tax_mapping_mismatch_at_any_size_and_tolerance(tmp_path, demo_scenario, capsys):
    base = ["--data-dir", str(tmp_path / "d"), "--sandbox", str(odd_tax(tmp_path, demo_scenario))]
    assert cli([*base, "settings", "set", "tolerance", "1000"]) == 0
    capsys.readouterr()
    code, rows = run(capsys, *base, "audit", "INV-5005", "INV-5001", "--json")
    assert code == 0
    by = {r["invoice_number"]: r for r in rows}
    # 1,633.50 (no difference at all) and 110.00 (0.02, Xero's 4-decimal rounding): both refused, neither
    # with a rounding line, the missing rate named first
    assert [(by[n]["status"], by[n]["causes"], by[n]["rounding_line"]) for n in ("INV-5001", "INV-5005")] == [
        ("mismatch", ["tax_mapping"], "0.00"), ("mismatch", ["tax_mapping", "precision"], "0.00")]
    assert by["INV-5005"]["explanation"].startswith(
        "Not synced: Autotask taxes some lines at 12.345%, a rate Xero does not have, so Xero would tax them at "
        "another rate (its invoice would total AUD 109.98 against Autotask's AUD 110.00, a difference of AUD 0.02). Depot GUI "
        "never hides a tax difference in a rounding line.")
    assert by["INV-5005"]["warnings"] == [WARNING]
    code, rows = run(capsys, *base, "sync", "INV-5005", "--json")
    assert code == 1 and rows[0]["status"] == "mismatch"
    code, state = run(capsys, *base, "sandbox", "state")
    state = json.loads(state)
    assert not [r for r in state["requests"] if r["method"] == "PUT"]  # nothing was sent


def test_warnings_reach_the_status_json_the_table_text_and_the_csv(tmp_path, demo_scenario, capsys):
    base = ["--data-dir", str(tmp_path / "d"), "--sandbox", str(odd_tax(tmp_path, demo_scenario))]
    run(capsys, *base, "audit", "INV-5005", "--json")
    code, rows = run(capsys, *base, "status", "--json")
    assert code == 0 and [r["warnings"] for r in rows] == [[WARNING]]
    code, text = run(capsys, *base, "audit", "INV-5005")
    assert f"INV-5005: warning: {WARNING}" in text.splitlines()
    report = tmp_path / "nov.csv"
    assert cli([*base, "report", "--since", "2026-11-01", "--csv", str(report)]) == 0
    capsys.readouterr()
    [header, row] = list(csv.reader(io.StringIO(report.read_text(encoding="utf-8-sig"), newline="")))
    assert header[-1] == "Warnings" and row[-1] == WARNING


def test_the_table_shows_a_warning_mark_and_the_warning_in_its_tooltip():
    from PySide6.QtCore import Qt

    from depot_gui.store.records import InvoiceRow
    from depot_gui.ui.models.invoice_table import Col, InvoiceTableModel

    row = InvoiceRow(5005, "INV-5005", "Bluegum Legal", "2026-11-01", "110.00", "109.98", "0.02", "0.00",
                     "mismatch", ["tax_mapping"], "Not synced: Autotask taxes some lines at 12.345%.", None, None,
                     None, False, "2026-11-20T09:00:00+00:00", warnings=(WARNING,))
    model = InvoiceTableModel()
    model.set_rows([row])
    status = model.index(0, Col.STATUS)
    assert model.data(status).endswith(" ⚠")
    assert model.data(status, Qt.ItemDataRole.ToolTipRole) == (
        "Not synced: Autotask taxes some lines at 12.345%.\n⚠ " + WARNING)
