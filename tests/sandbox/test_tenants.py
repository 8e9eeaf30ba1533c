"""Several Xero organisations in one scenario (scenario.md, "Several organisations"), probed over HTTP:
one sign-in reaches every tenant (``/connections``), ``Xero-tenant-id`` picks the books, and each
tenant has its own organisation, currencies, tax rates, records, numbers, limits and idempotency
keys; ``sandbox state`` shows every tenant's records."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from depot_gui.sandbox import Sandbox
from depot_gui.sandbox.scenario import ScenarioError

from .helpers import DEMO, TENANT, client, connect, xero_headers

API = "/api.xro/2.0"
NZ = "5a7e3c1d-2222-4b3c-9d4e-5f6a7b8c9d0e"
UK = "6b8f4d2e-3333-4c4d-8e5f-6a7b8c9d0e1f"
NZ_TAX = [{"Name": "GST on Income", "TaxType": "OUTPUT2", "EffectiveRate": 15}]


def write(tmp_path, change=None):
    data = json.loads(DEMO.read_text())
    data["xero"]["Organisation"] = {"BaseCurrency": "AUD", "Name": "Acme MSP (AU)"}
    data["xero"]["Currencies"] = [{"Code": "NZD", "Description": "New Zealand Dollar"}]
    data["xero"]["tenants"] += [
        {"tenantId": NZ, "tenantName": "Acme MSP NZ Ltd", "tenantType": "ORGANISATION",
         "Organisation": {"BaseCurrency": "NZD", "CountryCode": "NZ"}, "Currencies": [{"Code": "AUD"}],
         "TaxRates": [dict(r) for r in NZ_TAX], "Contacts": [{"Name": "Kiwi Dental Ltd"}], "Invoices": []},
        {"tenantId": UK, "tenantName": "Acme MSP UK Ltd", "tenantType": "ORGANISATION"},
    ]
    if change:
        change(data)
    p = tmp_path / "tenants.json"
    p.write_text(json.dumps(data))
    return p


def connected(sb):
    c = client(sb)
    token = connect(c)["access_token"]
    return c, token


def at(sb, c, token, tenant):
    """A client on the same sign-in that names ``tenant`` in every call."""
    return client(sb, headers=xero_headers(token, tenant))


def loads(r):
    return json.loads(r.text, parse_float=Decimal)


def messages(r):
    return [m["Message"] for el in loads(r)["Elements"] for m in el["ValidationErrors"]]


def inv(number=None, contact="Kiwi Dental Ltd", tax="OUTPUT2", **extra):
    d = {"Type": "ACCREC", "Contact": {"Name": contact}, "Date": "2026-11-01", "DueDate": "2026-11-15",
         "Status": "DRAFT", "LineItems": [{"Description": "Support", "Quantity": "1", "UnitAmount": "100",
                                           "AccountCode": "200", "TaxType": tax}]}
    if number:
        d["InvoiceNumber"] = number
    d.update(extra)
    return d


@pytest.fixture
def three(tmp_path):
    sb = Sandbox.open(write(tmp_path))
    c, token = connected(sb)
    return sb, c, token


def test_one_sign_in_reaches_every_tenant(three):
    sb, c, token = three
    rows = c.get("/connections", headers={"Authorization": f"Bearer {token}"}).json()
    assert [(r["tenantId"], r["tenantName"]) for r in rows] == [
        (TENANT, "Acme MSP Pty Ltd"), (NZ, "Acme MSP NZ Ltd"), (UK, "Acme MSP UK Ltd")]
    orgs = {}
    for tid in (TENANT, NZ, UK):
        o = loads(at(sb, c, token, tid).get(f"{API}/Organisation"))["Organisations"][0]
        orgs[tid] = (o["OrganisationID"], o["Name"], o["BaseCurrency"], o["CountryCode"])
    assert orgs == {TENANT: (TENANT, "Acme MSP (AU)", "AUD", "AU"),
                    NZ: (NZ, "Acme MSP NZ Ltd", "NZD", "NZ"),
                    UK: (UK, "Acme MSP UK Ltd", "AUD", "AU")}  # the top-level Organisation, but its own name
    assert [x["Code"] for x in loads(at(sb, c, token, NZ).get(f"{API}/Currencies"))["Currencies"]] == ["NZD", "AUD"]
    assert [x["Code"] for x in loads(at(sb, c, token, UK).get(f"{API}/Currencies"))["Currencies"]] == ["AUD", "NZD"]


def test_each_tenant_its_own_books_tax_and_currency(three):
    sb, c, token = three
    nz = at(sb, c, token, NZ)
    assert [x["Name"] for x in loads(nz.get(f"{API}/Contacts"))["Contacts"]] == ["Kiwi Dental Ltd"]
    assert [x["TaxType"] for x in loads(nz.get(f"{API}/TaxRates"))["TaxRates"]] == ["OUTPUT2"]
    got = loads(nz.put(f"{API}/Invoices", json={"Invoices": [inv("NZ-1")]}))["Invoices"][0]
    assert (got["CurrencyCode"], got["TotalTax"], got["Total"]) == ("NZD", Decimal("15.00"), Decimal("115.00"))
    r = nz.put(f"{API}/Invoices", json={"Invoices": [inv("NZ-2", tax="OUTPUT")]})  # an AU rate: not in this org
    assert r.status_code == 400 and loads(r)["Type"] == "ValidationException"
    r = nz.put(f"{API}/Invoices", json={"Invoices": [inv("NZ-3", CurrencyCode="USD")]})
    assert [m["Message"] for m in loads(r)["Elements"][0]["ValidationErrors"]] == [
        "Organisation is not subscribed to currency USD"]
    au = at(sb, c, token, TENANT)
    assert loads(au.get(f"{API}/Invoices", params={"InvoiceNumbers": "NZ-1"}))["Invoices"] == []
    # a tenant carrying nothing starts from the top-level books (the first tenant's)
    uk = at(sb, c, token, UK)
    assert [x["Name"] for x in loads(uk.get(f"{API}/Contacts"))["Contacts"]] == ["Acme Dental Group"]


def test_numbers_are_per_tenant(three):
    sb, c, token = three
    nz = at(sb, c, token, NZ)
    assert loads(nz.put(f"{API}/Invoices", json={"Invoices": [inv()]}))["Invoices"][0]["InvoiceNumber"] == "INV-0001"
    assert nz.put(f"{API}/Invoices", json={"Invoices": [inv("INV-5001")]}).status_code == 200
    au = at(sb, c, token, TENANT)
    assert loads(au.get(f"{API}/Invoices"))["Invoices"] == []
    again = loads(au.put(f"{API}/Invoices", json={"Invoices": [inv(contact="Acme Dental Group", tax="OUTPUT")]}))
    assert again["Invoices"][0]["InvoiceNumber"] == "INV-0001"
    mine = au.put(f"{API}/Invoices", json={"Invoices": [inv("INV-5001", contact="Acme Dental Group", tax="OUTPUT")]})
    assert mine.status_code == 200
    assert messages(nz.put(f"{API}/Invoices", json={"Invoices": [inv("INV-5001")]})) == ["Invoice # must be unique."]


def test_idempotency_keys_are_per_tenant(three):
    sb, c, token = three
    body = {"Invoices": [inv("SAME-1", contact="Acme Dental Group", tax="OUTPUT")]}
    uk = at(sb, c, token, UK)
    first = uk.put(f"{API}/Invoices", json=body, headers={"Idempotency-Key": "k-1"})
    au = at(sb, c, token, TENANT)
    second = au.put(f"{API}/Invoices", json=body, headers={"Idempotency-Key": "k-1"})
    assert (first.status_code, second.status_code) == (200, 200)
    assert "idempotent-replayed" not in second.headers
    assert loads(first)["Invoices"][0]["InvoiceID"] != loads(second)["Invoices"][0]["InvoiceID"]
    replay = au.put(f"{API}/Invoices", json=body, headers={"Idempotency-Key": "k-1"})
    assert replay.headers["idempotent-replayed"] == "true"


def test_limits_are_per_tenant(tmp_path):
    sb = Sandbox.open(write(tmp_path), xero_minute_limit=3)
    c, token = connected(sb)
    au = at(sb, c, token, TENANT)
    assert [au.get(f"{API}/Organisation").status_code for _ in range(4)] == [200, 200, 200, 429]
    nz = at(sb, c, token, NZ)
    r = nz.get(f"{API}/Organisation")
    assert (r.status_code, r.headers["x-minlimit-remaining"]) == (200, "2")


def test_state_shows_every_tenants_records(three):
    sb, c, token = three
    at(sb, c, token, NZ).put(f"{API}/Invoices", json={"Invoices": [inv("NZ-1")]})
    at(sb, c, token, UK).put(f"{API}/Invoices", json={"Invoices": [inv("UK-1", contact="Acme Dental Group",
                                                                       tax="OUTPUT")]})
    x = sb.state()["xero"]
    assert [t["tenantId"] for t in x["tenants"]] == [TENANT, NZ, UK]
    assert [[i["InvoiceNumber"] for i in t["Invoices"]] for t in x["tenants"]] == [[], ["NZ-1"], ["UK-1"]]
    assert [[k["Name"] for k in t["Contacts"]] for t in x["tenants"]] == [
        ["Acme Dental Group"], ["Kiwi Dental Ltd"], ["Acme Dental Group"]]
    assert [t["CreditNotes"] for t in x["tenants"]] == [[], [], []]
    assert x["Invoices"] == [] and [k["Name"] for k in x["Contacts"]] == ["Acme Dental Group"]  # the first tenant's
    assert x["tenants"][1]["Organisation"] == {"BaseCurrency": "NZD", "CountryCode": "NZ"}  # as the scenario says


def test_single_tenant_state_keeps_its_shape(xero):
    sb, c = xero
    c.put(f"{API}/Invoices", json={"Invoices": [inv("ONE-1", contact="Acme Dental Group", tax="OUTPUT")]})
    x = sb.state()["xero"]
    assert [i["InvoiceNumber"] for i in x["Invoices"]] == ["ONE-1"]
    assert [(t["tenantId"], t["tenantName"], [i["InvoiceNumber"] for i in t["Invoices"]]) for t in x["tenants"]] == [
        (TENANT, "Acme MSP Pty Ltd", ["ONE-1"])]


@pytest.mark.parametrize("change,where,problem", [
    (lambda d: d["xero"]["tenants"][1]["Currencies"].append({"Code": "nz"}),
     "$.xero.tenants[1].Currencies[1].Code", 'must be an ISO 4217 currency code such as "NZD", got "nz"'),
    (lambda d: d["xero"]["tenants"][1]["TaxRates"][0].pop("EffectiveRate"),
     "$.xero.tenants[1].TaxRates[0]", 'missing required key "EffectiveRate"'),
    (lambda d: d["xero"]["tenants"][2].update(tenantId=NZ), "$.xero.tenants[2].tenantId", f"duplicate tenant {NZ}"),
])
def test_what_a_tenant_carries_is_checked(tmp_path, change, where, problem):
    p = write(tmp_path, change)
    with pytest.raises(ScenarioError) as err:
        Sandbox.open(p)
    assert str(err.value) == f"{p}: {where}: {problem}"
