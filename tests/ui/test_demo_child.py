"""`depot-gui --demo` serves its sandbox from a child process (issue 22: the sandbox's work never holds
the window's GIL), with no account, and the child ends with the window."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

PROBE = """
import sys
from depot_gui import app
real = app.open_session
def probe(args):
    session, tmp = real(args)
    sb = session.sandbox
    print("SANDBOX", type(sb).__name__, sb.process.pid, sb.base_url, session.is_set_up(), flush=True)
    return session, tmp
app.open_session = probe
sys.exit(app.main(["--demo", "--quit-after", "0"]))
"""


@pytest.mark.slow
def test_the_demo_serves_its_sandbox_from_a_child_that_ends_with_the_window(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / "c"),
               PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring")
    done = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    [line] = [x for x in done.stdout.splitlines() if x.startswith("SANDBOX ")]
    _, kind, pid, base_url, set_up = line.split()
    assert (kind, set_up) == ("ChildSandbox", "True")  # set up with the scenario's credentials: no account asked
    assert base_url.startswith("http://127.0.0.1:")
    end = time.monotonic() + 10
    while os.path.exists(f"/proc/{pid}") and time.monotonic() < end:
        time.sleep(0.05)
    assert not os.path.exists(f"/proc/{pid}")  # reaped by the window when its session closed
