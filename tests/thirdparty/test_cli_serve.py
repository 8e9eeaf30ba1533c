"""The exact setup of the project rule: both real clients against ``depot-sync sandbox serve`` (a separate
process), with only their host changed."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal

import pytest

from ..conftest import DEMO_PATH
from . import test_django_autotask as dj
from .test_xero_python import TENANT, Xero, draft, line


@pytest.fixture
def served_cli():
    proc = subprocess.Popen([sys.executable, "-m", "depot_gui.cli.commands", "sandbox", "serve", "--scenario",
                             str(DEMO_PATH), "--port", "0"], stdout=subprocess.PIPE, text=True)
    try:
        base = json.loads(proc.stdout.readline())["base_url"]
        yield base
    finally:
        proc.terminate()
        proc.wait(10)


def test_both_clients_against_depot_sync_sandbox_serve(served_cli):
    x = Xero(served_cli)
    assert [c.tenant_id for c in x.identity.get_connections()] == [TENANT]
    inv = x.accounting.create_invoices(TENANT, draft("CLI-1", line("Seat", 3, Decimal("33.3333"))),
                                       idempotency_key="cli-1", unitdp=4).invoices[0]
    assert inv.total == Decimal("110.00")

    dj.settings.AUTOTASK_SERVER_URL = served_cli + "/atservicesrest/"
    dj.cache.clear()
    try:
        lines = dj.query(dj.api.BillingItemsAPIClient(), dj.A(op="eq", field="invoiceID", value=5001))
        assert dj.ids(lines) == [9001, 9002]
    finally:
        dj.cache.clear()
