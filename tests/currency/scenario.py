"""A multi-currency tenant built on the demo: an NZD customer (NZD added in Xero) and a USD one (not added)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from ..conftest import DEMO_PATH

CURRENCIES = [
    {"id": 1, "name": "AUD", "description": "Australian Dollar", "displaySymbol": "$", "exchangeRate": 1,
     "isActive": True, "isInternalCurrency": True},
    {"id": 2, "name": "NZD", "description": "New Zealand Dollar", "displaySymbol": "$", "exchangeRate": 1.085,
     "isActive": True, "isInternalCurrency": False},
    {"id": 3, "name": "USD", "description": "US Dollar", "displaySymbol": "$", "exchangeRate": 0.6512,
     "isActive": True, "isInternalCurrency": False},
]


def _item(id_, invoice_id, company_id, name, quantity, rate):
    ext = Decimal(str(quantity)) * Decimal(str(rate))
    return {"id": id_, "invoiceID": invoice_id, "companyID": company_id, "itemName": name, "description": name,
            "quantity": quantity, "rate": rate, "extendedPrice": ext, "taxDollars": 0, "totalAmount": ext,
            "billingItemType": 7, "subType": 12, "billingCodeID": 1, "taxCategoryID": 1,
            "organizationalLevelAssociationID": 11, "itemDate": "2026-10-31T00:00:00",
            "postedDate": "2026-11-01T00:00:00", "nonBillable": 0, "lineItemID": id_,
            "contractServiceAdjustmentID": None, "webServiceDate": None}


def _invoice(id_, company_id, total):
    return {"id": id_, "invoiceNumber": f"INV-{id_}", "companyID": company_id, "invoiceDateTime": "2026-11-01T00:00:00",
            "createDateTime": "2026-11-01T02:10:00", "dueDate": "2026-11-15T00:00:00", "invoiceTotal": total,
            "totalTaxValue": 0, "isVoided": False, "paymentTerm": 1, "taxRegionName": "NSW", "webServiceDate": None}


def multi_currency(sc: dict | None = None) -> dict:
    """The demo plus INV-7001 (Kiwi Dental Ltd, NZD 455.95) and INV-7002 (Lone Star IT Inc, USD 450.00)."""
    sc = sc or json.loads(DEMO_PATH.read_text(), parse_float=Decimal)
    e = sc["autotask"]["entities"]
    e["Currencies"] = [dict(c) for c in CURRENCIES]
    e["Companies"] += [
        {"id": 701, "companyName": "Kiwi Dental Ltd", "companyNumber": "C701", "isActive": True, "taxRegionID": 1,
         "isTaxExempt": True, "currencyID": 2},
        {"id": 702, "companyName": "Lone Star IT Inc", "companyNumber": "C702", "isActive": True, "taxRegionID": 1,
         "isTaxExempt": True, "currencyID": 3},
    ]
    e["Invoices"] += [_invoice(7001, 701, Decimal("455.95")), _invoice(7002, 702, Decimal("450.00"))]
    e["BillingItems"] += [
        _item(97001, 7001, 701, "Managed Workstations x 9", 9, 45),
        _item(97002, 7001, 701, "Backup storage 1 TB", 1, Decimal("50.95")),
        _item(97003, 7002, 702, "Remote support (hours)", 3, 150),
    ]
    sc["xero"]["Currencies"] = [{"Code": "NZD", "Description": "New Zealand Dollar"}]
    return sc


def write(sc: dict, path: Path) -> Path:
    path.write_text(json.dumps(sc, default=lambda d: float(d) if d != d.to_integral() else int(d)))
    return path
