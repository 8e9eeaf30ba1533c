"""The sandbox serves Autotask's types as Autotask does (issue 21 item 7): a documented field holding a
JSON type Autotask never serves is a scenario error naming the file, the JSON path and the type; a null
``invoiceNumber`` (Autotask allows it) is served as null, and found by ``notExist``."""

from __future__ import annotations

import json

import pytest

from depot_gui.sandbox import Sandbox
from depot_gui.sandbox.scenario import ScenarioError

from .helpers import AT_HEADERS, DEMO, client

V = "/atservicesrest/v1.0"


def scenario(tmp_path, change) -> tuple:
    data = json.loads(DEMO.read_text())
    change(data["autotask"]["entities"])
    p = tmp_path / "types.json"
    p.write_text(json.dumps(data))
    return p


@pytest.mark.parametrize("entity,index,field,value,problem", [
    ("Companies", 0, "companyName", 12345,
     "must be a string or null: Autotask serves Companies.companyName as string, got number 12345"),
    ("Companies", 1, "isActive", "yes",
     'must be true or false or null: Autotask serves Companies.isActive as boolean, got string "yes"'),
    ("Invoices", 0, "invoiceNumber", 5001,
     "must be a string or null: Autotask serves Invoices.invoiceNumber as string, got number 5001"),
    ("Invoices", 0, "companyID", "100",
     'must be a whole number or null: Autotask serves Invoices.companyID as integer, got string "100"'),
    ("BillingItems", 0, "description", ["a"],
     'must be a string or null: Autotask serves BillingItems.description as string, got array ["a"]'),
])
def test_a_type_autotask_never_serves_is_a_scenario_error(tmp_path, entity, index, field, value, problem):
    p = scenario(tmp_path, lambda e: e[entity][index].update({field: value}))
    with pytest.raises(ScenarioError) as err:
        Sandbox.open(p)
    assert str(err.value) == f"{p}: $.autotask.entities.{entity}[{index}].{field}: {problem}"


def test_null_invoice_number_is_served_as_null(tmp_path):
    p = scenario(tmp_path, lambda e: e["Invoices"][0].update({"invoiceNumber": None}))
    sb = Sandbox.open(p)
    c = client(sb, headers=AT_HEADERS)
    assert c.get(f"{V}/Invoices/5001").json()["item"]["invoiceNumber"] is None
    found = c.post(f"{V}/Invoices/query", json={"filter": [{"op": "notExist", "field": "invoiceNumber"}]}).json()
    assert [i["id"] for i in found["items"]] == [5001]


def test_numeric_text_in_a_string_field_is_served_as_that_text(tmp_path):
    p = scenario(tmp_path, lambda e: e["Companies"][0].update({"companyName": "12345"}))
    c = client(Sandbox.open(p), headers=AT_HEADERS)
    assert c.get(f"{V}/Companies/100").json()["item"]["companyName"] == "12345"
