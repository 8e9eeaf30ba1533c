"""Fixtures for the sandbox tests."""

from __future__ import annotations

import pytest

from depot_gui.sandbox import Sandbox

from .helpers import AT_HEADERS, DEMO, client, connect, xero_headers


@pytest.fixture
def demo():
    """The demo scenario in memory."""
    return Sandbox.open(DEMO)


@pytest.fixture
def at(demo):
    """(sandbox, client with Autotask credentials) on the demo scenario."""
    c = client(demo, headers=AT_HEADERS)
    yield demo, c
    c.close()


@pytest.fixture
def xero(demo):
    """(sandbox, client with a live Xero token and the tenant header) on the demo scenario."""
    c = client(demo)
    tokens = connect(c)
    c.headers.update(xero_headers(tokens["access_token"]))
    yield demo, c
    c.close()
