"""Fixtures for driving real, unmodified third-party clients against the sandbox on loopback.

Each client is pointed at ``Sandbox.open(scenario).serve()`` (a real HTTP server on 127.0.0.1, any free
port) with only its host / base URL changed, as /work/shared/reference/clients.md describes.
"""

from __future__ import annotations

import pytest

from depot_gui.sandbox import Sandbox

from ..conftest import DEMO_PATH, SCENARIOS


@pytest.fixture
def serve():
    """``serve(scenario_path=demo, **options)`` → (sandbox, base_url); every server is shut down after the test."""
    started = []

    def start(scenario=None, **options):
        sandbox = Sandbox.open(scenario or DEMO_PATH, **options)
        server = sandbox.serve("127.0.0.1", 0)
        started.append(server)
        return sandbox, server.base_url

    yield start
    for server in started:
        server.shutdown()


@pytest.fixture
def paging_scenario():
    """One invoice with 1,250 billing items."""
    return SCENARIOS / "paging.json"
