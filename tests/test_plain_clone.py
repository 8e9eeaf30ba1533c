"""A plain git clone runs every test: nothing the tests read lives outside the repository."""

import re
from pathlib import Path

from .conftest import DEMO_PATH, PACKAGED_DEMO_PATH, REPO, XERO_SPEC_PATH

TESTS = Path(__file__).resolve().parent


def test_tests_never_read_the_shared_folder():
    # ../shared (the team's read-only material) is absent in a clone; a test reading it would skip or fail.
    pattern = re.compile(r"""(parent|\.\.)\s*/\s*["']shared["']|\.\./shared|["']shared["']\s*/""")
    offenders = [f"{f.relative_to(REPO)}:{n}" for f in TESTS.rglob("*.py") if f.name != "test_plain_clone.py"
                 for n, text in enumerate(f.read_text().splitlines(), 1) if pattern.search(text)]
    assert offenders == []


def test_test_data_is_in_the_repository():
    assert XERO_SPEC_PATH.is_relative_to(REPO) and XERO_SPEC_PATH.stat().st_size == 926459
    licence = (XERO_SPEC_PATH.parent / "LICENSE").read_text()
    assert licence.startswith("MIT License") and "Copyright (c) 2017 Xero Developer API" in licence
    assert DEMO_PATH == REPO / "tests" / "scenarios" / "demo.json" and DEMO_PATH.is_file()
    assert PACKAGED_DEMO_PATH == REPO / "depot_gui" / "sandbox" / "scenarios" / "demo.json" and PACKAGED_DEMO_PATH.is_file()

