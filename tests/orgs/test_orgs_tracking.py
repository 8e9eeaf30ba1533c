"""`depot-sync tracking --org`: each Xero organisation's own tracking (its categories are its own), saved as that
organisation's mapping (its accounts and tax rates as they were), and sent on its invoices' lines only."""

from __future__ import annotations

import json

from depot_gui.core.mapping import MappingOverrides
from depot_gui.sync.mapping.mapping_step import load_mapping_overrides, save_mapping
from depot_gui.sync.session.session import Session

from ..tracking_scenario import BUSINESS_UNIT
from .books import AU, NZ, NZ_NAME, run, tenant_docs, two_orgs

SERVICE_LINES = {"TrackingCategoryID": "5e2a1c3b-2222-4b7c-9d4e-0000000000c1", "Name": "Service Line",
                 "Status": "ACTIVE", "Options": [
                     {"TrackingOptionID": "5e2a1c3b-2222-4b7c-9d4e-0000000000d1", "Name": "Support", "Status": "ACTIVE"},
                     {"TrackingOptionID": "5e2a1c3b-2222-4b7c-9d4e-0000000000d2", "Name": "Projects", "Status": "ACTIVE"}]}


def _scenario(tmp_path) -> str:
    path = two_orgs(tmp_path, TrackingCategories=[SERVICE_LINES])
    sc = json.loads(open(path).read())
    sc["xero"]["TrackingCategories"] = [BUSINESS_UNIT]  # the first organisation's (the demo's tenant)
    open(path, "w").write(json.dumps(sc))
    return path


def _tracking(capsys, d, sc, tenant, number):
    doc = next(i for i in tenant_docs(capsys, d, sc, tenant) if i["InvoiceNumber"] == number)
    return sorted({(t["Name"], t["Option"]) for ln in doc["LineItems"] for t in ln.get("Tracking", [])})


def test_show_names_the_organisation_and_its_own_categories(tmp_path, capsys):
    sc, d = _scenario(tmp_path), tmp_path / "d"
    code, out, err = run(capsys, d, sc, "tracking", "show", "--org", NZ_NAME)
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == f"{NZ_NAME}:"
    assert "  Service Line: Support, Projects" in out.splitlines()
    assert "Business Unit" not in out


def test_set_and_map_in_the_second_organisation_keep_its_books_and_leave_the_first_alone(tmp_path, capsys):
    sc, d = _scenario(tmp_path), tmp_path / "d"
    with Session.open(d, sc) as s:  # the wizard's mapping, made for the first organisation
        save_mapping(s.store, MappingOverrides({}, {}, "Business Unit", {}), "name_or_account_number")
    code, out, err = run(capsys, d, sc, "tracking", "set", "Service Line", "--org", NZ_NAME)
    assert (code, out.splitlines()[0], err) == (0, f"Saved for {NZ_NAME}.", "")
    code, out, _ = run(capsys, d, sc, "tracking", "map", "Managed Services", "Support", "--org", NZ_NAME)
    assert code == 0
    with Session.open(d, sc) as s:
        nz = load_mapping_overrides(s.store, NZ)
        home = load_mapping_overrides(s.store)
    assert (nz.tracking_category, nz.tracking_option_by_lob) == ("Service Line", {11: "Support", 12: "Projects"})
    assert (nz.account_by_billing_code, nz.tax_type_by_rate) == ({}, {})
    assert home.tracking_category == "Business Unit"
    run(capsys, d, sc, "orgs", "route", "Acme Dental Group", NZ_NAME)
    code, out, _ = run(capsys, d, sc, "sync", "INV-5001", "--json")
    assert (code, json.loads(out)[0]["status"]) == (0, "synced")
    assert _tracking(capsys, d, sc, NZ, "INV-5001") == [("Service Line", "Support")]
    assert [i["InvoiceNumber"] for i in tenant_docs(capsys, d, sc, AU)] == []


def test_off_in_one_organisation_and_an_unknown_one(tmp_path, capsys):
    sc, d = _scenario(tmp_path), tmp_path / "d"
    run(capsys, d, sc, "tracking", "set", "Service Line", "--org", NZ_NAME)
    code, out, _ = run(capsys, d, sc, "tracking", "off", "--org", NZ_NAME)
    assert (code, out.strip()) == (0, f"Tracking is off in {NZ_NAME}: invoice lines are sent to it without a "
                                      "tracking category.")
    with Session.open(d, sc) as s:
        assert load_mapping_overrides(s.store, NZ).tracking_category == ""
    code, out, err = run(capsys, d, sc, "tracking", "show", "--org", "Nowhere Ltd")
    assert (code, out) == (2, "")
    assert err.startswith("depot-sync tracking show: ") and "Nowhere Ltd" in err and len(err.splitlines()) == 1
