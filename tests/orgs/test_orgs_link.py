"""Linking a hand-made document happens in the organisation the invoice goes to."""

import json

from .books import AU, NZ, NZ_NAME, run, tenant_docs, two_orgs

HAND_MADE = "5d4c3b2a-0000-4000-8000-000000005001"
WALK_IN = "5d4c3b2a-0000-4000-8000-0000000000aa"


def test_a_document_in_the_routed_organisation_is_linked_there(tmp_path, capsys):
    hand_made = {"InvoiceID": HAND_MADE, "Type": "ACCREC", "InvoiceNumber": "INV-5001",
                 "Contact": {"ContactID": WALK_IN}, "Date": "2026-11-02", "DueDate": "2026-11-16",
                 "Status": "DRAFT", "Reference": "typed by hand", "LineAmountTypes": "Exclusive",
                 "LineItems": [{"Description": "Call-out", "Quantity": 1.0, "UnitAmount": 50.0,
                                "AccountCode": "200", "TaxType": "OUTPUT2"}]}
    sc = two_orgs(tmp_path, Invoices=[hand_made],
                  Contacts=[{"ContactID": WALK_IN, "Name": "Walk-in Customer", "ContactStatus": "ACTIVE"}])
    d = tmp_path / "d"
    run(capsys, d, sc, "orgs", "route", "Acme Dental Group", NZ_NAME)
    code, out, _ = run(capsys, d, sc, "audit", "INV-5001", "--json")
    assert [(o["status"], o["xero_organisation"]) for o in json.loads(out)] == [("conflict", NZ_NAME)]
    code, out, err = run(capsys, d, sc, "link", "INV-5001", "--yes")
    assert (code, err) == (0, "")
    assert out.splitlines()[-1] == ("Linked to Xero draft invoice INV-5001 for Walk-in Customer, total AUD 55.00 after "
                                    "review; its Reference now starts with 'Autotask invoice 5001'.")
    assert [(i["InvoiceID"], i["Reference"]) for i in tenant_docs(capsys, d, sc, NZ)] == [
        (HAND_MADE, "Autotask invoice 5001 · typed by hand")]
    assert tenant_docs(capsys, d, sc, AU) == []
    code, out, _ = run(capsys, d, sc, "audit", "INV-5001", "--json")
    assert [(o["status"], o["xero_invoice_id"]) for o in json.loads(out)] == [("synced", HAND_MADE)]
