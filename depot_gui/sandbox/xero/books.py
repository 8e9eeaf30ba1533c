"""Xero tenants' books: seeded from the scenario, and written back in scenario form."""

from __future__ import annotations

import uuid

from depot_gui.sandbox.clock import naive_iso
from depot_gui.sandbox.xero.contacts import ContactBook
from depot_gui.sandbox.xero.document_rules import CREDIT_NOTE, INVOICE, Org, build_document, storable
from depot_gui.sandbox.xero.numbers import parse_number
from depot_gui.sandbox.xero.payments import seed_payment
from depot_gui.sandbox.xero.tracking import seed_categories

ACCOUNT_CLASS = {"REVENUE": "REVENUE", "SALES": "REVENUE", "OTHERINCOME": "REVENUE", "EXPENSE": "EXPENSE",
          "DIRECTCOSTS": "EXPENSE", "OVERHEADS": "EXPENSE", "DEPRECIATN": "EXPENSE", "EQUITY": "EQUITY",
          "CURRLIAB": "LIABILITY", "LIABILITY": "LIABILITY", "TERMLIAB": "LIABILITY", "PAYG": "LIABILITY"}


# What a ``tenants`` entry may carry for itself (scenario.md, "Several organisations").
BOOK_KEYS = ("Organisation", "Currencies", "Accounts", "TaxRates", "TrackingCategories", "Contacts", "Items",
             "Invoices", "CreditNotes")
# Organisation fields that name the first tenant: another tenant inheriting the top-level Organisation keeps its own.
TENANT_OWN = ("OrganisationID", "Name", "LegalName", "ShortCode")
# A tenant's records in ``sandbox state``.
STATE_KEYS = ("Contacts", "Invoices", "CreditNotes")


class XeroBooks:
    """Initial state and state view (mixed into :class:`~.xero_api.XeroAPI`)."""

    def initial_state(self, now) -> dict:
        """Every tenant's books from the scenario: what a ``tenants`` entry carries, else the top-level keys."""
        x = self.scenario["xero"]
        tenants = {}
        for t in x["tenants"]:
            tid = t["tenantId"].lower()
            src = {k: t[k] if k in t else x.get(k) for k in BOOK_KEYS}
            org = {"OrganisationID": t["tenantId"], "Name": t["tenantName"], "LegalName": t["tenantName"],
                   "BaseCurrency": "AUD", "CountryCode": "AU", "Version": "AU", "OrganisationType": "COMPANY",
                   "OrganisationStatus": "ACTIVE", "IsDemoCompany": False, "PaysTax": True,
                   "Timezone": "AUSEASTERNSTANDARDTIME", "ShortCode": f"!{tid[:5]}"}
            own = t.get("Organisation")
            if own is None:  # the top-level Organisation, without what names the first tenant
                first = t is x["tenants"][0]
                own = {k: v for k, v in (x.get("Organisation") or {}).items() if first or k not in TENANT_OWN}
            org.update(own)
            books = {"Organisation": org, "Currencies": [dict(c) for c in src["Currencies"] or []],
                     "Accounts": [self._account(a, tid, now) for a in src["Accounts"] or []],
                     "TaxRates": [self._tax_rate(r) for r in src["TaxRates"] or []],
                     "TrackingCategories": seed_categories(src["TrackingCategories"] or [], tid),
                     "Contacts": [], "Items": [], "Invoices": [], "CreditNotes": [], "counters": {}}
            book = ContactBook(books, now)
            for c in src["Contacts"] or []:
                books["Contacts"].append(dict(book.new({}), **c))
            books["Items"] = [dict({"ItemID": str(uuid.uuid4()), "UpdatedDateUTC": naive_iso(now)}, **it)
                              for it in src["Items"] or []]
            for kind in (INVOICE, CREDIT_NOTE):
                for el in src[kind.plural] or []:
                    org_ctx = Org(books, now, unitdp=4, trusted=True, options=self.options)
                    doc, _, new_contact = build_document(kind, el, None, org_ctx, books[kind.plural], book)
                    if new_contact:
                        books["Contacts"].append(new_contact)
                    if el.get(kind.id_key):
                        doc[kind.id_key] = el[kind.id_key]
                    if kind is INVOICE:
                        seed_payment(doc, el, now)
                    books[kind.plural].append(doc)
            tenants[tid] = books
        return {"tenants": tenants, "idempotency": {}, "limits": {}}

    @staticmethod
    def _account(a: dict, tid: str, now) -> dict:
        """An account with Xero's defaults filled in."""
        acc = {"AccountID": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{tid}/account/{a.get('Code', a['Name'])}")),
               "Status": "ACTIVE", "BankAccountType": "", "EnablePaymentsToAccount": False,
               "ShowInExpenseClaims": False, "HasAttachments": False, "AddToWatchlist": False,
               "UpdatedDateUTC": naive_iso(now)}
        acc.update(a)
        if "Class" not in acc and acc.get("Type") in ACCOUNT_CLASS:
            acc["Class"] = ACCOUNT_CLASS[acc["Type"]]
        return acc

    @staticmethod
    def _tax_rate(r: dict) -> dict:
        """A tax rate with Xero's defaults filled in."""
        rate = parse_number(r.get("EffectiveRate", r.get("DisplayTaxRate", 0)))
        tr = {"Name": r.get("Name", r["TaxType"]), "TaxType": r["TaxType"], "Status": "ACTIVE",
              "CanApplyToAssets": True, "CanApplyToEquity": True, "CanApplyToExpenses": True,
              "CanApplyToLiabilities": True, "CanApplyToRevenue": True, "DisplayTaxRate": rate,
              "EffectiveRate": rate}
        tr.update(r)
        tr.setdefault("TaxComponents", [{"Name": tr["Name"], "Rate": rate, "IsCompound": False,
                                         "IsNonRecoverable": False}])
        return tr

    def state_view(self, xs: dict) -> dict:
        """Scenario-format ``xero`` section: the first tenant's books at top level, and every ``tenants[i]``
        with its own ``Contacts``, ``Invoices`` and ``CreditNotes`` (the first tenant's are the same lists)."""
        x = self.scenario["xero"]
        books = xs["tenants"]
        first = books[x["tenants"][0]["tenantId"].lower()]
        out = {"clientId": x["clientId"]}
        for key in ("Accounts", "TaxRates", "Contacts", "Items", "Invoices", "CreditNotes"):
            out[key] = [storable(r) for r in first[key]]
        if first.get("TrackingCategories"):
            out["TrackingCategories"] = first["TrackingCategories"]
        out["tenants"] = []
        for t in x["tenants"]:
            mine = books[t["tenantId"].lower()]
            entry = dict(t)
            for key in STATE_KEYS:
                entry[key] = out[key] if mine is first else [storable(r) for r in mine[key]]
            out["tenants"].append(entry)
        if first.get("SentEmails"):  # the first tenant's invoice emails sent (POST /Invoices/{id}/Email)
            out["SentEmails"] = first["SentEmails"]
        if any(first.get("Attachments", {}).values()):  # per InvoiceID, without the files' content
            out["Attachments"] = {inv: [{k: v for k, v in a.items() if k != "Data"} for a in atts]
                                  for inv, atts in first["Attachments"].items() if atts}
        return out
