"""Xero tracking categories in the sandbox: GET /TrackingCategories, and a line's Tracking checked as
Xero does (an active category and an active option of it)."""

from __future__ import annotations

import pytest

from depot_gui.sandbox import Sandbox

from ..tracking_scenario import tracking_scenario
from .helpers import client, connect, xero_headers
from .test_xero import API, invoice, line, loads, messages, put


@pytest.fixture
def tracked(tmp_path):
    sb = Sandbox.open(tracking_scenario(tmp_path))
    c = client(sb)
    c.headers.update(xero_headers(connect(c)["access_token"]))
    yield sb, c
    c.close()


def test_get_tracking_categories_lists_active_ones_with_active_options(tracked):
    _, c = tracked
    r = c.get(f"{API}/TrackingCategories")
    assert r.status_code == 200, r.text
    cats = loads(r)["TrackingCategories"]
    assert [(x["Name"], x["Status"], [o["Name"] for o in x["Options"]]) for x in cats] == [
        ("Business Unit", "ACTIVE", ["Managed Services", "Projects"]),
        ("Region", "ACTIVE", ["Sydney", "Melbourne"]),
    ]
    assert cats[0]["TrackingCategoryID"] == "7d1c0a2e-1111-4a6b-8c3d-0000000000a1"
    assert cats[0]["Options"][1]["TrackingOptionID"] == "7d1c0a2e-1111-4a6b-8c3d-0000000000b2"
    everything = loads(c.get(f"{API}/TrackingCategories", params={"includeArchived": "true"}))["TrackingCategories"]
    assert [x["Name"] for x in everything] == ["Business Unit", "Region", "Old Divisions"]
    assert [o["Name"] for o in everything[0]["Options"]] == ["Managed Services", "Projects", "Hardware"]


def test_demo_without_tracking_categories_answers_an_empty_list(xero):
    _, c = xero
    r = c.get(f"{API}/TrackingCategories")
    assert r.status_code == 200 and loads(r)["TrackingCategories"] == []


def test_line_tracking_by_name_is_kept_with_both_ids(tracked):
    _, c = tracked
    tracking = [{"Name": "Business Unit", "Option": "projects"}, {"Name": "Region", "Option": "Sydney"}]
    r = put(c, invoice(lines=[line(Tracking=tracking)]))
    assert r.status_code == 200, r.text
    [ln] = loads(r)["Invoices"][0]["LineItems"]
    assert ln["Tracking"][0] == {
        "TrackingCategoryID": "7d1c0a2e-1111-4a6b-8c3d-0000000000a1",
        "TrackingOptionID": "7d1c0a2e-1111-4a6b-8c3d-0000000000b2",
        "Name": "Business Unit", "Option": "Projects",
    }
    assert [(t["Name"], t["Option"]) for t in ln["Tracking"]] == [("Business Unit", "Projects"), ("Region", "Sydney")]


def test_archived_option_is_a_validation_exception(tracked):
    sb, c = tracked
    r = put(c, invoice(lines=[line(Tracking=[{"Name": "Business Unit", "Option": "Hardware"}])]))
    assert r.status_code == 400
    assert loads(r)["Type"] == "ValidationException"
    assert messages(r) == ["The tracking option 'Hardware' does not exist or has been archived in the tracking "
                           "category 'Business Unit'."]
    assert [i["InvoiceNumber"] for i in sb.state()["xero"]["Invoices"]] == []  # nothing was created


@pytest.mark.parametrize("tracking, message", [
    ([{"Name": "Old Divisions", "Option": "North"}],
     "The tracking category 'Old Divisions' does not exist or has been archived."),
    ([{"Name": "Cost Centre", "Option": "North"}],
     "The tracking category 'Cost Centre' does not exist or has been archived."),
    ([{"TrackingCategoryID": "7d1c0a2e-1111-4a6b-8c3d-0000000000a1", "TrackingOptionID":
       "7d1c0a2e-1111-4a6b-8c3d-0000000000ff"}],
     "The tracking option '7d1c0a2e-1111-4a6b-8c3d-0000000000ff' does not exist or has been archived in the "
     "tracking category 'Business Unit'."),
    ([{"Name": "Region", "Option": "Sydney"}, {"Name": "Business Unit", "Option": "Projects"},
      {"Name": "Region", "Option": "Melbourne"}],
     "A line item can have at most 2 tracking categories."),
])
def test_unknown_or_archived_tracking_is_refused(tracked, tracking, message):
    _, c = tracked
    r = put(c, invoice(lines=[line(Tracking=tracking)]))
    assert r.status_code == 400 and messages(r) == [message]
