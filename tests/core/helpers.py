"""Build core inputs straight from scenario dicts (pure tests, no HTTP)."""

import copy
import json
from datetime import datetime, timezone
from decimal import Decimal

from depot_gui.core.diagnosis import Evidence
from depot_gui.core.models import (
    AutotaskInvoice, AutotaskTax, BillingCode, BillingItem, Company, LobAccess, ReferenceData,
    XeroAccount, XeroContact, XeroTaxRate,
)

from ..conftest import DEMO_PATH


def demo() -> dict:
    return json.loads(DEMO_PATH.read_text(), parse_float=Decimal)


def reference(sc: dict, lob: LobAccess | None = None) -> ReferenceData:
    e = sc["autotask"]["entities"]
    x = sc["xero"]
    return ReferenceData(
        companies={c["id"]: Company.from_api(c) for c in e.get("Companies", [])},
        billing_codes={c["id"]: BillingCode.from_api(c) for c in e.get("BillingCodes", [])},
        taxes=[AutotaskTax.from_api(t) for t in e.get("Taxes", [])],
        tax_regions={t["id"]: t["name"] for t in e.get("TaxRegions", [])},
        accounts=[XeroAccount.from_api(a) for a in x.get("Accounts", [])],
        tax_rates=[XeroTaxRate.from_api(a) for a in x.get("TaxRates", [])],
        contacts=[XeroContact.from_api(a) for a in x.get("Contacts", [])],
        lob=lob or LobAccess(),
    )


def invoice(sc: dict, number: str) -> AutotaskInvoice:
    raw = next(i for i in sc["autotask"]["entities"]["Invoices"] if i["invoiceNumber"] == number)
    return AutotaskInvoice.from_api(raw)


def items(sc: dict, invoice_id: int, hidden_lobs=()) -> list[BillingItem]:
    return [
        BillingItem.from_api(b)
        for b in sc["autotask"]["entities"]["BillingItems"]
        if b["invoiceID"] == invoice_id and b.get("organizationalLevelAssociationID") not in hidden_lobs
    ]


RESTRICTED = LobAccess(
    in_use=True, restricted=True, user_lobs=("Sydney / Managed Services", "Sydney / Projects"),
    hidden=("Sydney / Hardware",), hidden_ids=(13,),
)
OPEN = LobAccess(in_use=True, restricted=False)
NOW = datetime(2026, 11, 20, 9, 0, tzinfo=timezone.utc)


def evidence(lob=OPEN, **kw) -> Evidence:
    return Evidence(lob=lob, server_now=kw.pop("server_now", NOW), **kw)


def item(id=1, invoice_id=1, quantity="1", rate="10", ext=None, tax=None, rate_pct="10", **kw) -> dict:
    q, r = Decimal(quantity), Decimal(rate)
    e = Decimal(ext) if ext is not None else (q * r).quantize(Decimal("0.01"))
    t = Decimal(tax) if tax is not None else (e * Decimal(rate_pct) / 100).quantize(Decimal("0.01"))
    d = {
        "id": id, "invoiceID": invoice_id, "itemName": f"Item {id}", "description": f"Item {id}",
        "quantity": q, "rate": r, "extendedPrice": e, "taxDollars": t, "totalAmount": e + t,
        "billingCodeID": 1, "taxCategoryID": 1, "organizationalLevelAssociationID": 11,
    }
    d.update(kw)
    return d


def one_invoice(sc: dict, raw_items: list[dict], total=None, tax=None, **kw) -> tuple[AutotaskInvoice, list[BillingItem]]:
    its = [BillingItem.from_api(i) for i in raw_items]
    t = Decimal(tax) if tax is not None else sum((i.tax_dollars for i in its), Decimal(0))
    tot = Decimal(total) if total is not None else sum((i.total_amount for i in its), Decimal(0))
    raw = {
        "id": 1, "invoiceNumber": "T-1", "companyID": 100, "invoiceDateTime": "2026-11-01T00:00:00",
        "createDateTime": "2026-11-01T02:00:00", "invoiceTotal": tot, "totalTaxValue": t, "isVoided": False,
    }
    raw.update(kw)
    return AutotaskInvoice.from_api(raw), its


def clone(sc):
    return copy.deepcopy(sc)
