"""Shared fixtures: offscreen Qt, in-memory keyring, temp data dirs, the demo scenario."""

import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
SCENARIOS = REPO / "tests" / "scenarios"


def shared_demo() -> Path:
    """The team's demo scenario; the packaged copy when ../shared is absent."""
    p = SHARED / "scenarios" / "demo.json"
    if p.exists():
        return p
    return REPO / "depot_gui" / "sandbox" / "scenarios" / "demo.json"


@pytest.fixture(scope="session")
def demo_scenario() -> Path:
    return shared_demo()


@pytest.fixture(autouse=True)
def no_publisher(monkeypatch, tmp_path_factory):
    """No build-time Xero client id unless a test sets one (a developer's env or build stays out)."""
    from depot_gui.store import publisher

    monkeypatch.delenv(publisher.ENV_CLIENT_ID, raising=False)
    missing = tmp_path_factory.mktemp("publisher") / publisher.PUBLISHER_FILE
    monkeypatch.setattr(publisher, "publisher_file", lambda: missing)
    return missing


@pytest.fixture(autouse=True)
def memory_keyring():
    """Every test gets a fresh in-memory keyring; nothing touches the OS keyring."""
    import keyring
    import keyring.backend
    import keyring.errors

    class MemoryKeyring(keyring.backend.KeyringBackend):
        priority = 1

        def __init__(self):
            super().__init__()
            self.data = {}

        def get_password(self, service, username):
            return self.data.get((service, username))

        def set_password(self, service, username, password):
            self.data[(service, username)] = password

        def delete_password(self, service, username):
            try:
                del self.data[(service, username)]
            except KeyError:
                raise keyring.errors.PasswordDeleteError(username) from None

    old = keyring.get_keyring()
    kr = MemoryKeyring()
    keyring.set_keyring(kr)
    yield kr
    keyring.set_keyring(old)
