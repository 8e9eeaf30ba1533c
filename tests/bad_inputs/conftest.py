"""The bad-input catalogue's tools: run depot-sync, fingerprint the data dir and the sandbox's Xero.

Every case asserts three things: the exit code, the one line on stderr, and that the data dir
(database, settings, backups, sandbox state) and the sandbox's Xero are exactly as before.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from depot_gui.cli.commands import main

DEMO = Path(__file__).resolve().parents[2] / "tests" / "scenarios" / "demo.json"  # the five-invoice demo


@dataclass
class Ran:
    code: int
    out: str
    err: str

    @property
    def line(self) -> str:
        """The one line on stderr (asserts there is exactly one)."""
        lines = self.err.splitlines()
        assert len(lines) == 1, f"expected one line on stderr, got {lines!r}"
        assert "Traceback" not in self.err
        return lines[0]


@pytest.fixture
def cli(capsys):
    """``cli(*args)`` runs depot-sync in this process and returns its exit code, stdout and stderr."""

    def run(*args: str) -> Ran:
        capsys.readouterr()
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return Ran(code, captured.out, captured.err)

    return run


def fingerprint(data_dir: Path) -> dict[str, str]:
    """SHA-256 of every file in the data dir but the log files and SQLite's transient WAL/SHM files."""
    found = {}
    if not data_dir.exists():
        return found
    for p in sorted(data_dir.rglob("*")):
        rel = p.relative_to(data_dir).as_posix()
        if p.is_file() and not rel.startswith("logs/") and not rel.endswith(("-wal", "-shm", ".lock")):
            found[rel] = hashlib.sha256(p.read_bytes()).hexdigest()
    return found


def xero_documents(data_dir: Path) -> dict:
    """The sandbox's Xero invoices, credit notes and contacts as saved in the data dir's state."""
    state = data_dir / "sandbox" / "state.json"
    if not state.exists():
        return {}
    try:
        tenants = json.loads(state.read_text())["xero"]["tenants"]
    except ValueError:  # a damaged state file: its bytes are compared by fingerprint()
        return {"unreadable": True}
    return {t: {k: doc.get(k) for k in ("Invoices", "CreditNotes", "Contacts")} for t, doc in tenants.items()}


class Before:
    """The data dir's fingerprint and the sandbox's Xero, taken before a case runs."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.files = fingerprint(data_dir)
        self.xero = xero_documents(data_dir)

    def assert_unchanged(self) -> None:
        assert fingerprint(self.data_dir) == self.files
        assert xero_documents(self.data_dir) == self.xero


@pytest.fixture(scope="session")
def _synced_template(tmp_path_factory) -> Path:
    """A data dir on the demo scenario: audited, INV-5001 and INV-5003 synced (made once)."""
    d = tmp_path_factory.mktemp("template") / "data"
    assert main(["--data-dir", str(d), "--sandbox", str(DEMO), "audit"]) == 0
    assert main(["--data-dir", str(d), "--sandbox", str(DEMO), "sync", "INV-5001", "INV-5003"]) == 0
    return d


@pytest.fixture
def synced_dir(_synced_template, tmp_path) -> Path:
    """A fresh copy of the synced data dir."""
    d = tmp_path / "data"
    shutil.copytree(_synced_template, d)
    return d
