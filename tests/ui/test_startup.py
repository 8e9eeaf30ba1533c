"""Start-up (issue 22): the window's shell paints before the session, httpx2 and keyring are imported.

Speed itself is measured by bench/bench_startup.py; these tests pin the order that makes it fast.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

HEAVY = ("httpx2", "keyring", "importlib.metadata", "depot_gui.sync.session.session", "depot_gui.ui.window.main_window")

PROBE = """
import sys
from depot_gui.ui.window.shell import Shell
real = Shell.show_and_paint
def probe(self, report=False):
    real(self, report)
    print("PAINTED", self.painted, "LOADED", [m for m in {heavy!r} if m in sys.modules], flush=True)
Shell.show_and_paint = probe
from depot_gui import app
sys.exit(app.main(["--demo", "--quit-after", "0"]))
"""


def _run(code: str, tmp_path) -> subprocess.CompletedProcess:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / "c"),
               PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring")
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)


def test_importing_the_app_imports_no_session_network_keyring_or_metadata(tmp_path):
    done = _run(f"import sys, depot_gui.app; print([m for m in {HEAVY!r} if m in sys.modules])", tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


@pytest.mark.slow
def test_the_shell_has_painted_before_the_session_is_imported(tmp_path):
    done = _run(PROBE.format(heavy=HEAVY), tmp_path)
    assert done.returncode == 0, done.stderr
    assert "PAINTED True LOADED []" in done.stdout
    assert "shell painted at " in done.stderr and "first paint " in done.stderr  # then the full window painted


def test_the_version_is_still_one_lookup_away():
    import depot_gui

    assert depot_gui.__version__ == depot_gui.version() != "0.0.0+unknown"
