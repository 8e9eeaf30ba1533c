"""The demo scenario plus Xero tracking categories (revenue by line of business), built by tests."""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import DEMO_PATH

BUSINESS_UNIT = {
    "TrackingCategoryID": "7d1c0a2e-1111-4a6b-8c3d-0000000000a1", "Name": "Business Unit", "Status": "ACTIVE",
    "Options": [
        {"TrackingOptionID": "7d1c0a2e-1111-4a6b-8c3d-0000000000b1", "Name": "Managed Services", "Status": "ACTIVE"},
        {"TrackingOptionID": "7d1c0a2e-1111-4a6b-8c3d-0000000000b2", "Name": "Projects", "Status": "ACTIVE"},
        {"TrackingOptionID": "7d1c0a2e-1111-4a6b-8c3d-0000000000b3", "Name": "Hardware", "Status": "ARCHIVED"},
    ],
}
REGION = {"Name": "Region", "Options": [{"Name": "Sydney"}, {"Name": "Melbourne"}]}
OLD = {"Name": "Old Divisions", "Status": "ARCHIVED", "Options": [{"Name": "North"}]}


def tracking_scenario(tmp_path: Path) -> Path:
    """demo.json with three tracking categories: Business Unit (Hardware archived), Region, and
    the archived Old Divisions."""
    sc = json.loads(DEMO_PATH.read_text())
    sc["xero"]["TrackingCategories"] = [BUSINESS_UNIT, REGION, OLD]
    path = tmp_path / "tracking.json"
    path.write_text(json.dumps(sc))
    return path
