"""Revenue by line of business end to end: the mapping saved as the wizard saves it, a sync through
the sandbox, and the created Xero invoice's lines carrying the tracking (or a warning, never a failure)."""

from __future__ import annotations

import pytest

from depot_gui.core.mapping import MappingOverrides
from depot_gui.sync.session.session import Session
from depot_gui.sync.setup import K_MAPPING_TRACKING, load_mapping_overrides, save_mapping

from ..tracking_scenario import tracking_scenario


@pytest.fixture
def session(tmp_path):
    with Session.open(tmp_path / "data", tracking_scenario(tmp_path)) as s:
        yield s


def choose(session, options):
    save_mapping(session.store, MappingOverrides(tracking_category="Business Unit", tracking_option_by_lob=options),
                 "name_or_account_number")


def created_lines(session, number):
    [x] = [i for i in session.sandbox.state()["xero"]["Invoices"] if i["InvoiceNumber"] == number]
    return [(ln["Description"], [(t["Name"], t["Option"]) for t in ln.get("Tracking") or []]) for ln in x["LineItems"]]


def test_saved_choice_round_trips_through_the_settings(session):
    choose(session, {11: "Managed Services", 12: "Projects"})
    assert session.store.raw_settings()[K_MAPPING_TRACKING] == (
        '{"category": "Business Unit", "options": {"11": "Managed Services", "12": "Projects"}}')
    loaded = load_mapping_overrides(session.store)
    assert (loaded.tracking_category, loaded.tracking_option_by_lob) == (
        "Business Unit", {11: "Managed Services", 12: "Projects"})


def test_sync_sends_each_lines_tracking_and_xero_keeps_it(session):
    choose(session, {11: "Managed Services", 12: "Projects"})
    [o] = session.syncer().sync(["INV-5003"])
    assert o.ok and o.action == "created", o.message
    assert created_lines(session, "INV-5003") == [
        ("Managed Workstations x 40", [("Business Unit", "Managed Services")]),
        ("Backup storage 2 TB", [("Business Unit", "Managed Services")]),
        ("After-hours call-out", [("Business Unit", "Projects")]),
    ]
    assert o.result.warnings == ()


def test_an_archived_option_is_a_warning_and_the_sync_still_creates(session):
    choose(session, {11: "Managed Services", 12: "Hardware"})  # Hardware is archived in Xero
    [o] = session.syncer().sync(["INV-5003"])
    assert o.ok and o.action == "created", o.message
    assert created_lines(session, "INV-5003")[2] == ("After-hours call-out", [])
    assert o.result.warnings == (
        "The Xero 'Business Unit' option 'Hardware' is archived or deleted in Xero, so these lines are sent "
        "without tracking; choose another in the setup wizard's mapping step: 'After-hours call-out'.",
    )


def test_the_rounding_line_goes_without_tracking(session):
    choose(session, {11: "Managed Services"})
    [o] = session.syncer().sync(["INV-5005"])
    assert o.ok, o.message
    assert [t for _, t in created_lines(session, "INV-5005")] == [[("Business Unit", "Managed Services")]] * 3 + [[]]


def test_a_batched_sync_of_two_invoices_carries_the_tracking_too(session):
    choose(session, {11: "Managed Services", 12: "Projects"})
    outcomes = session.syncer().sync(["INV-5001", "INV-5003"])
    assert [(o.ok, o.action) for o in outcomes] == [(True, "created"), (True, "created")]
    assert created_lines(session, "INV-5001") == [
        ("Managed Workstations x 25", [("Business Unit", "Managed Services")]),
        ("Managed Servers x 2", [("Business Unit", "Managed Services")]),
    ]
    assert [t for _, t in created_lines(session, "INV-5003")] == [
        [("Business Unit", "Managed Services")], [("Business Unit", "Managed Services")], [("Business Unit", "Projects")]]
