"""pyxero, unmodified, against the sandbox served on loopback.

Only the host changes: ``credentials.base_url = BASE`` (clients.md); plain http needs
``OAUTHLIB_INSECURE_TRANSPORT=1``. The token comes from the sandbox's own Xero identity through the PKCE
authorization-code flow (as in the xero-python tests); pyxero's ``OAuth2PKCECredentials.logon`` would open
a browser and a callback server, so the token is handed to the credentials instead. pyxero sends
**XML** bodies (``Content-Type: application/xml``) and asks for JSON answers.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from xero import Xero
from xero.auth import OAuth2PKCECredentials
from xero.exceptions import XeroBadRequest

from .test_xero_python import ACME, CLIENT_ID, DEMO, SCOPE, TENANT, pkce_token

CONTACT_NAME = DEMO["xero"]["Contacts"][0]["Name"]


def money(x) -> Decimal:
    """pyxero parses JSON numbers as floats; read them back through their shortest repr."""
    return Decimal(str(x))


@pytest.fixture
def xero(serve, monkeypatch):
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")
    sandbox, base = serve()
    token = pkce_token(base)
    creds = OAuth2PKCECredentials(CLIENT_ID, None, scope=SCOPE.split(), token=token)
    creds.base_url = base
    creds.set_default_tenant()  # GET /connections (lower case), as pyxero spells it
    assert creds.tenant_id == TENANT
    api = Xero(creds)
    api.sandbox = sandbox
    return api


def sales_invoice(number: str, *lines: dict, status: str = "DRAFT") -> dict:
    return {"Type": "ACCREC", "Contact": {"ContactID": ACME}, "InvoiceNumber": number, "Status": status,
            "Date": date(2026, 11, 1), "DueDate": date(2026, 11, 15), "LineAmountTypes": "Exclusive",
            "LineItems": list(lines)}


def item(description: str, quantity, unit_amount, tax_type: str = "OUTPUT") -> dict:
    return {"Description": description, "Quantity": quantity, "UnitAmount": unit_amount,
            "AccountCode": "200", "TaxType": tax_type}


def test_reference_data_and_contact_filter(xero):
    contacts = xero.contacts.filter(Name=CONTACT_NAME)
    assert [c["ContactID"] for c in contacts] == [ACME]
    assert xero.contacts.filter(Name="Nobody Pty Ltd") == []
    assert {a["Code"] for a in xero.accounts.all()} == {"200", "260", "860"}
    rates = {t["TaxType"]: money(t["EffectiveRate"]) for t in xero.taxrates.all()}
    assert rates["OUTPUT"] == Decimal("10")


def test_put_filter_duplicate_and_save_draft(xero):
    # Two 45.45 lines at 10%: Xero rounds tax per line (4.545 → 4.55), so TotalTax is 9.10 and Total
    # 100.00, not 90.90 × 1.1 = 99.99 — the same maths as the JSON path.
    created = xero.invoices.put(sales_invoice("PYX-1001", item("Support", Decimal("1"), Decimal("45.45")),
                                              item("Backup", 1, "45.45")))
    [inv] = created
    assert inv["InvoiceNumber"] == "PYX-1001" and inv["Status"] == "DRAFT"
    assert isinstance(inv["Date"], datetime) and inv["Date"].date() == date(2026, 11, 1)
    assert [money(ln["TaxAmount"]) for ln in inv["LineItems"]] == [Decimal("4.55")] * 2
    assert (money(inv["SubTotal"]), money(inv["TotalTax"]), money(inv["Total"])) == (
        Decimal("90.90"), Decimal("9.10"), Decimal("100.00"))

    [found] = xero.invoices.filter(InvoiceNumber="PYX-1001")
    assert found["InvoiceID"] == inv["InvoiceID"]
    assert money(found["Total"]) == Decimal("100.00") and money(found["AmountDue"]) == Decimal("100.00")
    assert found["Contact"]["Name"] == CONTACT_NAME

    with pytest.raises(XeroBadRequest) as exc:
        xero.invoices.put(sales_invoice("PYX-1001", item("Again", 1, 10)))
    assert exc.value.response.status_code == 400
    assert any("must be unique" in e for e in exc.value.errors), exc.value.errors
    assert len(xero.invoices.filter(InvoiceNumber="PYX-1001")) == 1

    # save() is POST: update the DRAFT in place (new lines, then approve with the same number).
    update = {"InvoiceID": inv["InvoiceID"], "LineItems": [item("Support", Decimal("2.5"), Decimal("19.99")),
                                                          item("Exempt", 3, "1.25", tax_type="EXEMPTOUTPUT")]}
    [saved] = xero.invoices.save(update)
    assert saved["InvoiceID"] == inv["InvoiceID"] and saved["Status"] == "DRAFT"
    # 2.5 × 19.99 = 49.975 → 49.98 (tax 5.00); 3 × 1.25 = 3.75 (no tax).
    assert [money(ln["LineAmount"]) for ln in saved["LineItems"]] == [Decimal("49.98"), Decimal("3.75")]
    assert (money(saved["SubTotal"]), money(saved["TotalTax"]), money(saved["Total"])) == (
        Decimal("53.73"), Decimal("5.00"), Decimal("58.73"))
    [again] = xero.invoices.filter(InvoiceNumber="PYX-1001")
    assert money(again["Total"]) == Decimal("58.73")
