"""`depot-sync connect autotask|xero` through depot_gui.cli.commands.main (secret from env or stdin)."""

from __future__ import annotations

import io

from depot_gui.cli import commands as cli
from depot_gui.store.db import Store
from depot_gui.sync.session.connections import K_AT_USER, K_XERO_TENANT, S_AT_CODE, S_AT_SECRET, S_XERO_TOKENS

from .conftest import CODE, SECRET, USER, grep_tree

SANDBOX_SERVICE = "depot-gui-sandbox"


def run(argv, capsys, monkeypatch, stdin_text=""):
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin_text))
    code = cli.main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def base(data_dir, scenario):
    return ["--data-dir", str(data_dir), "--sandbox", str(scenario), "connect"]


def settings(data_dir) -> dict:
    store = Store(data_dir / "depot.sqlite3")
    try:
        return store.raw_settings()
    finally:
        store.close()


def test_connect_autotask_secret_from_env_restricted_user(data_dir, demo_scenario, capsys, monkeypatch, memory_keyring):
    monkeypatch.setenv("DEPOT_AUTOTASK_SECRET", SECRET)
    code, out, err = run(base(data_dir, demo_scenario) + ["autotask", "--username", USER, "--integration-code", CODE],
                         capsys, monkeypatch)
    assert code == 1, err  # saved, but the verdict is red
    assert "PROBLEM" in out and "Sydney / Hardware" in out and "Line of Business" in out
    assert memory_keyring.data[(SANDBOX_SERVICE, S_AT_SECRET)] == SECRET
    assert memory_keyring.data[(SANDBOX_SERVICE, S_AT_CODE)] == CODE
    assert settings(data_dir)[K_AT_USER] == USER
    assert SECRET not in out + err and CODE not in out + err


def test_connect_autotask_secret_from_stdin_unrestricted(data_dir, unrestricted_scenario, capsys, monkeypatch):
    monkeypatch.delenv("DEPOT_AUTOTASK_SECRET", raising=False)
    code, out, err = run(base(data_dir, unrestricted_scenario) + ["autotask", "--username", USER, "--integration-code", CODE],
                         capsys, monkeypatch, stdin_text=SECRET + "\n")
    assert code == 0, err
    assert "OK: The API user sees every line of business." in out


def test_connect_autotask_wrong_secret_exits_2_and_saves_nothing(data_dir, demo_scenario, capsys, monkeypatch, memory_keyring):
    monkeypatch.setenv("DEPOT_AUTOTASK_SECRET", "wrong-secret")
    code, out, err = run(base(data_dir, demo_scenario) + ["autotask", "--username", USER, "--integration-code", CODE],
                         capsys, monkeypatch)
    assert code == 2
    assert "refused the secret" in err and "wrong-secret" not in err
    assert not memory_keyring.data
    assert K_AT_USER not in settings(data_dir)


def test_connect_autotask_missing_integration_code(data_dir, demo_scenario, capsys, monkeypatch):
    monkeypatch.setenv("DEPOT_AUTOTASK_SECRET", SECRET)
    monkeypatch.delenv("DEPOT_AUTOTASK_INTEGRATION_CODE", raising=False)
    code, _, err = run(base(data_dir, demo_scenario) + ["autotask", "--username", USER], capsys, monkeypatch)
    assert code == 2 and "integration code" in err


def test_connect_xero_in_sandbox(data_dir, demo_scenario, capsys, monkeypatch, memory_keyring, tmp_path):
    code, out, err = run(base(data_dir, demo_scenario) + ["xero", "--port", "0"], capsys, monkeypatch)
    assert code == 0, err
    assert "Connected to Xero organisation" in out
    assert settings(data_dir)[K_XERO_TENANT]
    tokens = memory_keyring.data[(SANDBOX_SERVICE, S_XERO_TOKENS)]
    import json

    values = [v for k, v in json.loads(tokens).items() if k in ("access_token", "refresh_token")]
    assert grep_tree(data_dir, values) == []
