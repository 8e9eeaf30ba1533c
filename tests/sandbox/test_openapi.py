"""Sandbox responses validate against Xero's official OpenAPI spec (components.schemas)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from .helpers import REPO

yaml = pytest.importorskip("yaml")
validator_mod = pytest.importorskip("openapi_schema_validator")
SPEC_PATH = REPO.parent / "shared" / "specs" / "xero" / "xero_accounting.yaml"


@pytest.fixture(scope="session")
def spec():
    """The spec, parsed once per session."""
    if not SPEC_PATH.exists():
        pytest.skip("official Xero spec not available")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with open(SPEC_PATH, encoding="utf-8") as fh:
        return yaml.load(fh, Loader=loader)


def validate(spec, schema_name, body):
    """Validate ``body`` against ``#/components/schemas/<schema_name>`` resolving $ref in the document."""
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT4

    resource = Resource.from_contents(spec, default_specification=DRAFT4)
    registry = Registry().with_resource("urn:xero", resource)
    schema = {"$ref": f"urn:xero#/components/schemas/{schema_name}"}
    v = validator_mod.OAS30Validator(schema, registry=registry)
    errors = sorted(v.iter_errors(body), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:5])


def plain(r):
    """JSON with numbers as floats/ints (what a schema validator expects)."""
    return json.loads(r.text, parse_float=float)


INVOICE = {"Type": "ACCREC", "Contact": {"Name": "Bluegum Legal"}, "InvoiceNumber": "INV-OA", "Date": "2026-11-01",
           "DueDate": "2026-11-15", "Status": "AUTHORISED", "Reference": "AT-5005",
           "LineItems": [{"Description": "Seat", "Quantity": 3, "UnitAmount": "33.3333", "AccountCode": "200",
                          "TaxType": "OUTPUT"}]}


def test_invoices_put_and_get(spec, xero):
    _, c = xero
    r = c.put("/api.xro/2.0/Invoices?unitdp=4", json={"Invoices": [INVOICE]})
    assert r.status_code == 200
    validate(spec, "Invoices", plain(r))
    validate(spec, "Invoices", plain(c.get("/api.xro/2.0/Invoices", params={"page": 1})))
    inv_id = r.json()["Invoices"][0]["InvoiceID"]
    validate(spec, "Invoices", plain(c.get(f"/api.xro/2.0/Invoices/{inv_id}")))


def test_validation_error_body(spec, xero):
    _, c = xero
    c.put("/api.xro/2.0/Invoices", json={"Invoices": [INVOICE]})
    r = c.put("/api.xro/2.0/Invoices", json={"Invoices": [INVOICE]})
    assert r.status_code == 400
    validate(spec, "Error", plain(r))


def test_contacts_accounts_tax_rates(spec, xero):
    _, c = xero
    r = c.put("/api.xro/2.0/Contacts", json={"Contacts": [{"Name": "Harbour Logistics", "ContactNumber": "AT-1"}]})
    validate(spec, "Contacts", plain(r))
    validate(spec, "Contacts", plain(c.get("/api.xro/2.0/Contacts")))
    validate(spec, "Accounts", plain(c.get("/api.xro/2.0/Accounts")))
    validate(spec, "TaxRates", plain(c.get("/api.xro/2.0/TaxRates")))
    validate(spec, "Organisations", plain(c.get("/api.xro/2.0/Organisation")))


def test_credit_notes(spec, xero):
    _, c = xero
    note = dict(INVOICE, Type="ACCRECCREDIT", CreditNoteNumber="CN-1")
    note.pop("InvoiceNumber")
    note.pop("DueDate")
    r = c.put("/api.xro/2.0/CreditNotes", json={"CreditNotes": [note]})
    assert r.status_code == 200, r.text
    validate(spec, "CreditNotes", plain(r))


def test_numbers_not_strings(xero):
    _, c = xero
    r = c.put("/api.xro/2.0/Invoices?unitdp=4", json={"Invoices": [INVOICE]})
    inv = json.loads(r.text, parse_float=Decimal)["Invoices"][0]
    assert isinstance(inv["Total"], Decimal) and inv["LineItems"][0]["UnitAmount"] == Decimal("33.3333")


def test_validator_really_checks(spec):
    with pytest.raises(AssertionError):
        validate(spec, "Invoices", {"Invoices": [{"Status": "BOGUS"}]})
