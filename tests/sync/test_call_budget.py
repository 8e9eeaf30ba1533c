"""Many invoices and items cost few Autotask calls: the sandbox's request log shows it."""

import math
from decimal import Decimal as D

from depot_gui.sandbox import load_scenario
from depot_gui.sandbox.http import dumps
from depot_gui.sync.session import Session


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
        results = s.engine().audit()
        calls = [r for r in s.sandbox.state()["requests"][before:] if r["api"] == "autotask"]
    assert [r.status for r in results] == ["ready"] * 3
    lower = 1 + math.ceil(n_items / 500)  # one invoice page + the item pages
    assert lower <= len(calls) <= lower + 4, calls
    assert sum("/BillingItems/query" in r["path"] for r in calls) == math.ceil(n_items / 500)
