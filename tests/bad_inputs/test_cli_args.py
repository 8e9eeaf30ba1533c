"""Catalogue: command-line arguments — each bad one is one line, exit 2, and changes nothing."""

from __future__ import annotations

import pytest

from .conftest import DEMO, Before

SCENARIO = str(DEMO)

CASES = {
    "no-command": ([], "depot-sync: the following arguments are required: command (see depot-sync --help)"),
    "unknown-command": (["frobnicate"], "depot-sync: argument command: invalid choice: 'frobnicate' (choose from "
                        "'audit', 'sync', ...) (see depot-sync --help)"),
    "sync-without-numbers": (["sync"], "depot-sync sync: the following arguments are required: INVOICE_NUMBER "
                             "(see depot-sync --help)"),
    "sync-blank-number": (["--sandbox", SCENARIO, "sync", " "], "depot-sync sync: an invoice name is empty; name each "
                          "invoice (a blank name never means all)"),
    "unknown-flag": (["status", "--colour"], "depot-sync: unrecognized arguments: --colour (see depot-sync --help)"),
    "sandbox-state-without-sandbox": (["sandbox", "state"], "depot-sync: `sandbox state` needs --sandbox SCENARIO.json"),
    "scenario-missing": (["--sandbox", "/nonexistent/scenario.json", "audit"],
                         "depot-sync: scenario file /nonexistent/scenario.json does not exist"),
    "scenario-is-a-folder": (["--sandbox", "/", "audit"], "depot-sync: / is a folder; give the scenario file (a .json "
                             "file) in it"),
    "audit-not-connected": (["audit"], "depot-sync: Autotask is not connected yet: run the setup wizard in Depot GUI, "
                            "or `depot-sync connect autotask`."),
    "connect-port-70000": (["connect", "xero", "--port", "70000"], "depot-sync connect: argument --port: 70000 is not a "
                           "port number; use 0-65535 (0 = any free port) (see depot-sync --help)"),
    "connect-unknown-service": (["connect", "myob"], "depot-sync connect: argument service: invalid choice: 'myob' "
                                "(choose from 'autotask', 'xero') (see depot-sync --help)"),
    "serve-without-scenario": (["sandbox", "serve"], "depot-sync sandbox serve: the following arguments are required: "
                               "--scenario (see depot-sync --help)"),
    "serve-bad-host": (["sandbox", "serve", "--scenario", SCENARIO, "--host", "999.1.1.1"],
                       "depot-sync: cannot serve on 999.1.1.1:0: Name or service not known"),
    "settings-unknown-key": (["settings", "set", "colour", "red"], "depot-sync settings set: argument key: invalid "
                             "choice: 'colour' (choose from 'attach_autotask_pdf', 'audit_months', ...) "
                             "(see depot-sync --help)"),
    "audit-since-after-until": (["--sandbox", SCENARIO, "audit", "--since", "2026-12-01", "--until", "2026-01-01"],
                                "depot-sync audit: --since 2026-12-01 is after --until 2026-01-01; swap them"),
    "audit-since-iso-week": (["--sandbox", SCENARIO, "audit", "--since", "2026-W01"],
                             "depot-sync audit: argument --since: '2026-W01' is not a date like 2026-11-01 "
                             "(see depot-sync --help)"),
    "audit-until-compact-date": (["--sandbox", SCENARIO, "audit", "--until", "20261201"],
                                 "depot-sync audit: argument --until: '20261201' is not a date like 2026-11-01 "
                                 "(see depot-sync --help)"),
    "report-since-iso-week-day": (["report", "--since", "2026-W01-1", "--csv", "/nonexistent/x.csv"],
                                  "depot-sync report: argument --since: '2026-W01-1' is not a date like 2026-11-01 "
                                  "(see depot-sync --help)"),
    "audit-every-without-wait-pending": (["--sandbox", SCENARIO, "audit", "--every", "5"],
                                         "depot-sync audit: --every goes with --wait-pending (the minutes between its "
                                         "checks); add --wait-pending or leave --every out"),
    "scenario-is-dev-zero": (["--sandbox", "/dev/zero", "audit"],
                             "depot-sync: /dev/zero is a device, not a scenario file; give the scenario file "
                             "(a .json file)"),
    "settings-set-missing-value": (["settings", "set", "tolerance"], "depot-sync settings set: the following arguments "
                                   "are required: value (see depot-sync --help)"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_argument(cli, synced_dir, case):
    args, line = CASES[case]
    before = Before(synced_dir)
    ran = cli("--data-dir", synced_dir, *args) if args else cli()
    assert ran.code == 2
    if "...)" in line:  # the list of choices grows with the app: its start and the sentence around it are pinned
        head, tail = line.split("...)")
        assert ran.line.startswith(head) and ran.line.endswith(")" + tail)
    else:
        assert ran.line == line
    assert ran.out == ""
    before.assert_unchanged()


def test_scenario_that_is_a_fifo_is_named_without_waiting(cli, synced_dir, tmp_path):
    import os
    import signal

    fifo = tmp_path / "scenario.json"
    os.mkfifo(fifo)
    before = Before(synced_dir)
    signal.alarm(30)  # reading the pipe would wait forever: end the case instead
    try:
        ran = cli("--data-dir", synced_dir, "--sandbox", fifo, "audit")
    finally:
        signal.alarm(0)
    assert ran.code == 2
    assert ran.line == (f"depot-sync: {fifo} is a named pipe (FIFO), not a scenario file; give the scenario file "
                        "(a .json file)")
    before.assert_unchanged()
