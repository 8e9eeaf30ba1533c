"""The app's SecretStore against a real Secret Service (gnome-keyring in a private D-Bus session).

The conftest's in-memory keyring serves every other test; here a child process with keyring's
own backend selection stores, reads, replaces and deletes secrets through ``SecretStore``, and
then meets a locked keyring and no keyring at all, each with the app's one clear message.
Needs `gnome-keyring` and `dbus` (apt; `.ci/run` installs them).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

CHILD = Path(__file__).with_name("secret_child.py")
REPO = Path(__file__).resolve().parents[2]
NO_KEYRING = "No system keyring is available to store passwords securely."
HAVE_SECRET_SERVICE = bool(shutil.which("gnome-keyring-daemon") and shutil.which("dbus-run-session"))
needs_secret_service = pytest.mark.skipif(
    not HAVE_SECRET_SERVICE, reason="gnome-keyring-daemon and dbus-run-session are not installed (apt: gnome-keyring dbus)"
)


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DBUS_", "PYTHON_KEYRING", "GNOME_KEYRING"))}
    env.update(HOME=str(tmp_path / "home"), XDG_DATA_HOME=str(tmp_path / "xdg"), XDG_RUNTIME_DIR=str(tmp_path / "run"),
               PYTHONPATH=str(REPO))
    for key in ("HOME", "XDG_DATA_HOME", "XDG_RUNTIME_DIR"):
        Path(env[key]).mkdir(mode=0o700, exist_ok=True)
    return env


def _run(tmp_path: Path, mode: str, *extra: str) -> dict:
    data = tmp_path / "data"
    child = [sys.executable, str(CHILD), mode, str(data), *extra]
    if mode == "absent":
        cmd = child
    else:
        script = ('echo -n ci-pass | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1 && exec "$@"')
        cmd = ["dbus-run-session", "--", "sh", "-c", script, "sh", *child]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=120, env=_env(tmp_path))
    assert p.returncode == 0, p.stderr[-2000:]
    assert "Traceback" not in p.stderr
    return json.loads(p.stdout.strip().splitlines()[-1])


@needs_secret_service
def test_store_read_replace_delete_in_the_real_keyring(tmp_path):
    seen = _run(tmp_path, "unlocked")
    assert seen["backend"] == "keyring.backends.SecretService.Keyring"
    assert seen["empty"] is None
    assert seen["stored"] == "s3cret-one"
    assert seen["replaced"] == "s3cret-two"
    assert seen["json"] == {"refresh_token": "r1", "expires_at": 5}
    assert seen["deleted"] is None
    assert seen["deleted_twice"] is None
    assert seen["others_untouched"] is None
    assert seen["read"] is None
    # connection details saved, no secrets in the keyring: the CLI says to set up again, one line
    assert seen["cli_code"] == 2
    assert seen["cli_err"] == (
        "depot-sync: Autotask is not connected yet: run the setup wizard in Depot GUI, or `depot-sync connect autotask`.\n"
    )


@needs_secret_service
def test_locked_keyring_is_the_apps_clear_message(tmp_path):
    seen = _run(tmp_path, "unlocked", "--lock")
    assert seen["unavailable"].startswith(NO_KEYRING)
    assert "read" not in seen
    assert seen["cli_code"] == 2
    assert seen["cli_err"].startswith("depot-sync: " + NO_KEYRING)
    assert len(seen["cli_err"].splitlines()) == 1


def test_absent_keyring_is_the_apps_clear_message(tmp_path):
    seen = _run(tmp_path, "absent")
    assert seen["backend"] != "keyring.backends.SecretService.Keyring"
    assert seen["unavailable"].startswith(NO_KEYRING)
    assert seen["cli_code"] == 2
    assert seen["cli_err"].startswith("depot-sync: " + NO_KEYRING)
    assert len(seen["cli_err"].splitlines()) == 1
