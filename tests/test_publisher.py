"""The build's Xero client id: env var first, then publisher.json (frozen: next to the executable)."""

import json
import logging
import sys

from depot_gui.store import publisher

REAL_PUBLISHER_FILE = publisher.publisher_file  # conftest replaces it per test; this is the real one


def test_none_without_env_or_file():
    assert publisher.xero_client_id() is None


def test_env_var_wins_over_file(monkeypatch, no_publisher):
    no_publisher.write_text(json.dumps({"xero_client_id": "FROMFILE"}))
    monkeypatch.setenv("DEPOT_XERO_CLIENT_ID", "  FROMENV ")
    assert publisher.xero_client_id() == "FROMENV"


def test_file_when_no_env(no_publisher):
    no_publisher.write_text(json.dumps({"xero_client_id": "E57D7FD5C2C34B0FAD6A27C37D234008"}))
    assert publisher.xero_client_id() == "E57D7FD5C2C34B0FAD6A27C37D234008"


def test_damaged_file_is_ignored_with_a_warning(no_publisher, caplog):
    no_publisher.write_text("{not json")
    with caplog.at_level(logging.WARNING, logger="depot_gui.store.publisher"):
        assert publisher.xero_client_id() is None
    assert "cannot be read as JSON" in caplog.text


def test_file_without_the_key_is_ignored(no_publisher, caplog):
    no_publisher.write_text(json.dumps({"other": 1}))
    with caplog.at_level(logging.WARNING, logger="depot_gui.store.publisher"):
        assert publisher.xero_client_id() is None
    assert "has no 'xero_client_id' text" in caplog.text


def test_frozen_build_reads_next_to_the_executable(monkeypatch, tmp_path):
    exe = tmp_path / "depot-gui-0.1.0" / "depot-gui"
    exe.parent.mkdir()
    exe.write_text("")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(exe))
    assert REAL_PUBLISHER_FILE() == tmp_path / "depot-gui-0.1.0" / "publisher.json"


def test_source_install_reads_resources(monkeypatch):
    monkeypatch.delattr(sys, "frozen", raising=False)
    monkeypatch.delattr(sys, "_MEIPASS", raising=False)
    found = REAL_PUBLISHER_FILE()
    assert found.name == "publisher.json" and found.parent.name == "resources"


def test_client_id_form():
    assert publisher.client_id_problem("E57D7FD5C2C34B0FAD6A27C37D234008") is None
    assert publisher.client_id_problem(" e57d7fd5c2c34b0fad6a27c37d234008 ") is None
    assert publisher.client_id_problem("") == "Enter the client id Xero shows for your app."
    assert publisher.client_id_problem("E57D7FD5") == (
        "A Xero client id is 32 characters, digits 0-9 and letters A-F; this one has 8."
    )
    assert publisher.client_id_problem("DEPOT-GUI-XERO-CLIENT-ID") == (
        "A Xero client id is 32 characters, digits 0-9 and letters A-F; this one has 24 and other characters."
    )

