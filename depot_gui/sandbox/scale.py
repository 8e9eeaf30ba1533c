"""A month-end tenant at scale: N invoices over M companies, built from a base scenario.

Used by ``bench/bench_scale.py`` and by the call-budget tests. Every invoice balances (its
Autotask total is what Xero will compute), so it audits ``ready``; about half the companies
already have a Xero contact (by name and account number), the rest need one created; every
``credit_every``-th invoice is a credit (negative total), which Xero takes as a credit note.
"""

from __future__ import annotations

import copy
from decimal import Decimal
from pathlib import Path

from depot_gui.sandbox.http.messages import dumps
from depot_gui.sandbox.scenario import load_scenario

_RATES = (Decimal("45"), Decimal("12.3456"), Decimal("120"))


def scale_scenario(base: dict, n_invoices: int, n_companies: int, *, contacts_every: int = 2,
                   credit_every: int = 25, items_per_invoice: int = 3, directory: int = 0) -> dict:
    """A copy of ``base`` whose Autotask invoices, items and companies are replaced.

    ``directory``: the Xero contact directory's size; other businesses' contacts are added to
    the companies' own until it has that many (a real organisation's customers and suppliers).
    """
    sc = copy.deepcopy(base)
    ents = sc["autotask"]["entities"]
    ents["OrganizationalResources"], sc["autotask"]["pending"] = [], []
    company_tpl, item_tpl, inv_tpl = ents["Companies"][0], ents["BillingItems"][0], ents["Invoices"][0]
    companies, contacts = [], []
    for k in range(n_companies):
        cid = 20000 + k
        name, number = f"Scale Client {k + 1:03d} Pty Ltd", f"SC{k + 1:03d}"
        companies.append({**company_tpl, "id": cid, "companyName": name, "companyNumber": number})
        if k % contacts_every == 0:
            contacts.append({"ContactID": f"5ca1e000-0000-4000-8000-{cid:012d}", "Name": name,
                             "AccountNumber": number, "ContactStatus": "ACTIVE", "IsCustomer": True})
    invoices, items = [], []
    next_item = 300000
    for k in range(n_invoices):
        inv_id, company = 400000 + k, companies[k % n_companies]
        sign = Decimal(-1) if credit_every and k % credit_every == credit_every - 1 else Decimal(1)
        total = tax_total = Decimal(0)
        for j in range(items_per_invoice):
            rate = _RATES[(k + j) % len(_RATES)] * sign
            qty = Decimal(1 + (k + j) % 4)
            ext = (rate * qty).quantize(Decimal("0.01"))
            tax = (ext / 10).quantize(Decimal("0.01"))
            items.append({**item_tpl, "id": next_item, "invoiceID": inv_id, "companyID": company["id"],
                          "quantity": qty, "rate": rate, "extendedPrice": ext, "taxDollars": tax,
                          "totalAmount": ext + tax, "lineItemID": next_item,
                          "itemName": f"Service {j + 1}", "description": f"Service {j + 1} for invoice {k + 1}"})
            next_item += 1
            total += ext + tax
            tax_total += tax
        invoices.append({**inv_tpl, "id": inv_id, "invoiceNumber": f"ME-{k + 1:05d}", "companyID": company["id"],
                         "invoiceTotal": total, "totalTaxValue": tax_total, "webServiceDate": None})
    ents["Companies"], ents["Invoices"], ents["BillingItems"] = companies, invoices, items
    sc["xero"]["Contacts"] = contacts + other_contacts(directory - len(contacts))
    sc["xero"]["Invoices"] = []
    sc["xero"].pop("CreditNotes", None)
    return sc


_FIRST = ("Acacia", "Banksia", "Coastal", "Summit", "Harbour", "Redgum", "Granite", "Silver", "Northern",
          "Western", "Eastside", "Riverside", "Ironbark", "Wattle", "Kestrel", "Lakeside", "Meridian", "Pinnacle",
          "Saltbush", "Tasman", "Urban", "Valley", "Willow", "Yarra", "Zenith")
_SECOND = ("Legal", "Dental", "Plumbing", "Logistics", "Accounting", "Builders", "Cafe", "Motors", "Medical",
           "Electrical", "Design", "Freight", "Veterinary", "Pharmacy", "Printing", "Roofing", "Security",
           "Travel", "Catering", "Engineering")
_THIRD = ("Pty Ltd", "Group", "Partners", "Holdings", "Services", "& Co", "Studio", "Supplies")


def other_contacts(n: int) -> list[dict]:
    """``n`` Xero contacts of other businesses (names without numbers, no account number)."""
    out = []
    for k in range(max(0, n)):
        a, b, c = _FIRST[k % 25], _SECOND[(k // 25) % 20], _THIRD[(k // 500) % 8]
        name = f"{a} {b} {c}" + ("" if k < 4000 else f" {_FIRST[(k // 4000) % 25]}")
        out.append({"ContactID": f"0c0e0000-0000-4000-8000-{k:012d}", "Name": name, "ContactStatus": "ACTIVE",
                    "IsCustomer": k % 3 == 0, "IsSupplier": k % 3 != 0})
    return out


def write_scale_scenario(base_path: str | Path, path: str | Path, n_invoices: int, n_companies: int,
                         **kwargs) -> Path:
    """``scale_scenario`` of the scenario file at ``base_path``, written to ``path``."""
    sc = scale_scenario(load_scenario(base_path), n_invoices, n_companies, **kwargs)
    out = Path(path)
    out.write_text(dumps(sc))
    return out
