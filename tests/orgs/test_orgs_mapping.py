"""Account and tax mapping per organisation: the saved mapping is used in another organisation only as far
as its books have the same codes; an organisation may have a mapping of its own; an invoice whose lines
would go to an account the organisation does not have is an error saying what to map, and nothing is sent."""

import json

from depot_gui.core.mapping import MappingOverrides
from depot_gui.sync.mapping.mapping_step import save_mapping
from depot_gui.sync.session.session import Session

from .books import AU, NZ, NZ_ACCOUNTS, NZ_NAME, run, tenant_docs, two_orgs

NZ_4000 = [dict(a, Code="4000", AccountID="6a0c1f7e-0000-4000-8000-000000004000") if a["Code"] == "200" else a
           for a in NZ_ACCOUNTS if a["Code"] != "260"]  # NZ's sales account is 4000; it has no 200 or 260


def _mapping(d, sc, overrides, tenant=None):
    with Session.open(d, sc) as s:
        save_mapping(s.store, overrides, "name_or_account_number", tenant)


def _lines(capsys, d, sc, tenant, number):
    doc = next(i for i in tenant_docs(capsys, d, sc, tenant) if i["InvoiceNumber"] == number)
    return sorted({(ln["AccountCode"], ln["TaxType"]) for ln in doc["LineItems"]})


def test_the_saved_mapping_counts_in_another_organisation_only_where_its_books_agree(tmp_path, capsys):
    sc, d = two_orgs(tmp_path, Accounts=[a for a in NZ_ACCOUNTS if a["Code"] != "260"]), tmp_path / "d"
    # made for the first organisation: Managed Services on 260, 10% as OUTPUT; NZ has neither
    # (its external number, 200, is an NZ account: the line goes there)
    _mapping(d, sc, MappingOverrides({1: "260"}, {"10": "OUTPUT"}))
    run(capsys, d, sc, "orgs", "route", "Acme Dental Group", NZ_NAME)
    code, out, _ = run(capsys, d, sc, "sync", "INV-5001", "INV-5003", "--json")
    assert (code, [o["status"] for o in json.loads(out)]) == (0, ["synced", "synced"])
    assert _lines(capsys, d, sc, NZ, "INV-5001") == [("200", "OUTPUT2")]
    assert _lines(capsys, d, sc, AU, "INV-5003") == [("200", "OUTPUT"), ("260", "OUTPUT")]


def test_an_account_the_organisation_does_not_have_is_an_error_naming_what_to_map(tmp_path, capsys):
    sc, d = two_orgs(tmp_path, Accounts=NZ_4000), tmp_path / "d"
    run(capsys, d, sc, "orgs", "route", "Acme Dental Group", NZ_NAME)
    code, out, _ = run(capsys, d, sc, "sync", "INV-5001", "INV-5003", "--json")
    rows = {o["invoice_number"]: o for o in json.loads(out)}
    assert code == 1 and (rows["INV-5001"]["status"], rows["INV-5003"]["status"]) == ("error", "synced")
    assert rows["INV-5001"]["explanation"] == (
        "Not synced: Acme MSP NZ Ltd has no active account \u201c200\u201d, which the lines of billing code "
        "'Managed Services' would go to. Map it to accounts Acme MSP NZ Ltd has in File \u203a Account and tax "
        "mapping\u2026 (command line: depot-sync mapping "
        "account BILLING_CODE ACCOUNT --org \"Acme MSP NZ Ltd\"), then press Re-sync; an account code of another "
        "organisation is never sent.")
    assert tenant_docs(capsys, d, sc, NZ) == []


def test_an_organisation_s_own_mapping(tmp_path, capsys):
    sc, d = two_orgs(tmp_path, Accounts=NZ_4000), tmp_path / "d"
    _mapping(d, sc, MappingOverrides({1: "260"}, {}))
    _mapping(d, sc, MappingOverrides({1: "4000"}, {"10": "OUTPUT2"}), NZ)
    run(capsys, d, sc, "orgs", "route", "Acme Dental Group", NZ_NAME)
    code, out, _ = run(capsys, d, sc, "sync", "INV-5001", "INV-5003", "--json")
    assert (code, [o["status"] for o in json.loads(out)]) == (0, ["synced", "synced"])
    assert _lines(capsys, d, sc, NZ, "INV-5001") == [("4000", "OUTPUT2")]
    assert _lines(capsys, d, sc, AU, "INV-5003") == [("200", "OUTPUT"), ("260", "OUTPUT")]


def test_depot_sync_mapping_maps_a_billing_code_in_one_organisation(tmp_path, capsys):
    sc, d = two_orgs(tmp_path, Accounts=NZ_4000), tmp_path / "d"
    _mapping(d, sc, MappingOverrides({3: "260"}, {"10": "OUTPUT"}))  # the default organisation's, from setup
    run(capsys, d, sc, "orgs", "route", "Acme Dental Group", NZ_NAME)
    code, out, _ = run(capsys, d, sc, "mapping", "--org", NZ_NAME, "--json")
    assert (code, json.loads(out)) == (0, {"organisation": NZ_NAME, "tenant_id": NZ, "own": False, "accounts": [],
                                           "tax_types": []})  # neither 260 nor OUTPUT is in the NZ books
    code, out, err = run(capsys, d, sc, "mapping", "account", "Managed Services", "200", "--org", NZ_NAME)
    assert (code, out) == (2, "")
    assert err == ("depot-sync mapping account: '200' is not an active account of Acme MSP NZ Ltd; its sales "
                   "accounts: 4000 (Sales)\n")
    code, out, _ = run(capsys, d, sc, "mapping", "account", "managed services", "4000", "--org", NZ_NAME)
    assert (code, out) == (0, "Billing code 'Managed Services' now goes to account 4000 (Sales) in Acme MSP NZ Ltd.\n")
    code, out, _ = run(capsys, d, sc, "mapping", "tax", "10", "output2", "--org", NZ)
    assert (code, out) == (0, "Autotask tax of 10% now goes as OUTPUT2 (GST on Income) in Acme MSP NZ Ltd.\n")
    code, out, _ = run(capsys, d, sc, "mapping", "--org", NZ_NAME, "--json")
    assert json.loads(out) == {"organisation": NZ_NAME, "tenant_id": NZ, "own": True,
                               "accounts": [{"billing_code_id": 1, "billing_code": "Managed Services",
                                             "account": "4000"}],
                               "tax_types": [{"rate": "10", "tax_type": "OUTPUT2"}]}
    code, out, _ = run(capsys, d, sc, "sync", "INV-5001", "INV-5003", "--json")
    assert (code, [o["status"] for o in json.loads(out)]) == (0, ["synced", "synced"])
    assert _lines(capsys, d, sc, NZ, "INV-5001") == [("4000", "OUTPUT2")]
    # the default organisation's mapping is as setup saved it
    assert _lines(capsys, d, sc, AU, "INV-5003") == [("200", "OUTPUT")]
    code, out, _ = run(capsys, d, sc, "mapping", "--json")
    assert json.loads(out)["accounts"] == [{"billing_code_id": 3, "billing_code": "Hardware Sales", "account": "260"}]
