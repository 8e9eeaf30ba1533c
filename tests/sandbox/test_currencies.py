"""Multi-currency in the sandbox, as the scenario contract says: Autotask ``Currencies`` and each
company's ``currencyID``; Xero's ``Organisation`` (base currency) and ``Currencies`` (what the
organisation added), a document in any other currency refused with a ValidationException, the
currency and rate of a document stored and served. Probed over HTTP as a client would."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from depot_gui.sandbox import Sandbox
from depot_gui.sandbox.scenario import ScenarioError

from .helpers import AT_HEADERS, DEMO, client, connect, xero_headers

V = "/atservicesrest/v1.0"
API = "/api.xro/2.0"
ACME = "9a0b1c2d-0000-4000-8000-000000000100"
CURRENCIES = [
    {"id": 1, "name": "AUD", "description": "Australian Dollar", "displaySymbol": "$", "exchangeRate": 1,
     "isActive": True, "isInternalCurrency": True},
    {"id": 2, "name": "NZD", "description": "New Zealand Dollar", "displaySymbol": "$", "exchangeRate": 1.0921,
     "isActive": True, "isInternalCurrency": False},
    {"id": 3, "name": "USD", "description": "US Dollar", "displaySymbol": "US$", "exchangeRate": 0.6512,
     "isActive": True, "isInternalCurrency": False},
]


def write(tmp_path, change=None):
    data = json.loads(DEMO.read_text())
    data["autotask"]["entities"]["Currencies"] = json.loads(json.dumps(CURRENCIES))
    data["autotask"]["entities"]["Companies"][1]["currencyID"] = 2
    data["autotask"]["entities"]["Companies"][2]["currencyID"] = 3
    data["xero"]["Organisation"] = {"BaseCurrency": "AUD"}
    data["xero"]["Currencies"] = [{"Code": "NZD", "Description": "New Zealand Dollar"}]
    if change:
        change(data)
    p = tmp_path / "currencies.json"
    p.write_text(json.dumps(data))
    return p


@pytest.fixture
def multi(tmp_path):
    return Sandbox.open(write(tmp_path))


@pytest.fixture
def xc(multi):
    c = client(multi)
    c.headers.update(xero_headers(connect(c)["access_token"]))
    return multi, c


def loads(r):
    return json.loads(r.text, parse_float=Decimal)


def doc(currency=None, rate=None, number="FX-1", kind="Invoices"):
    d = {"Type": "ACCREC" if kind == "Invoices" else "ACCRECCREDIT", "Contact": {"ContactID": ACME},
         "Date": "2026-11-01", "DueDate": "2026-11-15", "Status": "DRAFT",
         "LineItems": [{"Description": "Support", "Quantity": "1", "UnitAmount": "455.95", "AccountCode": "200",
                        "TaxType": "OUTPUT"}]}
    d["InvoiceNumber" if kind == "Invoices" else "CreditNoteNumber"] = number
    if currency:
        d["CurrencyCode"] = currency
    if rate is not None:
        d["CurrencyRate"] = rate
    return d


# -- Autotask -------------------------------------------------------------------------------------

def test_autotask_serves_currencies_and_each_companys_currency(multi):
    c = client(multi, headers=AT_HEADERS)
    rows = c.post(f"{V}/Currencies/query", json={"filter": [{"op": "exist", "field": "id"}]}).json()["items"]
    assert [(r["id"], r["name"], r["isInternalCurrency"]) for r in rows] == [
        (1, "AUD", True), (2, "NZD", False), (3, "USD", False)]
    assert rows[1]["exchangeRate"] == 1.0921
    assert c.get(f"{V}/Companies/101").json()["item"]["currencyID"] == 2
    fields = {f["name"]: f["dataType"] for f in c.get(f"{V}/Currencies/entityInformation/fields").json()["fields"]}
    assert (fields["name"], fields["exchangeRate"], fields["isInternalCurrency"]) == ("string", "double", "boolean")


def test_no_currencies_rows_is_an_empty_entity(demo):
    c = client(demo, headers=AT_HEADERS)
    got = c.post(f"{V}/Currencies/query", json={"filter": [{"op": "exist", "field": "id"}]}).json()["items"]
    assert got == []


@pytest.mark.parametrize("change,where,problem", [
    (lambda d: d["autotask"]["entities"]["Currencies"][1].update(isInternalCurrency=True),
     "$.autotask.entities.Currencies", "exactly one currency must have isInternalCurrency true, found 2"),
    (lambda d: d["autotask"]["entities"]["Currencies"][2].update(name="US Dollar"),
     "$.autotask.entities.Currencies[2].name",
     'must be the ISO 4217 code (e.g. "NZD"), as Autotask\'s Currencies.name is, got "US Dollar"'),
    (lambda d: d["autotask"]["entities"]["Companies"][0].update(currencyID=9),
     "$.autotask.entities.Companies[0].currencyID", "no Currencies record has id 9"),
    (lambda d: d["xero"]["Currencies"].append({"Code": "usd"}),
     "$.xero.Currencies[1].Code", 'must be an ISO 4217 currency code such as "NZD", got "usd"'),
    (lambda d: d["xero"]["Currencies"].append({"Code": "NZD"}), "$.xero.Currencies[1].Code", "duplicate currency NZD"),
    (lambda d: d["xero"]["Organisation"].update(BaseCurrency=36),
     "$.xero.Organisation.BaseCurrency", 'must be an ISO 4217 currency code such as "NZD", got 36'),
])
def test_broken_currencies_are_scenario_errors(tmp_path, change, where, problem):
    p = write(tmp_path, change)
    with pytest.raises(ScenarioError) as err:
        Sandbox.open(p)
    assert str(err.value) == f"{p}: {where}: {problem}"


# -- Xero -----------------------------------------------------------------------------------------

def test_organisation_and_currencies(xc, tmp_path):
    _, c = xc
    assert loads(c.get(f"{API}/Organisation"))["Organisations"][0]["BaseCurrency"] == "AUD"
    assert loads(c.get(f"{API}/Currencies"))["Currencies"] == [
        {"Code": "AUD", "Description": "Australian Dollar"}, {"Code": "NZD", "Description": "New Zealand Dollar"}]
    nz = Sandbox.open(write(tmp_path, lambda d: d["xero"].update(Organisation={"BaseCurrency": "NZD",
                                                                               "CountryCode": "NZ"}, Currencies=[])))
    c2 = client(nz)
    c2.headers.update(xero_headers(connect(c2)["access_token"]))
    org = loads(c2.get(f"{API}/Organisation"))["Organisations"][0]
    assert (org["BaseCurrency"], org["CountryCode"], org["Name"]) == ("NZD", "NZ", "Acme MSP Pty Ltd")
    assert loads(c2.get(f"{API}/Currencies"))["Currencies"] == [{"Code": "NZD", "Description": "New Zealand Dollar"}]


def test_an_added_currency_is_stored_and_served_with_its_rate(xc):
    sb, c = xc
    r = c.put(f"{API}/Invoices", json={"Invoices": [doc("NZD", "1.0921")]})
    assert r.status_code == 200, r.text
    got = loads(c.get(f"{API}/Invoices/FX-1"))["Invoices"][0]
    assert (got["CurrencyCode"], got["CurrencyRate"], got["Total"]) == ("NZD", Decimal("1.0921"), Decimal("501.55"))
    stored = sb.state()["xero"]["Invoices"][0]
    assert (stored["CurrencyCode"], stored["CurrencyRate"]) == ("NZD", Decimal("1.0921"))


def test_a_currency_the_organisation_has_not_added_is_refused(xc):
    sb, c = xc
    r = c.put(f"{API}/Invoices", json={"Invoices": [doc("USD")]})
    assert r.status_code == 400 and loads(r)["Type"] == "ValidationException"
    assert [m["Message"] for m in loads(r)["Elements"][0]["ValidationErrors"]] == [
        "Organisation is not subscribed to currency USD"]
    r = c.put(f"{API}/CreditNotes", json={"CreditNotes": [doc("USD", kind="CreditNotes", number="CN-1")]})
    assert r.status_code == 400 and loads(r)["Type"] == "ValidationException"
    assert sb.state()["xero"]["Invoices"] == [] and sb.state()["xero"].get("CreditNotes", []) == []


def test_base_currency_is_the_default_at_rate_one(xc):
    _, c = xc
    got = loads(c.put(f"{API}/Invoices", json={"Invoices": [doc(rate="3")]}))["Invoices"][0]
    assert (got["CurrencyCode"], got["CurrencyRate"]) == ("AUD", Decimal("1"))


def test_without_a_rate_the_days_rate_applies(tmp_path):
    sb = Sandbox.open(write(tmp_path, lambda d: d["xero"]["Currencies"][0].update(Rate=1.0875)))
    c = client(sb)
    c.headers.update(xero_headers(connect(c)["access_token"]))
    cn = loads(c.put(f"{API}/CreditNotes", json={"CreditNotes": [doc("NZD", kind="CreditNotes", number="CN-1")]}))
    assert (cn["CreditNotes"][0]["CurrencyCode"], cn["CreditNotes"][0]["CurrencyRate"]) == ("NZD", Decimal("1.0875"))


@pytest.mark.parametrize("rate", ["0", "-1.2", "abc"])
def test_a_rate_must_be_positive(xc, rate):
    _, c = xc
    r = c.put(f"{API}/Invoices", json={"Invoices": [doc("NZD", rate)]})
    assert [m["Message"] for m in loads(r)["Elements"][0]["ValidationErrors"]] == [
        f"CurrencyRate {rate} is not valid; it must be a number greater than zero."]
