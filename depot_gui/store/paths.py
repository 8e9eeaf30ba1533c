"""Where Depot GUI keeps its files: one module, no import-time side effects."""

from __future__ import annotations

import os
import stat
import sys
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from depot_gui import APP_ID


@dataclass(frozen=True)
class Paths:
    """The data directory and what lives in it."""

    data_dir: Path

    @property
    def database(self) -> Path:
        return self.data_dir / "depot.sqlite3"

    @property
    def logs(self) -> Path:
        return self.data_dir / "logs"

    @property
    def backups(self) -> Path:
        return self.data_dir / "backups"

    @property
    def sandbox_state(self) -> Path:
        return self.data_dir / "sandbox"

    def ensure(self) -> "Paths":
        """Create the directories, readable by the user only."""
        old = os.umask(0o077)
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            self.logs.mkdir(exist_ok=True)
        finally:
            os.umask(old)
        return self


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_ID, appauthor=False))


def paths_for(data_dir: str | Path | None) -> Paths:
    """Paths for an explicit data dir (tests, --data-dir) or, for None, the platform default.

    An empty or blank ``data_dir`` is a ValueError: it must never mean the user's real data.
    """
    if data_dir is None:
        return Paths(default_data_dir())
    if not str(data_dir).strip():
        raise ValueError("the data directory must not be empty; give a folder, or leave --data-dir out for the standard one")
    return Paths(Path(data_dir).expanduser().resolve())


def not_a_file(path: str | Path) -> str:
    """What is at ``path`` (through links) when it is neither a regular file nor nothing, as words
    for a sentence ("a folder", "a device", "a named pipe (FIFO)", "a socket"); '' otherwise.

    Only looked at (stat), never opened: a named pipe cannot make the caller wait. OSError when
    the path cannot be looked at (a link loop, no permission on a folder above it).
    """
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return ""
    if stat.S_ISREG(mode):
        return ""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def resource_path(*parts: str) -> Path:
    """Path of a file under resources/: frozen bundle (sys._MEIPASS), wheel install, or source tree."""
    bundle = getattr(sys, "_MEIPASS", None)
    roots = [Path(bundle) / "resources"] if bundle else []
    roots.append(Path(sys.prefix) / "share" / "depot-gui" / "resources")
    roots.append(Path(__file__).resolve().parents[2] / "resources")
    for root in roots:
        candidate = root.joinpath(*parts)
        if candidate.exists():
            return candidate
    return roots[-1].joinpath(*parts)
