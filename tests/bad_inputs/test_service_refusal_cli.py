"""A service that refuses during a command that talks to it: one line naming why, exit 2, no traceback."""

from __future__ import annotations

import json

import pytest

from ..conftest import DEMO_PATH as DEMO

REFUSED = ("depot-sync: The Autotask API user is not allowed to access Invoices: give its security level access to "
           "Invoices in Autotask (Admin › Security Levels).")


@pytest.mark.parametrize("command", [["audit"], ["audit", "INV-5001"], ["sync", "INV-5001"]])
def test_autotask_refusing_invoices_is_one_line_exit_2(cli, tmp_path, command):
    scenario = json.loads(DEMO.read_text())
    scenario["faults"] = [{"api": "autotask", "method": "POST", "path": "Invoices/query", "nth": 1, "times": 50,
                           "kind": "status", "status": 403}]
    (tmp_path / "refused.json").write_text(json.dumps(scenario))
    ran = cli("--data-dir", tmp_path / "d", "--sandbox", tmp_path / "refused.json", *command)
    assert (ran.code, ran.line, ran.out) == (2, REFUSED, "")
