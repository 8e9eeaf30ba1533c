"""Several Xero organisations from the command line: list, route, unroute, default; each invoice in its own
organisation only, and its result names the organisation."""

import json
from decimal import Decimal

import pytest

from depot_gui.cli.commands import main as cli
from depot_gui.sync.session.session import Session

from ..conftest import DEMO_PATH

AU, NZ = "3f1c2a7e-5b0d-4c39-9a43-2f1e8d6b7c10", "9b2e4c1d-7a3f-4e8b-b5d6-0c1f2e3a4b5c"


@pytest.fixture
def two(tmp_path):
    sc = json.loads(DEMO_PATH.read_text())
    sc["xero"]["tenants"].append({"tenantId": NZ, "tenantName": "Acme MSP NZ Ltd", "tenantType": "ORGANISATION"})
    path = tmp_path / "two.json"
    path.write_text(json.dumps(sc))
    return path


def run(capsys, data_dir, scenario, *args):
    code = cli(["--data-dir", str(data_dir), "--sandbox", str(scenario), *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_orgs_lists_every_connected_organisation_the_first_the_default(tmp_path, two, capsys):
    code, out, _ = run(capsys, tmp_path / "d", two, "orgs", "--json")
    assert code == 0
    assert json.loads(out) == [
        {"name": "Acme MSP Pty Ltd", "tenant_id": AU, "base_currency": "AUD", "currencies": [], "default": True,
         "companies": []},
        {"name": "Acme MSP NZ Ltd", "tenant_id": NZ, "base_currency": "AUD", "currencies": [], "default": False,
         "companies": []},
    ]


def test_a_name_that_matches_nothing_is_one_line_exit_2(tmp_path, two, capsys):
    code, out, err = run(capsys, tmp_path / "d", two, "orgs", "route", "Acme Dental Group", "Nowhere")
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and err.startswith("depot-sync orgs route: no connected Xero organisation is called 'Nowhere'")
    code, _, err = run(capsys, tmp_path / "d", two, "orgs", "route", "No Such Company", "Acme MSP NZ Ltd")
    assert code == 2 and err == ("depot-sync orgs route: Autotask has no company 'No Such Company' that this API "
                                 "user can see\n")


def test_a_routed_company_s_invoices_land_in_its_organisation_only(tmp_path, two, capsys):
    d = tmp_path / "d"
    code, out, _ = run(capsys, d, two, "orgs", "route", "Acme Dental Group", "Acme MSP NZ Ltd")
    assert (code, out) == (0, "Acme Dental Group (100) now goes to Acme MSP NZ Ltd.\n")
    code, out, _ = run(capsys, d, two, "audit", "--json")
    assert {o["invoice_number"]: o["xero_organisation"] for o in json.loads(out)} == {
        "INV-5001": "Acme MSP NZ Ltd", "INV-5002": "Acme MSP Pty Ltd", "INV-5003": "Acme MSP Pty Ltd",
        "INV-5004": "Acme MSP NZ Ltd", "INV-5005": "Acme MSP Pty Ltd"}
    code, out, _ = run(capsys, d, two, "sync", "INV-5001", "INV-5003", "--json")
    rows = {o["invoice_number"]: (o["status"], o["xero_organisation"]) for o in json.loads(out)}
    assert code == 0 and rows == {"INV-5001": ("synced", "Acme MSP NZ Ltd"), "INV-5003": ("synced", "Acme MSP Pty Ltd")}
    with Session.open(d, two) as s:
        conn = s.connections()
        au = [i["InvoiceNumber"] for i in conn.for_tenant(AU).xero.invoices_by_number(["INV-5001", "INV-5003"])]
        nz = [i["InvoiceNumber"] for i in conn.for_tenant(NZ).xero.invoices_by_number(["INV-5001", "INV-5003"])]
    assert (sorted(au), sorted(nz)) == (["INV-5003"], ["INV-5001"])
    code, out, _ = run(capsys, d, two, "status", "--json")
    assert {o["invoice_number"]: o["xero_organisation"] for o in json.loads(out)}["INV-5001"] == "Acme MSP NZ Ltd"


def test_unroute_and_default(tmp_path, two, capsys):
    d = tmp_path / "d"
    run(capsys, d, two, "orgs", "route", "100", NZ)
    code, out, _ = run(capsys, d, two, "orgs", "unroute", "Acme Dental Group")
    assert (code, out) == (0, "Acme Dental Group (100) goes to the default organisation, Acme MSP Pty Ltd.\n")
    code, out, _ = run(capsys, d, two, "orgs", "default", "acme msp nz ltd")
    assert (code, out) == (0, "Acme MSP NZ Ltd is the default organisation: every company not routed elsewhere "
                              "goes to it.\n")
    code, out, _ = run(capsys, d, two, "orgs", "--json")
    assert [(o["name"], o["default"]) for o in json.loads(out)] == [("Acme MSP Pty Ltd", False), ("Acme MSP NZ Ltd", True)]
    code, out, _ = run(capsys, d, two, "audit", "--json")
    assert {o["xero_organisation"] for o in json.loads(out)} == {"Acme MSP NZ Ltd"}


def test_each_organisation_s_own_tax_rate(tmp_path, capsys):
    sc = json.loads(DEMO_PATH.read_text())
    nz_rates = [{"Name": "GST on Income (NZ books)", "TaxType": "TAX002", "EffectiveRate": 10.0, "DisplayTaxRate": 10.0,
                 "Status": "ACTIVE", "CanApplyToRevenue": True},
                {"Name": "Zero Rated", "TaxType": "ZERORATEDOUTPUT", "EffectiveRate": 0.0, "DisplayTaxRate": 0.0,
                 "Status": "ACTIVE", "CanApplyToRevenue": True}]
    sc["xero"]["tenants"].append({"tenantId": NZ, "tenantName": "Acme MSP NZ Ltd", "tenantType": "ORGANISATION",
                                  "TaxRates": nz_rates})
    two = tmp_path / "two.json"
    two.write_text(json.dumps(sc))
    d = tmp_path / "d"
    run(capsys, d, two, "orgs", "route", "Acme Dental Group", "Acme MSP NZ Ltd")
    code, out, _ = run(capsys, d, two, "sync", "INV-5001", "INV-5003", "--json")
    assert code == 0 and [o["status"] for o in json.loads(out)] == ["synced", "synced"]
    with Session.open(d, two) as s:
        conn = s.connections()
        nz = conn.for_tenant(NZ).xero.invoices_by_number(["INV-5001"])
        au = conn.for_tenant(AU).xero.invoices_by_number(["INV-5003"])
        nz_doc = conn.for_tenant(NZ).xero.get_invoice(nz[0]["InvoiceID"])
        au_doc = conn.for_tenant(AU).xero.get_invoice(au[0]["InvoiceID"])
    assert {ln["TaxType"] for ln in nz_doc["LineItems"]} == {"TAX002"}
    assert {ln["TaxType"] for ln in au_doc["LineItems"]} == {"OUTPUT"}
    assert Decimal(str(nz_doc["Total"])) == Decimal("1633.50")


def test_a_name_that_matches_more_than_one_is_one_line_exit_2_and_nothing_changes(tmp_path, capsys):
    sc = json.loads(DEMO_PATH.read_text())
    twin = dict(next(c for c in sc["autotask"]["entities"]["Companies"] if c["companyName"] == "Acme Dental Group"))
    sc["autotask"]["entities"]["Companies"].append({**twin, "id": 999, "companyNumber": "C999"})
    sc["xero"]["tenants"] += [
        {"tenantId": NZ, "tenantName": "Acme MSP NZ Ltd", "tenantType": "ORGANISATION"},
        {"tenantId": "0d6c1b2a-3e4f-4a5b-8c7d-9e0f1a2b3c4d", "tenantName": "Acme MSP NZ Ltd", "tenantType": "ORGANISATION"},
    ]
    path = tmp_path / "twins.json"
    path.write_text(json.dumps(sc))
    d = tmp_path / "d"
    code, out, err = run(capsys, d, path, "orgs", "route", "Acme Dental Group", AU)
    assert (code, out, err.count("\n")) == (2, "", 1)
    assert err.startswith("depot-sync orgs route: 2 Autotask companies match 'Acme Dental Group'; name one by its id:")
    code, out, err = run(capsys, d, path, "orgs", "route", "999", "Acme MSP NZ Ltd")
    assert (code, out, err.count("\n")) == (2, "", 1)
    assert err.startswith("depot-sync orgs route: 2 connected Xero organisations match 'Acme MSP NZ Ltd'; "
                          "name one by its id:")
    code, out, err = run(capsys, d, path, "orgs", "default", "acme msp nz ltd")
    assert (code, out, err.count("\n")) == (2, "", 1)
    code, out, _ = run(capsys, d, path, "orgs", "--json")
    assert [(o["name"], o["default"], o["companies"]) for o in json.loads(out)] == [
        ("Acme MSP Pty Ltd", True, []), ("Acme MSP NZ Ltd", False, []), ("Acme MSP NZ Ltd", False, [])]


def test_an_invoice_in_xero_stays_in_its_organisation_when_its_company_is_routed_elsewhere(tmp_path, two, capsys):
    d = tmp_path / "d"
    run(capsys, d, two, "orgs", "route", "Acme Dental Group", "Acme MSP NZ Ltd")
    code, out, _ = run(capsys, d, two, "sync", "INV-5001", "--json")
    assert code == 0 and json.loads(out)[0]["xero_organisation"] == "Acme MSP NZ Ltd"
    run(capsys, d, two, "orgs", "unroute", "Acme Dental Group")  # its next invoices go to the default
    code, out, _ = run(capsys, d, two, "sync", "INV-5001", "INV-5004", "--json")
    rows = {o["invoice_number"]: (o["status"], o["xero_organisation"], o["explanation"]) for o in json.loads(out)}
    assert rows["INV-5001"] == ("synced", "Acme MSP NZ Ltd",
                                "Already in Xero as draft invoice INV-5001 with the same content; nothing to do.")
    assert rows["INV-5004"][1] == "Acme MSP Pty Ltd"  # not in Xero yet: where its company goes now
    with Session.open(d, two) as s:
        conn = s.connections()
        au = conn.for_tenant(AU).xero.invoices_by_number(["INV-5001"])
        nz = conn.for_tenant(NZ).xero.invoices_by_number(["INV-5001"])
    assert (len(au), len(nz)) == (0, 1)
