"""Two Xero organisations in one sandbox: the demo's (AU, GST OUTPUT 10%) and a second one, NZ, with its
own tax rates (OUTPUT2 at 10%) and chart of accounts; helpers to run the CLI and count calls."""

from __future__ import annotations

import json

from depot_gui.cli.commands import main as cli

from ..conftest import DEMO_PATH

AU, NZ = "3f1c2a7e-5b0d-4c39-9a43-2f1e8d6b7c10", "9b2e4c1d-7a3f-4e8b-b5d6-0c1f2e3a4b5c"
AU_NAME, NZ_NAME = "Acme MSP Pty Ltd", "Acme MSP NZ Ltd"
NZ_RATES = [
    {"Name": "GST on Income", "TaxType": "OUTPUT2", "EffectiveRate": 10.0, "DisplayTaxRate": 10.0,
     "Status": "ACTIVE", "CanApplyToRevenue": True},
    {"Name": "Zero Rated", "TaxType": "ZERORATEDOUTPUT", "EffectiveRate": 0.0, "DisplayTaxRate": 0.0,
     "Status": "ACTIVE", "CanApplyToRevenue": True},
]
NZ_ACCOUNTS = [
    {"AccountID": "6a0c1f7e-0000-4000-8000-000000000200", "Code": "200", "Name": "Sales", "Type": "REVENUE",
     "TaxType": "OUTPUT2", "Status": "ACTIVE"},
    {"AccountID": "6a0c1f7e-0000-4000-8000-000000000260", "Code": "260", "Name": "Other Revenue",
     "Type": "REVENUE", "TaxType": "OUTPUT2", "Status": "ACTIVE"},
    {"AccountID": "6a0c1f7e-0000-4000-8000-000000000860", "Code": "860", "Name": "Rounding", "Type": "EXPENSE",
     "TaxType": "ZERORATEDOUTPUT", "Status": "ACTIVE"},
]


def two_orgs(tmp_path, name: str = "two.json", **nz) -> str:
    """The demo scenario with a second organisation; ``nz`` replaces its books (TaxRates, Accounts, ...)."""
    sc = json.loads(DEMO_PATH.read_text())
    tenant = {"tenantId": NZ, "tenantName": NZ_NAME, "tenantType": "ORGANISATION", "TaxRates": NZ_RATES,
              "Accounts": NZ_ACCOUNTS, "Contacts": []}
    tenant.update(nz)
    sc["xero"]["tenants"].append(tenant)
    path = tmp_path / name
    path.write_text(json.dumps(sc))
    return str(path)


def run(capsys, data_dir, scenario, *args):
    code = cli(["--data-dir", str(data_dir), "--sandbox", str(scenario), *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def requests(capsys, data_dir, scenario) -> list[dict]:
    code, out, _ = run(capsys, data_dir, scenario, "sandbox", "state")
    assert code == 0
    return json.loads(out)["requests"]


def tenant_docs(capsys, data_dir, scenario, tenant: str) -> list[dict]:
    """The Xero invoices one organisation holds, from ``sandbox state``."""
    code, out, _ = run(capsys, data_dir, scenario, "sandbox", "state")
    tenants = {t["tenantId"]: t for t in json.loads(out)["xero"]["tenants"]}
    return tenants[tenant]["Invoices"]


def with_copies(path, copies: int) -> str:
    """The scenario at ``path`` with ``copies`` more of each demo invoice (INV-5001 -> INV-6001, INV-7001, ...),
    each with copies of its billing items: as many more invoices per company."""
    sc = json.loads(open(path).read())
    e = sc["autotask"]["entities"]
    invoices, items = list(e["Invoices"]), list(e["BillingItems"])
    for k in range(1, copies + 1):
        for inv in invoices:
            new_id = inv["id"] + 1000 * k
            e["Invoices"].append(dict(inv, id=new_id, invoiceNumber=f"INV-{new_id}"))
            e["BillingItems"] += [dict(i, id=i["id"] + 10000 * k, invoiceID=new_id,
                                       lineItemID=(i.get("lineItemID") or i["id"]) + 10000 * k)
                                  for i in items if i["invoiceID"] == inv["id"]]
    out = f"{path[:-5]}-x{copies + 1}.json"
    open(out, "w").write(json.dumps(sc))
    return out
