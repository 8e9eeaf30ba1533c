"""Catalogue: process faults around the data dir — logging that cannot write, text it cannot encode."""

from __future__ import annotations

import errno
import logging
import subprocess
import sys

import pytest

from depot_gui.store.logs import configure_file_log
from depot_gui.store.paths import paths_for

from .conftest import DEMO, Before


class _FullDisk:
    def write(self, text):
        raise OSError(errno.ENOSPC, "No space left on device")

    def flush(self):
        raise OSError(errno.ENOSPC, "No space left on device")

    def close(self):
        pass


def test_logging_never_raises_when_the_disk_is_full(tmp_path, capfd):
    handler = configure_file_log(paths_for(tmp_path / "d"))
    log = logging.getLogger("depot_gui.test")
    try:
        log.info("first")
        handler.stream = _FullDisk()
        log.warning("on a full disk")
        bad = logging.LogRecord("depot_gui.test", logging.WARNING, __file__, 1, "bad arguments %d", ("text",), None)
        handler.handle(bad)  # straight to our handler: pytest's own capture handler re-raises such records
    finally:
        handler.stream = None
        logging.getLogger("depot_gui").removeHandler(handler)
    err = capfd.readouterr().err
    assert "Logging error" not in err and "Traceback" not in err
    assert handler.dropped == 2


def test_unencodable_text_is_escaped_in_the_log(tmp_path, capfd):
    handler = configure_file_log(paths_for(tmp_path / "d"))
    try:
        record = logging.LogRecord("depot_gui.test", logging.WARNING, __file__, 1, "argument %s", ("INV-\udcff-1",), None)
        handler.handle(record)  # straight to our handler: pytest's capture would carry the lone surrogate into its report
        handler.flush()
    finally:
        logging.getLogger("depot_gui").removeHandler(handler)
        handler.close()
    assert "Logging error" not in capfd.readouterr().err
    assert "argument INV-\\udcff-1" in (tmp_path / "d" / "logs" / "depot.log").read_text()


@pytest.mark.slow
def test_unencodable_invoice_number_on_the_command_line(tmp_path):
    data = tmp_path / "data"
    p = subprocess.run(
        [sys.executable, "-m", "depot_gui.cli.commands", "--data-dir", str(data), "--sandbox", str(DEMO), "audit", "INV-\udcff"],
        capture_output=True, timeout=120, env={"PYTHONIOENCODING": "utf-8", "PATH": "/usr/bin:/bin",
                                               "HOME": str(tmp_path), "LC_ALL": "C.UTF-8"},
    )
    assert b"Logging error" not in p.stderr and b"Traceback" not in p.stderr, p.stderr
    assert p.returncode in (0, 2)


def test_log_folder_unwritable_does_not_stop_a_command(cli, synced_dir):
    logs = synced_dir / "logs"
    for f in logs.iterdir():
        f.unlink()
    logs.rmdir()
    logs.write_text("a file where the log folder should be")
    before = Before(synced_dir)
    ran = cli("--data-dir", synced_dir, "status")
    assert ran.code == 2
    assert ran.line.startswith(f"depot-sync: the data directory {synced_dir} cannot be used: ")
    before.assert_unchanged()


def test_killed_mid_write_leaves_a_sound_database(cli, synced_dir):
    import signal
    import time

    from depot_gui.store.recovery import diagnose

    writer = subprocess.Popen([sys.executable, "-c", (
        "import sys, itertools\n"
        "from depot_gui.store.db import Store\n"
        f"s = Store({str(synced_dir / 'depot.sqlite3')!r})\n"
        "print('ready', flush=True)\n"
        "for i in itertools.count():\n"
        "    s.set_setting('tolerance', '%d.00' % (i % 100))\n"
    )], stdout=subprocess.PIPE, text=True)
    assert writer.stdout.readline().strip() == "ready"
    time.sleep(0.3)
    writer.send_signal(signal.SIGKILL)
    writer.wait(timeout=30)
    writer.stdout.close()
    assert diagnose(synced_dir / "depot.sqlite3") is None
    ran = cli("--data-dir", synced_dir, "status", "--json")
    assert ran.code == 0 and ran.err == ""
    assert '"INV-5001"' in ran.out


@pytest.mark.slow
def test_sigterm_stops_a_sync_with_a_line_and_a_record(tmp_path):
    import json
    import signal
    import time

    scenario = json.loads(DEMO.read_text())
    scenario["faults"] = [{"api": "xero", "method": "PUT", "path": "/Invoices$", "nth": 1, "kind": "delay", "seconds": 30}]
    slow = tmp_path / "slow.json"
    slow.write_text(json.dumps(scenario))
    data = tmp_path / "data"
    cli = [sys.executable, "-m", "depot_gui.cli.commands", "--data-dir", str(data), "--sandbox", str(slow)]
    assert subprocess.run([*cli, "audit"], capture_output=True, timeout=120).returncode == 0
    proc = subprocess.Popen([*cli, "sync", "INV-5005"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    log = data / "logs" / "depot.log"
    deadline = time.monotonic() + 60
    while "audit of 1 invoice(s): INV-5005 ready" not in log.read_text() and time.monotonic() < deadline:
        time.sleep(0.05)  # the sync's own audit is done: next its PUT, held 30 s by Xero's delay
    time.sleep(1)  # for the PUT to be on its way (if not, the run again below waits out the delay: slower, still right)
    assert proc.poll() is None, proc.communicate()
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 143
    assert err.splitlines() == ["depot-sync: stopped by a termination signal (SIGTERM) before it finished; what was done "
                                "so far is recorded, and the same command run again does the rest"]
    assert "stopped by a termination signal (SIGTERM)" in (data / "logs" / "depot.log").read_text()
    again = subprocess.run([*cli, "sync", "INV-5005"], capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stderr
    tenants = json.loads((data / "sandbox" / "state.json").read_text())["xero"]["tenants"].values()
    assert [i["InvoiceNumber"] for t in tenants for i in t["Invoices"]].count("INV-5005") == 1
