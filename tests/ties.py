"""A tenant whose invoices land on half-cent ties, where half away from zero and half to even differ.

Built from tests/scenarios/clean.json (Xero has 15 % OUTPUT2; its 12.5 % TAX001 is made active) with two
Autotask tax categories at those rates and two invoices for Acme Dental Group:

- INV-7001: 3 x 19.995 at 15 % (line 59.985 -> 59.99, tax 8.9985 -> 9.00), 1 x 14.28 at 12.5 %
  (tax 1.785 -> 1.79; half to even gives 1.78), 1 x 14.36 at 12.5 % (tax 1.795 -> 1.80);
  Xero: SubTotal 88.63, TotalTax 12.59, Total 101.22 (half to even: 88.62 / 12.58 / 101.20).
- INV-7002, a credit: 3 x -19.995 at 15 % (line -59.985 -> -59.99, tax -9.00) and 1 x -14.28 at
  12.5 % (tax -1.785 -> -1.79); Xero: -74.27 / -10.79 / -85.06 (half to even: -74.26 / -10.78 / -85.04).

Autotask's own totals equal Xero's, so both invoices are ready with no difference.
"""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from pathlib import Path

from .conftest import SCENARIOS

D = Decimal
# (id, invoice, quantity, rate, tax category, Autotask's extended price and tax)
ITEMS = [
    (9701, 7001, "3", "19.995", 2, "59.99", "9.00"),
    (9702, 7001, "1", "14.28", 3, "14.28", "1.79"),
    (9703, 7001, "1", "14.36", 3, "14.36", "1.80"),
    (9711, 7002, "3", "-19.995", 2, "-59.99", "-9.00"),
    (9712, 7002, "1", "-14.28", 3, "-14.28", "-1.79"),
]
TOTALS = {7001: ("INV-7001", "101.22", "12.59"), 7002: ("INV-7002", "-85.06", "-10.79")}


def ties_scenario() -> dict:
    sc = json.loads((SCENARIOS / "clean.json").read_text(), parse_float=Decimal)
    e = sc["autotask"]["entities"]
    sc["name"] = "ties"
    e["TaxCategories"] += [{"id": 2, "name": "Fifteen", "isActive": True}, {"id": 3, "name": "Twelve and a half",
                                                                           "isActive": True}]
    e["Taxes"] += [{"id": 2, "taxRegionID": 1, "taxCategoryID": 2, "taxName": "GST 15", "taxRate": D(15),
                    "isCompounded": False},
                   {"id": 3, "taxRegionID": 1, "taxCategoryID": 3, "taxName": "GST 12.5", "taxRate": D("12.5"),
                    "isCompounded": False}]
    template_invoice = next(i for i in e["Invoices"] if i["id"] == 5001)
    template_item = next(b for b in e["BillingItems"] if b["invoiceID"] == 5001)
    e["Invoices"], e["BillingItems"] = [], []
    for inv_id, (number, total, tax) in TOTALS.items():
        e["Invoices"].append(dict(copy.deepcopy(template_invoice), id=inv_id, invoiceNumber=number,
                                  invoiceTotal=D(total), totalTaxValue=D(tax)))
    for item_id, inv_id, qty, rate, category, ext, tax in ITEMS:
        e["BillingItems"].append(dict(
            copy.deepcopy(template_item), id=item_id, invoiceID=inv_id, lineItemID=item_id,
            itemName=f"Tie {item_id}", description=f"Tie {item_id}", quantity=D(qty), rate=D(rate),
            extendedPrice=D(ext), taxDollars=D(tax), totalAmount=D(ext) + D(tax), taxCategoryID=category))
    sc["xero"]["Invoices"] = []
    old_rate = next(r for r in sc["xero"]["TaxRates"] if r["TaxType"] == "TAX001")  # 12.5 %, deleted in clean.json
    old_rate.update(Name="GST 12.5%", Status="ACTIVE", DisplayTaxRate=D("12.5"), CanApplyToRevenue=True)
    return sc


def write_ties(directory: Path) -> Path:
    """The scenario as a file (for the sandbox)."""
    path = directory / "ties.json"
    path.write_text(json.dumps(ties_scenario(), default=float))  # a float's repr: "19.995" stays 19.995
    return path
