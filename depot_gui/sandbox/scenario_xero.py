"""The scenario's ``xero`` section (../shared/specs/scenario.md): tenants and each tenant's books."""

from __future__ import annotations

import re

from depot_gui.sandbox.scenario_types import show as _show

INVOICE_TYPES = ("ACCPAY", "ACCPAYCREDIT", "APOVERPAYMENT", "APPREPAYMENT", "ACCREC", "ACCRECCREDIT")
INVOICE_STATUSES = ("DRAFT", "SUBMITTED", "DELETED", "AUTHORISED", "PAID", "VOIDED")


class XeroSection:
    """Checks the ``xero`` section with the scenario validator's helpers (``fail``, ``obj``, ``string``...)."""

    def __init__(self, validator) -> None:
        self.v = validator

    def check(self, x: dict) -> None:
        """The ``xero`` section: the tenants, then the books (the top-level ones are the first tenant's)."""
        v = self.v
        v.string(x, "clientId", "$.xero")
        if "tenants" not in x:
            v.fail("$.xero", 'missing required key "tenants"')
        tenants = v.arr(x["tenants"], "$.xero.tenants")
        if not tenants:
            v.fail("$.xero.tenants", "must list at least one tenant")
        seen: set[str] = set()
        for i, t in enumerate(tenants):
            path = f"$.xero.tenants[{i}]"
            v.obj(t, path)
            v.uuid_str(t, "tenantId", path)
            v.string(t, "tenantName", path)
            v.string(t, "tenantType", path, required=False)
            if t["tenantId"].lower() in seen:
                v.fail(f"{path}.tenantId", f"duplicate tenant {t['tenantId']}")
            seen.add(t["tenantId"].lower())
            self.books(t, path)
        self.books(x, "$.xero")

    def books(self, x: dict, base: str) -> None:
        """One organisation's books: at ``$.xero`` (the first tenant's) or carried by a ``tenants`` entry."""
        v = self.v
        codes: set[str] = set()
        for i, acc in enumerate(v.arr(x.get("Accounts", []), f"{base}.Accounts")):
            path = f"{base}.Accounts[{i}]"
            v.obj(acc, path)
            v.string(acc, "Code", path, required=False)
            v.string(acc, "Name", path)
            v.uuid_str(acc, "AccountID", path, required=False)
            if acc.get("Status", "ACTIVE") not in ("ACTIVE", "ARCHIVED", "DELETED"):
                v.fail(f"{path}.Status", f"must be ACTIVE, ARCHIVED or DELETED, got {_show(acc['Status'])}")
            if "Code" in acc:
                if acc["Code"] in codes:
                    v.fail(f"{path}.Code", f"duplicate account code {acc['Code']!r}")
                codes.add(acc["Code"])
        for i, tr in enumerate(v.arr(x.get("TaxRates", []), f"{base}.TaxRates")):
            path = f"{base}.TaxRates[{i}]"
            v.obj(tr, path)
            v.string(tr, "TaxType", path)
            v.string(tr, "Name", path, required=False)
            v.number(tr, "EffectiveRate", path, required="DisplayTaxRate" not in tr)
            v.number(tr, "DisplayTaxRate", path, required=False)
        for i, c in enumerate(v.arr(x.get("Contacts", []), f"{base}.Contacts")):
            path = f"{base}.Contacts[{i}]"
            v.obj(c, path)
            v.string(c, "Name", path)
            v.uuid_str(c, "ContactID", path, required=False)
        for i, it in enumerate(v.arr(x.get("Items", []), f"{base}.Items")):
            path = f"{base}.Items[{i}]"
            v.obj(it, path)
            v.string(it, "Code", path)
        for i, cat in enumerate(v.arr(x.get("TrackingCategories", []), f"{base}.TrackingCategories")):
            path = f"{base}.TrackingCategories[{i}]"
            v.obj(cat, path)
            v.string(cat, "Name", path)
            v.uuid_str(cat, "TrackingCategoryID", path, required=False)
            for j, opt in enumerate(v.arr(cat.get("Options", []), f"{path}.Options")):
                v.obj(opt, f"{path}.Options[{j}]")
                v.string(opt, "Name", f"{path}.Options[{j}]")
                v.uuid_str(opt, "TrackingOptionID", f"{path}.Options[{j}]", required=False)
            for j, item in enumerate([cat] + list(cat.get("Options", []))):
                if item.get("Status", "ACTIVE") not in ("ACTIVE", "ARCHIVED", "DELETED"):
                    where = path if j == 0 else f"{path}.Options[{j - 1}]"
                    v.fail(f"{where}.Status", f"must be ACTIVE, ARCHIVED or DELETED, got {_show(item['Status'])}")
        for key in ("Invoices", "CreditNotes"):
            for i, inv in enumerate(v.arr(x.get(key, []), f"{base}.{key}")):
                self.document(inv, f"{base}.{key}[{i}]", key)
        if "Organisation" in x:
            org = v.obj(x["Organisation"], f"{base}.Organisation")
            if "BaseCurrency" in org:
                self.currency_code(org["BaseCurrency"], f"{base}.Organisation.BaseCurrency")
        codes = set()
        for i, cur in enumerate(v.arr(x.get("Currencies", []), f"{base}.Currencies")):
            path = f"{base}.Currencies[{i}]"
            v.obj(cur, path)
            if "Code" not in cur:
                v.fail(path, 'missing required key "Code"')
            self.currency_code(cur["Code"], f"{path}.Code")
            if cur["Code"] in codes:
                v.fail(f"{path}.Code", f"duplicate currency {cur['Code']}")
            codes.add(cur["Code"])
            v.string(cur, "Description", path, required=False, nonempty=False)
            v.number(cur, "Rate", path, required=False)

    def currency_code(self, code: object, path: str) -> None:
        """An ISO 4217 code as Xero spells it (three capital letters)."""
        if not isinstance(code, str) or not re.fullmatch(r"[A-Z]{3}", code):
            self.v.fail(path, f"must be an ISO 4217 currency code such as \"NZD\", got {_show(code)}")

    def document(self, doc: object, path: str, key: str) -> None:
        """An existing Xero invoice or credit note."""
        v = self.v
        d = v.obj(doc, path)
        v.uuid_str(d, "InvoiceID" if key == "Invoices" else "CreditNoteID", path, required=False)
        if "Type" in d and d["Type"] not in INVOICE_TYPES:
            v.fail(f"{path}.Type", f"must be one of {', '.join(INVOICE_TYPES)}, got {_show(d['Type'])}")
        if "Status" in d and d["Status"] not in INVOICE_STATUSES:
            v.fail(f"{path}.Status", f"must be one of {', '.join(INVOICE_STATUSES)}, got {_show(d['Status'])}")
        if "Contact" in d:
            v.obj(d["Contact"], f"{path}.Contact")
        if key == "Invoices":  # optional (ARCHITECTURE.md): an existing invoice paid in full or in part
            v.number(d, "AmountPaid", path, required=False, nullable=True)
        for j, line in enumerate(v.arr(d.get("LineItems", []), f"{path}.LineItems")):
            lp = f"{path}.LineItems[{j}]"
            v.obj(line, lp)
            for k in ("Quantity", "UnitAmount", "LineAmount", "TaxAmount"):
                v.number(line, k, lp, required=False, nullable=True)
