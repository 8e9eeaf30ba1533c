"""Fixtures for the setup wizard: sandbox-backed flows, scenarios, a fake browser, disk greps."""

from __future__ import annotations

import json
from pathlib import Path

import httpx2
import pytest

from depot_gui.sandbox import Sandbox
from depot_gui.store.db import Store
from depot_gui.store.secrets import SecretStore
from depot_gui.sync.session.connections import SANDBOX_ROOT
from depot_gui.sync.setup import Endpoints, SetupFlow, sandbox_browser

from tests.conftest import DEMO_PATH

DEMO = json.loads(DEMO_PATH.read_text())
USER = DEMO["autotask"]["apiUser"]["userName"]
SECRET = DEMO["autotask"]["apiUser"]["secret"]
CODE = DEMO["autotask"]["apiUser"]["integrationCode"]
CLIENT_ID = DEMO["xero"]["clientId"]


@pytest.fixture
def unrestricted_scenario(tmp_path, demo_scenario) -> Path:
    """The demo scenario with the API user tied to no line of business (sees them all)."""
    data = json.loads(Path(demo_scenario).read_text())
    data["autotask"]["entities"].pop("OrganizationalResources", None)
    path = tmp_path / "unrestricted.json"
    path.write_text(json.dumps(data))
    return path


@pytest.fixture
def data_dir(tmp_path) -> Path:
    d = tmp_path / "data"
    d.mkdir()
    return d


@pytest.fixture
def config_dir(tmp_path, monkeypatch) -> Path:
    """A temp XDG config/data home so anything Qt or platformdirs writes lands where the test greps."""
    d = tmp_path / "config"
    d.mkdir()
    monkeypatch.setenv("XDG_CONFIG_HOME", str(d))
    monkeypatch.setenv("XDG_DATA_HOME", str(d / "share"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(d / "cache"))
    return d


@pytest.fixture
def store(data_dir):
    s = Store(data_dir / "depot.sqlite3")
    yield s
    s.close()


def make_endpoints(sandbox: Sandbox) -> Endpoints:
    return Endpoints.single_root(SANDBOX_ROOT, sandbox.transport(), default_client_id=CLIENT_ID)


@pytest.fixture
def sandbox(demo_scenario):
    sb = Sandbox.open(demo_scenario)
    yield sb
    sb.close()


@pytest.fixture
def open_sandbox():
    """Factory: a sandbox for any scenario path (closed after the test)."""
    opened = []

    def make(path) -> Sandbox:
        sb = Sandbox.open(path)
        opened.append(sb)
        return sb

    yield make
    for sb in opened:
        sb.close()


@pytest.fixture
def flow(sandbox, store) -> SetupFlow:
    f = SetupFlow(store, SecretStore(), make_endpoints(sandbox))
    f.port = 0  # any free port: tests run in parallel with other processes
    return f


@pytest.fixture
def browser(sandbox):
    """A fake system browser: GET the authorize URL on the sandbox, follow the redirect to loopback."""
    visited: list[str] = []
    open_url = sandbox_browser(sandbox.transport())

    def visit(url: str) -> None:
        visited.append(url)
        open_url(url)

    visit.visited = visited  # type: ignore[attr-defined]
    return visit


def offline_endpoints(exc: Exception) -> Endpoints:
    """Endpoints whose every request fails before an HTTP answer (network down, proxy, TLS)."""

    def fail(request: httpx2.Request) -> httpx2.Response:
        raise exc

    return Endpoints(transport=httpx2.MockTransport(fail), sleep=lambda s: None)


def grep_tree(root: Path, needles: list[str]) -> list[tuple[Path, str]]:
    """(file, needle) for every needle found in any file under root (bytes, also UTF-16/base64 forms)."""
    import base64

    found = []
    for path in root.rglob("*"):
        if not path.is_file():
            continue
        blob = path.read_bytes()
        for needle in needles:
            forms = [needle.encode(), needle.encode("utf-16-le"), base64.b64encode(needle.encode())]
            if any(f in blob for f in forms):
                found.append((path, needle))
    return found


@pytest.fixture
def make_wizard(qtbot):
    """Factory: a shown SetupWizard for a flow; waits for background work at the end of the test."""
    from PySide6.QtCore import QThreadPool

    from depot_gui.ui.wizard import SetupWizard

    def make(flow: SetupFlow, **kw) -> SetupWizard:
        wizard = SetupWizard(flow, **kw)
        qtbot.addWidget(wizard)
        wizard.show()
        return wizard

    yield make
    QThreadPool.globalInstance().waitForDone(10000)
