"""Contacts and contact choices per organisation: a choice made for one organisation never applies in
another, and each company's contacts are its own organisation's."""

import json

from depot_gui.sync.session.session import Session

from .books import AU, AU_NAME, NZ, NZ_NAME, run, two_orgs

NZ_DENTAL = "7c1d2e3f-0000-4000-8000-000000000100"
AU_DENTAL = "9a0b1c2d-0000-4000-8000-000000000100"  # the demo's (first) organisation's contact


def scenario(tmp_path):
    return two_orgs(tmp_path, Contacts=[{"ContactID": NZ_DENTAL, "Name": "Acme Dental Group Limited",
                                         "ContactStatus": "ACTIVE", "IsCustomer": True}])


def test_a_choice_is_kept_for_the_company_s_organisation_only(tmp_path, capsys):
    sc, d = scenario(tmp_path), tmp_path / "d"
    run(capsys, d, sc, "orgs", "route", "Acme Dental Group", NZ_NAME)
    code, out, _ = run(capsys, d, sc, "audit", "INV-5001", "INV-5003", "--json")
    assert [(o["invoice_number"], o["status"]) for o in json.loads(out)] == [("INV-5001", "error"),
                                                                           ("INV-5003", "ready")]
    code, out, _ = run(capsys, d, sc, "contacts", "--json")
    assert [(r["company"], r["state"], r["xero_organisation"], [c["name"] for c in r["candidates"]])
            for r in json.loads(out)] == [("Acme Dental Group", "choose", NZ_NAME, ["Acme Dental Group Limited"]),
                                   ("Harbour Logistics Pty Ltd", "new", AU_NAME, [])]
    # the first organisation's contact of the same name is not one of the NZ books' contacts
    code, out, err = run(capsys, d, sc, "contacts", "link", "Acme Dental Group", AU_DENTAL)
    assert (code, out) == (2, "")
    assert err.startswith(f"depot-sync contacts link: Xero has no contact called \u201c{AU_DENTAL}\u201d in {NZ_NAME}")
    code, out, _ = run(capsys, d, sc, "contacts", "link", "Acme Dental Group", "Acme Dental Group Limited")
    assert code == 0 and out.startswith("Linked \u201cAcme Dental Group Limited\u201d for Acme Dental Group")
    with Session.open(d, sc) as s:
        assert list(s.store.contact_links.of(NZ)) == [100]
        assert s.store.contact_links.of(AU) == {}
    code, out, _ = run(capsys, d, sc, "sync", "INV-5001", "--json")
    assert [(o["status"], o["xero_organisation"]) for o in json.loads(out)] == [("synced", NZ_NAME)]
    code, out, _ = run(capsys, d, sc, "sandbox", "state")
    nz = next(t for t in json.loads(out)["xero"]["tenants"] if t["tenantId"] == NZ)
    assert [(i["InvoiceNumber"], i["Contact"]["ContactID"]) for i in nz["Invoices"]] == [("INV-5001", NZ_DENTAL)]
    # back to the first organisation: the NZ choice does not follow; its own exact contact is used
    run(capsys, d, sc, "orgs", "unroute", "Acme Dental Group")
    code, out, _ = run(capsys, d, sc, "contacts", "--all", "--json")
    assert [(r["state"], r["contact_id"], r["xero_organisation"]) for r in json.loads(out)
            if r["company_id"] == 100] == [("match", AU_DENTAL, AU_NAME)]


def test_unlink_forgets_the_choice_in_the_company_s_organisation(tmp_path, capsys):
    sc, d = scenario(tmp_path), tmp_path / "d"
    run(capsys, d, sc, "orgs", "route", "Acme Dental Group", NZ_NAME)
    run(capsys, d, sc, "audit", "INV-5001")
    run(capsys, d, sc, "contacts", "link", "100", NZ_DENTAL)
    code, out, _ = run(capsys, d, sc, "contacts", "unlink", "100")
    assert (code, out) == (0, "Forgot the Xero contact chosen for Acme Dental Group; its next audit decides afresh.\n")
    with Session.open(d, sc) as s:
        assert (s.store.contact_links.of(NZ), s.store.contact_links.of(AU)) == ({}, {})


def test_create_makes_the_contact_in_the_company_s_organisation(tmp_path, capsys):
    sc, d = scenario(tmp_path), tmp_path / "d"
    run(capsys, d, sc, "orgs", "route", "Acme Dental Group", NZ_NAME)
    run(capsys, d, sc, "audit", "INV-5001")
    # "Acme Dental Group" exists in the first organisation only: the NZ books take a new one of that name
    code, out, _ = run(capsys, d, sc, "contacts", "create", "Acme Dental Group")
    assert code == 0 and out.startswith("Created the Xero contact \u201cAcme Dental Group\u201d for Acme Dental Group")
    code, out, _ = run(capsys, d, sc, "sandbox", "state")
    tenants = {t["tenantId"]: t for t in json.loads(out)["xero"]["tenants"]}
    assert sorted(c["Name"] for c in tenants[NZ]["Contacts"]) == ["Acme Dental Group", "Acme Dental Group Limited"]
    assert [c["Name"] for c in tenants[AU]["Contacts"]] == ["Acme Dental Group"]
