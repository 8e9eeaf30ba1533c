"""Scenario loading: Decimal numbers, comments ignored, clear errors naming file, JSON path and problem."""

from __future__ import annotations

import copy
import json
from decimal import Decimal

import pytest

from depot_gui.sandbox import Sandbox, ScenarioError, load_scenario

from .helpers import DEMO, SCENARIOS


def test_demo_loads_with_decimal_money():
    data = load_scenario(DEMO)
    inv = data["autotask"]["entities"]["Invoices"][0]
    assert inv["invoiceTotal"] == Decimal("1633.5") and isinstance(inv["invoiceTotal"], Decimal)
    assert data["name"] == "demo"


@pytest.mark.parametrize("name", ["clean.json", "paging.json", "restricted.json"])
def test_extra_scenarios_load(name):
    assert load_scenario(SCENARIOS / name)["autotask"]["apiUser"]["userName"]


def test_comment_keys_ignored_anywhere(tmp_path):
    data = json.loads(DEMO.read_text())
    data["_top"] = 1
    data["autotask"]["entities"]["Invoices"][0]["_note"] = "x"
    data["xero"]["_tenants_note"] = {"anything": ["goes"]}
    p = tmp_path / "c.json"
    p.write_text(json.dumps(data))
    loaded = load_scenario(p)
    assert "_top" not in loaded and "_note" not in loaded["autotask"]["entities"]["Invoices"][0]


def test_minimal_scenario_needs_only_the_contract(tmp_path):
    p = tmp_path / "min.json"
    p.write_text(json.dumps({
        "name": "min", "now": "2026-01-01T00:00:00Z",
        "autotask": {"apiUser": {"userName": "u@x", "secret": "s", "integrationCode": "C", "resourceID": 1}},
        "xero": {"clientId": "X", "tenants": [{"tenantId": "3f1c2a7e-5b0d-4c39-9a43-2f1e8d6b7c10",
                                               "tenantName": "T", "tenantType": "ORGANISATION"}]},
    }))
    sb = Sandbox.open(p)
    assert sb.state()["autotask"]["entities"] == {}


def _broken(tmp_path, mutate):
    data = json.loads(DEMO.read_text())
    mutate(data)
    p = tmp_path / "broken.json"
    p.write_text(json.dumps(data))
    return p


CASES = [
    (lambda d: d["autotask"]["entities"]["Invoices"][2].__setitem__("invoiceTotal", "2970.00"),
     "$.autotask.entities.Invoices[2].invoiceTotal", "number"),
    (lambda d: d.pop("now"), "$", '"now"'),
    (lambda d: d.__setitem__("now", "yesterday"), "$.now", "ISO-8601"),
    (lambda d: d["autotask"]["apiUser"].pop("secret"), "$.autotask.apiUser", '"secret"'),
    (lambda d: d["autotask"]["entities"]["BillingItems"][1].__setitem__("id", 9001),
     "$.autotask.entities.BillingItems[1].id", "duplicate"),
    (lambda d: d["autotask"]["pending"][0].__setitem__("billingItemID", 123),
     "$.autotask.pending[0].billingItemID", "no BillingItems"),
    (lambda d: d["xero"]["tenants"][0].__setitem__("tenantId", "not-a-uuid"),
     "$.xero.tenants[0].tenantId", "UUID"),
    (lambda d: d["xero"]["TaxRates"][0].__setitem__("EffectiveRate", "10"),
     "$.xero.TaxRates[0].EffectiveRate", "number"),
    (lambda d: d.__setitem__("faults", [{"api": "xero", "kind": "explode"}]), "$.faults[0].kind", "must be one of"),
    (lambda d: d.__setitem__("faults", [{"api": "xero", "path": "([", "kind": "drop"}]), "$.faults[0].path",
     "regular expression"),
    (lambda d: d["autotask"]["entities"].__setitem__("Invoices", {"id": 1}), "$.autotask.entities.Invoices",
     "array"),
    (lambda d: d["autotask"]["entities"]["BillingItems"][0].__setitem__("itemDate", "31/10/2026"),
     "$.autotask.entities.BillingItems[0].itemDate", "datetime"),
]


@pytest.mark.parametrize("mutate,path,problem", CASES)
def test_errors_name_file_path_and_problem(tmp_path, mutate, path, problem):
    p = _broken(tmp_path, mutate)
    with pytest.raises(ScenarioError) as err:
        load_scenario(p)
    text = str(err.value)
    assert str(p) in text and f"{path}:" in text and problem in text
    assert err.value.path == path


def test_invalid_json_reports_position(tmp_path):
    p = tmp_path / "bad.json"
    p.write_text('{"name": "x",\n "now": }')
    with pytest.raises(ScenarioError, match=r"bad\.json: \$: not valid JSON: .* line 2"):
        load_scenario(p)


def test_missing_file(tmp_path):
    with pytest.raises(ScenarioError, match="cannot read"):
        load_scenario(tmp_path / "nope.json")


def test_nothing_half_loaded(tmp_path):
    p = _broken(tmp_path, lambda d: d["xero"]["tenants"].clear())
    with pytest.raises(ScenarioError, match=r"\$\.xero\.tenants: must list at least one tenant"):
        Sandbox.open(p, tmp_path / "state")
    assert not (tmp_path / "state" / "state.json").exists()


def test_unknown_option_rejected():
    with pytest.raises(ValueError, match="unknown sandbox option"):
        Sandbox.open(DEMO, colour="blue")


def test_more_keys_accepted(tmp_path):
    data = json.loads(DEMO.read_text())
    data["extraTopLevel"] = {"a": 1}
    data["autotask"]["entities"]["Contracts"] = [{"id": 1, "contractName": "C", "organizationalLevelAssociationID": 13}]
    data["autotask"]["entities"]["Invoices"][0]["someNewField"] = copy.deepcopy([1, 2])
    p = tmp_path / "more.json"
    p.write_text(json.dumps(data))
    assert load_scenario(p)["extraTopLevel"] == {"a": 1}
