"""Revenue by line of business: the Xero Tracking each line carries, and the warnings when missing."""

from __future__ import annotations

from decimal import Decimal as D

from depot_gui.core.mapping import MappingOverrides, map_invoice
from depot_gui.core.settings import Settings
from depot_gui.core.tracking import active_tracking

from ..tracking_scenario import BUSINESS_UNIT, OLD, REGION
from .helpers import demo, invoice, items, reference

BU = MappingOverrides(tracking_category="Business Unit",
                      tracking_option_by_lob={11: "Managed Services", 12: "Projects"})
ACTIVE = {"Business Unit": ("Managed Services", "Projects"), "Region": ("Sydney", "Melbourne")}


def draft(number, overrides, active=ACTIVE):
    sc = demo()
    inv = invoice(sc, number)
    ref = reference(sc)
    ref.tracking = active
    return map_invoice(inv, items(sc, inv.id), ref, Settings(), overrides)


def test_active_tracking_reads_only_active_categories_and_options():
    assert active_tracking([BUSINESS_UNIT, REGION, OLD]) == ACTIVE


def test_mapped_lines_carry_the_tracking_option_in_the_payload():
    d = draft("INV-5003", BU)
    lines = d.payload("DRAFT")["LineItems"]
    assert [(ln["Description"], ln.get("Tracking")) for ln in lines] == [
        ("Managed Workstations x 40", [{"Name": "Business Unit", "Option": "Managed Services"}]),
        ("Backup storage 2 TB", [{"Name": "Business Unit", "Option": "Managed Services"}]),
        ("After-hours call-out", [{"Name": "Business Unit", "Option": "Projects"}]),
    ]
    assert d.warnings == ()


def test_no_category_chosen_sends_no_tracking_key_at_all():
    d = draft("INV-5003", MappingOverrides(tracking_option_by_lob={11: "Managed Services"}), active=None)
    assert all("Tracking" not in ln for ln in d.payload("DRAFT")["LineItems"])
    assert d.warnings == ()


def test_a_line_of_business_without_an_option_is_a_warning_naming_its_lines():
    d = draft("INV-5003", MappingOverrides(tracking_category="Business Unit",
                                           tracking_option_by_lob={11: "Managed Services"}))
    lines = d.payload("DRAFT")["LineItems"]
    assert [ln.get("Tracking") for ln in lines] == [
        [{"Name": "Business Unit", "Option": "Managed Services"}],
        [{"Name": "Business Unit", "Option": "Managed Services"}],
        None,
    ]
    assert d.warnings == (
        "No Xero 'Business Unit' option is chosen for the line of business of these lines, so they are sent "
        "without tracking; choose one in the setup wizard's mapping step: 'After-hours call-out'.",
    )


def test_an_option_archived_since_is_a_warning_not_a_refusal():
    d = draft("INV-5003", MappingOverrides(tracking_category="Business Unit",
                                           tracking_option_by_lob={11: "Managed Services", 12: "Hardware"}))
    assert d.payload("DRAFT")["LineItems"][2].get("Tracking") is None
    assert d.warnings == (
        "The Xero 'Business Unit' option 'Hardware' is archived or deleted in Xero, so these lines are sent "
        "without tracking; choose another in the setup wizard's mapping step: 'After-hours call-out'.",
    )


def test_a_category_archived_since_warns_once_and_sends_nothing():
    d = draft("INV-5003", MappingOverrides(tracking_category="Old Divisions", tracking_option_by_lob={11: "North"}))
    assert all("Tracking" not in ln for ln in d.payload("DRAFT")["LineItems"])
    assert d.warnings == (
        "The Xero tracking category 'Old Divisions' is not active in Xero, so no line carries tracking; choose "
        "another in the setup wizard's mapping step: 'Managed Workstations x 40', 'Backup storage 2 TB', "
        "'After-hours call-out'.",
    )


def test_names_are_spelled_as_xero_spells_them():
    d = draft("INV-5001", MappingOverrides(tracking_category="business unit",
                                           tracking_option_by_lob={11: "MANAGED SERVICES"}))
    assert d.payload("DRAFT")["LineItems"][0]["Tracking"] == [{"Name": "Business Unit", "Option": "Managed Services"}]


def test_the_rounding_line_carries_no_tracking():
    d = draft("INV-5005", BU).with_rounding_line(D("0.01"), "860", "BASEXCLUDED")
    lines = d.payload("DRAFT")["LineItems"]
    assert [ln.get("Tracking") for ln in lines] == [
        [{"Name": "Business Unit", "Option": "Managed Services"}]] * 3 + [None]
