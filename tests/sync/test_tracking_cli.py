"""`depot-sync tracking`: the wizard's revenue-by-line-of-business mapping, set headless, stored where
the wizard stores it, read by the engine's loader, and sent on the lines of a sandbox sync."""

from __future__ import annotations

import json

import pytest

from depot_gui.cli.commands import main
from depot_gui.core.mapping import MappingOverrides
from depot_gui.sandbox import Sandbox
from depot_gui.store.opening import open_store
from depot_gui.store.paths import paths_for
from depot_gui.sync.setup import K_MAPPING_TRACKING, load_mapping_overrides, save_mapping

from ..tracking_scenario import tracking_scenario


@pytest.fixture
def cli(tmp_path, capsys):
    scenario = tracking_scenario(tmp_path)
    base = ["--data-dir", str(tmp_path / "d"), "--sandbox", str(scenario)]

    def run(*args, sandbox=True):
        capsys.readouterr()
        code = main((base if sandbox else base[:2]) + list(args))
        got = capsys.readouterr()
        return code, got.out, got.err

    run.data_dir = tmp_path / "d"
    run.scenario = scenario
    return run


def stored(data_dir):
    store = open_store(paths_for(data_dir))
    try:
        return store.raw_settings().get(K_MAPPING_TRACKING), load_mapping_overrides(store)
    finally:
        store.close()


def test_show_lists_both_sides_and_says_tracking_is_off(cli):
    code, out, err = cli("tracking")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "Tracking: off (choose a Xero tracking category with `depot-sync tracking set CATEGORY`)",
        "",
        "Line of business",
        "13  Sydney / Hardware",
        "11  Sydney / Managed Services",
        "12  Sydney / Projects",
        "",
        "Xero tracking categories (active options):",
        "  Business Unit: Managed Services, Projects",
        "  Region: Sydney, Melbourne",
    ]


def test_show_reads_xero_once_and_autotask_three_times(cli):
    cli("tracking", "show")
    state = Sandbox.open(cli.scenario, state_dir=cli.data_dir / "sandbox").state()
    data_calls = [(r["method"], r["path"]) for r in state["requests"]
                  if "/api.xro/" in r["path"] or "/ATServicesRest/V1.0/" in r["path"]]  # not the sign-in's
    assert data_calls == [
        ("GET", "/api.xro/2.0/TrackingCategories"),
        ("POST", "/ATServicesRest/V1.0/OrganizationalLevelAssociations/query"),
        ("POST", "/ATServicesRest/V1.0/OrganizationalLevel1s/query"),
        ("POST", "/ATServicesRest/V1.0/OrganizationalLevel2s/query"),
    ]


def test_set_map_unmap_store_what_the_wizard_stores_and_a_sync_sends_it(cli):
    code, out, _ = cli("tracking", "set", "business unit")  # any case; options proposed by name
    assert code == 0
    assert out.splitlines()[:6] == [
        "Saved.",
        "Tracking: Xero tracking category 'Business Unit'",
        "",
        "Line of business               Business Unit option",
        "13  Sydney / Hardware          - (sent without tracking)",
        "11  Sydney / Managed Services  Managed Services",
    ]
    assert out.splitlines()[-1] == ("Warning: Line of business 'Sydney / Hardware' has no 'Business Unit' option: "
                                    "its lines are sent without tracking.")
    assert cli("tracking", "unmap", "sydney / projects")[0] == 0
    assert cli("tracking", "map", "13", "projects")[0] == 0
    assert cli("tracking", "map", "PROJECTS", "Projects")[0] == 0  # the last part of the name, when unique
    raw, overrides = stored(cli.data_dir)
    assert raw == '{"category": "Business Unit", "options": {"11": "Managed Services", "12": "Projects", "13": "Projects"}}'
    assert (overrides.tracking_category, overrides.tracking_option_by_lob) == (
        "Business Unit", {11: "Managed Services", 12: "Projects", 13: "Projects"})

    code, _, err = cli("sync", "INV-5003")
    assert (code, err) == (0, "")
    code, out, _ = cli("sandbox", "state")
    [inv] = [i for i in json.loads(out)["xero"]["Invoices"] if i["InvoiceNumber"] == "INV-5003"]
    assert [(ln["Description"], [(t["Name"], t["Option"]) for t in ln.get("Tracking") or []])
            for ln in inv["LineItems"]] == [
        ("Managed Workstations x 40", [("Business Unit", "Managed Services")]),
        ("Backup storage 2 TB", [("Business Unit", "Managed Services")]),
        ("After-hours call-out", [("Business Unit", "Projects")]),
    ]


def test_off_forgets_the_choice_without_a_connection(cli):
    assert cli("tracking", "set", "Region")[0] == 0
    code, out, err = cli("tracking", "off", sandbox=False)  # no sandbox, no saved connection: no network needed
    assert (code, out, err) == (0, "Tracking is off: invoice lines are sent to Xero without a tracking category.\n", "")
    raw, overrides = stored(cli.data_dir)
    assert raw == '{"category": "", "options": {}}'
    assert overrides == MappingOverrides()


@pytest.mark.parametrize("args, message", [
    (("set", "Divisions"),
     "depot-sync tracking set: Xero has no active tracking category 'Divisions'; the active ones are: "
     "Business Unit, Region"),
    (("set", "Old Divisions"),  # archived in Xero
     "depot-sync tracking set: Xero has no active tracking category 'Old Divisions'; the active ones are: "
     "Business Unit, Region"),
    (("map", "Consulting", "Projects"),
     "depot-sync tracking map: no Autotask line of business 'Consulting'; the lines of business are: "
     "13 (Sydney / Hardware), 11 (Sydney / Managed Services), 12 (Sydney / Projects)"),
    (("map", "Hardware", "Hardware"),  # archived option
     "depot-sync tracking map: 'Hardware' is not an active option of the Xero tracking category 'Business Unit'; "
     "its active options are: Managed Services, Projects"),
    (("unmap", "14"),
     "depot-sync tracking unmap: no Autotask line of business '14'; the lines of business are: "
     "13 (Sydney / Hardware), 11 (Sydney / Managed Services), 12 (Sydney / Projects)"),
])
def test_an_unknown_name_is_one_line_listing_the_valid_ones_and_changes_nothing(cli, args, message):
    assert cli("tracking", "set", "Business Unit")[0] == 0
    before = stored(cli.data_dir)[0]
    code, out, err = cli("tracking", *args)
    assert (code, out, err) == (2, "", message + "\n")
    assert stored(cli.data_dir)[0] == before


def test_map_before_a_category_is_chosen_says_what_to_do_first(cli):
    code, _, err = cli("tracking", "map", "11", "Projects")
    assert (code, err) == (2, "depot-sync tracking map: no active Xero tracking category is chosen; choose one "
                              "first with `depot-sync tracking set CATEGORY`\n")


def test_show_json_warns_about_an_option_archived_since_it_was_chosen(cli):
    cli("tracking", "off")
    store = open_store(paths_for(cli.data_dir))
    save_mapping(store, MappingOverrides(tracking_category="Business Unit",
                                         tracking_option_by_lob={11: "Managed Services", 13: "Hardware", 19: "Projects"}),
                 "name_or_account_number")  # as the wizard saves it; Hardware archived since, 19 gone
    store.close()
    code, out, _ = cli("tracking", "show", "--json")
    assert code == 0
    shown = json.loads(out)
    assert shown["category"] == "Business Unit"
    assert shown["lines_of_business"] == [
        {"id": 13, "name": "Sydney / Hardware", "option": "Hardware"},
        {"id": 11, "name": "Sydney / Managed Services", "option": "Managed Services"},
        {"id": 12, "name": "Sydney / Projects", "option": None},
    ]
    assert shown["warnings"] == [
        "Line of business 'Sydney / Hardware': the 'Business Unit' option 'Hardware' is archived or deleted in Xero, "
        "so its lines are sent without tracking.",
        "Line of business 'Sydney / Projects' has no 'Business Unit' option: its lines are sent without tracking.",
        "Line of business 19 (mapped to 'Projects') is not an active Autotask line of business; nothing uses this choice.",
    ]
    assert cli("tracking", "unmap", "19")[0] == 0  # a choice for a line of business gone from Autotask can go
    assert stored(cli.data_dir)[0] == '{"category": "Business Unit", "options": {"11": "Managed Services", "13": "Hardware"}}'


def test_show_without_a_connection_is_one_line_exit_2(cli):
    code, out, err = cli("tracking", sandbox=False)
    assert (code, out, err) == (2, "", "depot-sync: Autotask is not connected yet: run the setup wizard in "
                                       "Depot GUI, or `depot-sync connect autotask`.\n")


def test_a_category_archived_since_it_was_chosen_is_one_warning(cli):
    cli("tracking", "off")
    store = open_store(paths_for(cli.data_dir))
    save_mapping(store, MappingOverrides(tracking_category="Old Divisions", tracking_option_by_lob={11: "North"}),
                 "name_or_account_number")
    store.close()
    code, out, _ = cli("tracking", "show", "--json")
    assert code == 0
    assert json.loads(out)["warnings"] == [
        "The Xero tracking category 'Old Divisions' is not active in Xero, so no line carries tracking; choose "
        "another or turn tracking off."]
    code, out, _ = cli("tracking")
    assert out.splitlines()[:4] == [
        "Tracking: Xero tracking category 'Old Divisions'", "", "Line of business               Option",
        "13  Sydney / Hardware          - (sent without tracking)"]


def test_a_last_part_shared_by_two_lines_of_business_must_be_named_whole(tmp_path, capsys):
    sc = json.loads(tracking_scenario(tmp_path).read_text())
    ents = sc["autotask"]["entities"]
    ents["OrganizationalLevel1s"].append({"id": 2, "name": "Melbourne", "isActive": True})
    ents["OrganizationalLevelAssociations"].append(
        {"id": 14, "organizationalLevel1ID": 2, "organizationalLevel2ID": 2, "isActive": True})
    path = tmp_path / "two-cities.json"
    path.write_text(json.dumps(sc))
    base = ["--data-dir", str(tmp_path / "d2"), "--sandbox", str(path), "tracking"]
    assert main(base + ["set", "Business Unit"]) == 0
    capsys.readouterr()
    assert main(base + ["map", "projects", "Projects"]) == 2
    assert capsys.readouterr().err == (
        "depot-sync tracking map: 'projects' names more than one Autotask line of business; give its id or whole "
        "name: 14 (Melbourne / Projects), 13 (Sydney / Hardware), 11 (Sydney / Managed Services), 12 (Sydney / Projects)\n")
    assert main(base + ["map", "Melbourne / Projects", "Projects"]) == 0
