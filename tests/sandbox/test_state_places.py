"""A request saves the records it changed, not whole sections: its journal line does not grow with
the tenant; what another process changed meanwhile is kept; a change nobody named is caught."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from depot_gui.sandbox import Sandbox
from depot_gui.sandbox.scale import write_scale_scenario
from depot_gui.sandbox.state import StateStore

from .helpers import AT_HEADERS, DEMO, REPO, TENANT, bookkeeper, client

V = "/atservicesrest/v1.0"
API = "/api.xro/2.0"


def draft(number: str, contact: str = "9a0b1c2d-0000-4000-8000-000000000100") -> dict:
    return {"Type": "ACCREC", "Contact": {"ContactID": contact}, "InvoiceNumber": number, "Date": "2026-11-01",
            "DueDate": "2026-11-15", "Status": "DRAFT", "LineAmountTypes": "Exclusive",
            "LineItems": [{"Description": "Support", "Quantity": "1", "UnitAmount": "45.45", "AccountCode": "200",
                           "TaxType": "OUTPUT"}]}


def last_line(state_dir) -> str:
    return (state_dir / "state.journal").read_text().splitlines()[-1]


@pytest.mark.parametrize("invoices", [10, 1000])
def test_a_patch_of_one_invoice_appends_a_line_of_the_same_size_whatever_the_number_of_invoices(tmp_path, invoices):
    scenario = write_scale_scenario(DEMO, tmp_path / "scale.json", invoices, 5)
    sb = Sandbox.open(scenario, tmp_path / "state")
    with sb.store.transaction(("autotask",)) as data:  # every other invoice stamped already
        data["autotask"]["changes"]["Invoices"] = {
            str(400000 + k): {"webServiceDate": "2026-11-20T09:00:00"} for k in range(1, invoices)}
    at = client(sb, headers=AT_HEADERS)
    for when in ("2026-11-20T09:00:30", "2026-11-20T09:01:00"):  # the first also saves the request count
        assert at.patch(f"{V}/Invoices", json={"id": 400000, "webServiceDate": when}).status_code == 200
    line = last_line(tmp_path / "state")
    assert len(line) <= 320  # with the whole "autotask" section: 51 bytes an invoice, 51,000 with 1,000
    assert [place for place, _ in json.loads(line)["put"]] == [
        ["autotask", "changes", "Invoices", "400000"], ["autotask", "hourly"]]
    again = Sandbox.open(scenario, tmp_path / "state").state()["autotask"]["entities"]["Invoices"]
    assert sum(1 for i in again if i.get("webServiceDate")) == invoices


def test_a_new_xero_invoice_appends_itself_not_the_tenant(tmp_path):
    sb = Sandbox.open(DEMO, tmp_path)
    xero = bookkeeper(sb)
    many = [draft(f"BULK-{k:04d}") for k in range(200)]
    assert xero.put(f"{API}/Invoices", json={"Invoices": many}).status_code == 200
    held = len(sb.state()["xero"]["Invoices"])
    assert xero.put(f"{API}/Invoices", json={"Invoices": [draft("ONE-0001")]},
                    headers={"Idempotency-Key": "k-one"}).status_code == 200
    line = last_line(tmp_path)
    change = json.loads(line)
    assert change["set"] == {}
    assert [place for place, _ in change["put"]] == [
        ["xero", "idempotency", f"{TENANT} k-one"], ["xero", "limits"],
        ["xero", "tenants", TENANT, "Invoices", held], ["xero", "tenants", TENANT, "counters"]]
    assert change["put"][2][1]["InvoiceNumber"] == "ONE-0001"
    assert "BULK-0000" not in line and len(line) < 6000  # the tenant whole: over 200,000 bytes
    numbers = [d["InvoiceNumber"] for d in Sandbox.open(DEMO, tmp_path).state()["xero"]["Invoices"]]
    assert numbers[-2:] == ["BULK-0199", "ONE-0001"] and len(numbers) == held + 1


def test_what_another_process_changed_meanwhile_reads_back_the_same(tmp_path):
    sb = Sandbox.open(DEMO, tmp_path)
    at, xero = client(sb, headers=AT_HEADERS), bookkeeper(sb)
    assert at.patch(f"{V}/Invoices", json={"id": 5001, "webServiceDate": "2026-11-20T09:01:00"}).status_code == 200
    assert xero.put(f"{API}/Invoices", json={"Invoices": [draft("MINE-1")]}).status_code == 200
    other = ("import sys; from depot_gui.sandbox import Sandbox; "
             "from tests.sandbox.helpers import AT_HEADERS, bookkeeper, client; "
             "from tests.sandbox.test_state_places import draft; "
             "sb = Sandbox.open(sys.argv[1], sys.argv[2]); "
             "assert bookkeeper(sb).put('/api.xro/2.0/Invoices', json={'Invoices': [draft('THEIRS-1')]}).status_code == 200; "
             "assert client(sb, headers=AT_HEADERS).patch('/atservicesrest/v1.0/Invoices', "
             "json={'id': 5002, 'webServiceDate': '2026-11-20T09:02:00'}).status_code == 200; "
             "import os; os._exit(0)")  # its journal stays: no compaction at exit
    subprocess.run([sys.executable, "-c", other, str(DEMO), str(tmp_path)], check=True, timeout=60, cwd=REPO)
    assert xero.put(f"{API}/Invoices", json={"Invoices": [draft("MINE-2")]}).status_code == 200
    assert at.patch(f"{V}/Invoices", json={"id": 5003, "webServiceDate": "2026-11-20T09:03:00"}).status_code == 200
    mine, fresh = sb.state(), Sandbox.open(DEMO, tmp_path).state()
    assert [d["InvoiceNumber"] for d in fresh["xero"]["Invoices"]][-3:] == ["MINE-1", "THEIRS-1", "MINE-2"]
    stamps = {i["id"]: i["webServiceDate"] for i in fresh["autotask"]["entities"]["Invoices"] if i["webServiceDate"]}
    assert stamps == {5001: "2026-11-20T09:01:00", 5002: "2026-11-20T09:02:00", 5003: "2026-11-20T09:03:00"}
    del mine["now"], fresh["now"]
    assert mine == fresh


def test_a_change_outside_what_the_transaction_named_is_caught_by_the_check(tmp_path, monkeypatch):
    monkeypatch.setattr(StateStore, "check_saves", True)
    sb = Sandbox.open(DEMO, tmp_path)
    with sb.store.transaction((("autotask", "hourly"),)) as data:  # named and changed: saved
        data["autotask"]["hourly"].append([1, 1])
    with pytest.raises(AssertionError, match="differs from memory in 'autotask'"):
        with sb.store.transaction((("autotask", "hourly"),)) as data:
            data["autotask"]["attached"].append(1)


def test_a_removed_record_is_dropped_and_a_removed_section_deleted(tmp_path, monkeypatch):
    monkeypatch.setattr(StateStore, "check_saves", True)
    sb = Sandbox.open(DEMO, tmp_path)
    with sb.store.transaction(("autotask",)) as data:
        data["autotask"]["changes"]["Invoices"] = {"5001": {"webServiceDate": "x"}, "5002": {"webServiceDate": "y"}}
    with sb.store.transaction(()) as data:
        del data["autotask"]["changes"]["Invoices"]["5001"]
        sb.store.mark([("autotask", "changes", "Invoices", "5001")])
    assert json.loads(last_line(tmp_path))["drop"] == [["autotask", "changes", "Invoices", "5001"]]
    with sb.store.transaction(None) as data:
        data.pop("faults")
    assert json.loads(last_line(tmp_path))["del"] == ["faults"]
    with StateStore(tmp_path, sb.store.scenario_hash, dict).transaction(()) as data:
        assert data["autotask"]["changes"]["Invoices"] == {"5002": {"webServiceDate": "y"}} and "faults" not in data
