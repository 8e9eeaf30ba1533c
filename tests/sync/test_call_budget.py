"""Many invoices and items cost few Autotask calls: the sandbox's request log shows it."""

from decimal import Decimal as D

from depot_gui.sandbox import load_scenario
from depot_gui.sandbox.http.messages import dumps
from depot_gui.sync.session.session import Session


def big_tenant(demo, path, n_invoices=3, n_items=1203):
    sc = load_scenario(demo)
    ents = sc["autotask"]["entities"]
    ents["OrganizationalResources"], sc["autotask"]["pending"] = [], []
    base_item, base_inv = ents["BillingItems"][0], ents["Invoices"][0]
    items, invoices = [], []
    for k in range(n_invoices):
        total = D(0)
        for j in range(n_items // n_invoices):
            rate = D("12.3456") if j % 3 else D("45")
            ext = (rate * 2).quantize(D("0.01"))
            tax = (ext / 10).quantize(D("0.01"))
            items.append({**base_item, "id": 100000 + len(items), "invoiceID": 7000 + k, "quantity": D(2), "rate": rate,
                          "extendedPrice": ext, "taxDollars": tax, "totalAmount": ext + tax, "lineItemID": None})
            total += ext + tax
        invoices.append({**base_inv, "id": 7000 + k, "invoiceNumber": f"BIG-{k + 1}", "invoiceTotal": total,
                         "totalTaxValue": D(0)})
    ents["Invoices"], ents["BillingItems"] = invoices, items
    path.write_text(dumps(sc))
    return path, len(items)


def test_audit_of_1200_items_costs_a_handful_of_calls_beyond_the_lower_bound(tmp_path, demo_scenario):
    scenario, n_items = big_tenant(demo_scenario, tmp_path / "big.json")
    with Session.open(tmp_path / "d", scenario) as s:
        s.connections()
        before = len(s.sandbox.state()["requests"])
        results = s.auditor().audit()
        calls = [r for r in s.sandbox.state()["requests"][before:] if r["api"] == "autotask"]
    assert [r.status for r in results] == ["ready"] * 3
    assert n_items == 1203
    # one invoice page first; then, side by side, the items 500 a page (3), the companies, billing codes,
    # taxes and (the companies carry a currencyID) currencies once, and one more invoice query (does
    # another live invoice share one of these numbers?): 9 calls in all
    sent = [f"{r['method']} {r['path']}" for r in calls]
    assert sent[0] == "POST /ATServicesRest/V1.0/Invoices/query"
    assert sorted(sent[1:]) == [
        "POST /ATServicesRest/V1.0/BillingCodes/query",
        "POST /ATServicesRest/V1.0/BillingItems/query",
        "POST /ATServicesRest/V1.0/BillingItems/query/next",
        "POST /ATServicesRest/V1.0/BillingItems/query/next",
        "POST /ATServicesRest/V1.0/Companies/query",
        "POST /ATServicesRest/V1.0/Currencies/query",
        "POST /ATServicesRest/V1.0/Invoices/query",
        "POST /ATServicesRest/V1.0/Taxes/query",
    ]
