"""Issue 20's done-when on the sandbox, through the CLI: two organisations with different tax rates, one
company routed to the second; each invoice lands in its own organisation only, with that organisation's
tax rate, and its result names the organisation. The calls of a run do not grow per invoice: each
organisation's reference data is read once a run, Autotask's lists once for both."""

import json
from collections import Counter

import pytest

from .books import AU, AU_NAME, NZ, NZ_NAME, requests, run, tenant_docs, two_orgs, with_copies

XERO_REFERENCE = ("/api.xro/2.0/Accounts", "/api.xro/2.0/TaxRates", "/api.xro/2.0/Contacts")


def _calls(reqs: list[dict], api: str) -> Counter:
    return Counter((r["method"], r["path"]) for r in reqs if r["api"] == api)


@pytest.mark.parametrize("copies", [0, 3])
def test_each_invoice_in_its_own_organisation_with_its_own_tax_and_calls_per_run(tmp_path, capsys, copies):
    sc, d = two_orgs(tmp_path), tmp_path / "d"
    sc = with_copies(sc, copies) if copies else sc
    code, out, _ = run(capsys, d, sc, "orgs", "route", "Acme Dental Group", NZ_NAME)
    assert (code, out) == (0, "Acme Dental Group (100) now goes to Acme MSP NZ Ltd.\n")

    before = len(requests(capsys, d, sc))
    code, out, _ = run(capsys, d, sc, "audit", "--json")
    audit_calls = requests(capsys, d, sc)[before:]
    rows = json.loads(out)
    assert code == 0 and len(rows) == 5 * (copies + 1)
    dental = {r["invoice_number"] for r in rows if r["autotask_id"] % 1000 in (1, 4)}  # INV-5001/5004 and copies
    assert {r["invoice_number"]: r["xero_organisation"] for r in rows} == {
        r["invoice_number"]: NZ_NAME if r["invoice_number"] in dental else AU_NAME for r in rows}
    ready = [r["invoice_number"] for r in rows if r["status"] == "ready"]
    assert len(ready) == 3 * (copies + 1)  # INV-5001 (NZ), INV-5003 and INV-5005 (AU), and their copies

    before = len(requests(capsys, d, sc))
    code, out, _ = run(capsys, d, sc, "sync", *ready, "--json")
    sync_calls = requests(capsys, d, sc)[before:]
    synced = json.loads(out)
    assert code == 0 and {r["status"] for r in synced} == {"synced"}
    assert sorted((r["invoice_number"], r["xero_organisation"]) for r in synced) == sorted(
        (n, NZ_NAME if n in dental else AU_NAME) for n in ready)

    nz, au = tenant_docs(capsys, d, sc, NZ), tenant_docs(capsys, d, sc, AU)
    assert sorted(i["InvoiceNumber"] for i in nz) == sorted(n for n in ready if n in dental)
    assert sorted(i["InvoiceNumber"] for i in au) == sorted(n for n in ready if n not in dental)
    assert {ln["TaxType"] for i in nz for ln in i["LineItems"]} == {"OUTPUT2"}
    assert {ln["TaxType"] for i in au for ln in i["LineItems"] if ln["AccountCode"] != "860"} == {"OUTPUT"}

    # the same calls for 5 invoices as for 20: per organisation, its reference data once
    audit_xero = _calls(audit_calls, "xero")
    assert [audit_xero[("GET", p)] for p in (*XERO_REFERENCE, "/api.xro/2.0/Organisation")] == [2, 2, 2, 2]
    assert audit_xero[("GET", "/api.xro/2.0/Invoices")] == 2
    assert sum(audit_xero.values()) == 11  # and GET /connections once
    at = _calls(audit_calls, "autotask")
    assert [at[("POST", f"/ATServicesRest/V1.0/{e}/query")] for e in ("BillingCodes", "Taxes", "Currencies")] == [1, 1, 1]
    sync_xero = _calls(sync_calls, "xero")
    assert [sync_xero[("GET", p)] for p in XERO_REFERENCE] == [2, 2, 2]
    assert (sync_xero[("PUT", "/api.xro/2.0/Invoices")], sync_xero[("PUT", "/api.xro/2.0/Contacts")]) == (2, 2)
    assert sum(sync_xero.values()) == 15
    at = _calls(sync_calls, "autotask")
    assert [at[("POST", f"/ATServicesRest/V1.0/{e}/query")] for e in ("BillingCodes", "Taxes", "Currencies")] == [1, 1, 1]
