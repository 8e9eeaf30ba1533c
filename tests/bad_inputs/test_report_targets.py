"""Catalogue: where a report is pointed. A regular file is written whole; a symbolic link is written
through to its target (the link stays); a folder, device, named pipe or socket is refused in one
line (exit 2) and left as it was, without waiting on the pipe."""

from __future__ import annotations

import os
import signal
import socket
import stat
from pathlib import Path

import pytest

from .conftest import Before

@pytest.fixture(autouse=True)
def _no_hang():
    """A writer that opened a named pipe would wait forever: fail the case after 30 s instead."""

    def expired(signum, frame):
        raise TimeoutError("the report waited on the target (opened a named pipe?)")

    old = signal.signal(signal.SIGALRM, expired)
    signal.alarm(30)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, old)


SINCE = ("report", "--since", "2026-11-01", "--until", "2026-11-30")


def _fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


def _socket(path: Path) -> Path:
    s = socket.socket(socket.AF_UNIX)
    s.bind(str(path))
    s.close()  # the socket file stays
    return path


def _kind(path: Path) -> str:
    mode = os.lstat(path).st_mode
    return ("fifo" if stat.S_ISFIFO(mode) else "socket" if stat.S_ISSOCK(mode) else "char" if stat.S_ISCHR(mode)
            else "dir" if stat.S_ISDIR(mode) else "link" if stat.S_ISLNK(mode) else "file")


@pytest.mark.parametrize(
    ("make", "flag", "what"),
    [
        (_fifo, "--csv", "is a named pipe (FIFO), not a file; give a file name to write"),
        (_fifo, "--pdf", "is a named pipe (FIFO), not a file; give a file name to write"),
        (_socket, "--csv", "is a socket, not a file; give a file name to write"),
        (lambda p: (p.mkdir(), p)[1], "--csv", "is a folder; give a file name inside it"),
    ],
    ids=["csv-fifo", "pdf-fifo", "csv-socket", "csv-folder"],
)
def test_not_a_regular_file_is_refused(cli, synced_dir, tmp_path, make, flag, what):
    target = make(tmp_path / "out")
    kind = _kind(target)
    before = Before(synced_dir)
    ran = cli("--data-dir", synced_dir, *SINCE, flag, target)
    assert ran.code == 2
    assert ran.line == f"depot-sync report: {target} {what}"
    assert ran.out == ""
    assert _kind(target) == kind
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "out"]  # no temporary, no -lines file
    before.assert_unchanged()


def test_lines_csv_pointed_at_a_fifo_is_refused_before_the_invoice_csv_is_written(cli, synced_dir, tmp_path):
    lines = _fifo(tmp_path / "lines.csv")
    before = Before(synced_dir)
    ran = cli("--data-dir", synced_dir, *SINCE, "--csv", tmp_path / "nov.csv", "--lines-csv", lines)
    assert ran.code == 2
    assert ran.line == f"depot-sync report: {lines} is a named pipe (FIFO), not a file; give a file name to write"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "lines.csv"] and _kind(lines) == "fifo"
    before.assert_unchanged()


def _device(tmp_path: Path) -> Path:
    """A character device like /dev/full made in the test's folder (root may); else /dev/full itself,
    which a user who is not root could not replace even if the check were missing."""
    dev = tmp_path / "full"
    try:
        os.mknod(dev, stat.S_IFCHR | 0o666, os.makedev(1, 7))
        return dev
    except PermissionError:
        return Path("/dev/full")


def test_a_device_is_refused_and_stays_a_device(cli, synced_dir, tmp_path):
    dev = _device(tmp_path)
    before = Before(synced_dir)
    ran = cli("--data-dir", synced_dir, *SINCE, "--csv", dev)
    assert ran.code == 2
    assert ran.line == f"depot-sync report: {dev} is a device, not a file; give a file name to write"
    assert _kind(dev) == "char" and not os.path.lexists(f"{dev}-lines.csv")
    before.assert_unchanged()


def test_a_symlink_is_written_through_and_stays_a_link(cli, synced_dir, tmp_path):
    real = tmp_path / "kept" / "real.csv"
    real.parent.mkdir()
    real.write_text("old report")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    ran = cli("--data-dir", synced_dir, *SINCE, "--csv", link)
    assert ran.code == 0 and ran.err == ""
    assert ran.out.splitlines() == [f"Wrote {link} (invoices: 5)", f"Wrote {tmp_path / 'link-lines.csv'} (lines: 13)"]
    assert _kind(link) == "link" and os.readlink(link) == str(real)
    assert real.read_text(encoding="utf-8-sig").startswith("Invoice,Company,Invoice date,")
    assert sorted(p.name for p in real.parent.iterdir()) == ["real.csv"]  # no temporary left beside the target


def test_a_dangling_symlink_creates_its_target(cli, synced_dir, tmp_path):
    real = tmp_path / "real.csv"
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    ran = cli("--data-dir", synced_dir, *SINCE, "--csv", link, "--lines-csv", tmp_path / "l.csv")
    assert ran.code == 0
    assert _kind(link) == "link" and real.read_text(encoding="utf-8-sig").startswith("Invoice,")


def test_a_symlink_to_a_fifo_is_refused(cli, synced_dir, tmp_path):
    fifo = _fifo(tmp_path / "pipe")
    link = tmp_path / "link.csv"
    link.symlink_to(fifo)
    ran = cli("--data-dir", synced_dir, *SINCE, "--csv", link)
    assert ran.code == 2
    assert ran.line == f"depot-sync report: {link} is a named pipe (FIFO), not a file; give a file name to write"
    assert _kind(link) == "link" and _kind(fifo) == "fifo"
