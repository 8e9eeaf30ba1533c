"""The Idempotency-Key is a function of tenant + Autotask invoice + content: the same in every process.

A retry after a crash (a new process) must send the key the first try sent, or Xero cannot
recognise the replay and a second invoice is created. A random or per-process key fails here.
"""

import os
import subprocess
import sys
from decimal import Decimal as D
from pathlib import Path

from depot_gui.sync.session.session import Session
from depot_gui.sync.invoices.syncer import idempotency_key

from ..conftest import DEMO_PATH, REPO

TENANT = "3f1c2a7e-5b0d-4c39-9a43-2f1e8d6b7c10"
PAYLOAD = {
    "Type": "ACCREC", "Contact": {"ContactID": "9a0b1c2d-0000-4000-8000-000000000100"}, "InvoiceNumber": "INV-5001",
    "Reference": "Autotask invoice 5001", "Status": "DRAFT", "LineAmountTypes": "Exclusive", "Date": "2026-11-01",
    "DueDate": "2026-11-15",
    "LineItems": [{"Description": "Managed Workstations x 25", "Quantity": D("25.0000"), "UnitAmount": D("45.0000"),
                   "AccountCode": "200", "TaxType": "OUTPUT"}],
}
# "depot-<id>-" + the first 40 hex of sha256 of the canonical JSON [tenant, id, payload] (Decimals as text),
# worked out by hand once; a change here changes every key in flight (a retry would no longer be recognised).
KEY = "depot-5001-f053d90215e4d14c3a21413f49d109f3889ce9a5"


def run_python(code: str, *args: str, seed: str) -> str:
    """Run ``code`` in a fresh interpreter (its own hash seed) at the repository root; its stdout."""
    env = dict(os.environ, PYTHONHASHSEED=seed)
    done = subprocess.run([sys.executable, "-c", code, *args], cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_same_invoice_and_content_give_the_same_key_in_every_process():
    code = ("from depot_gui.sync.invoices.syncer import idempotency_key\n"
            "from tests.sync.test_idempotency_key import PAYLOAD, TENANT\n"
            "print(idempotency_key(TENANT, 5001, PAYLOAD))")
    assert idempotency_key(TENANT, 5001, PAYLOAD) == KEY
    assert [run_python(code, seed=seed) for seed in ("1", "2")] == [KEY, KEY]


def test_a_change_of_content_tenant_or_invoice_changes_the_key():
    changed = dict(PAYLOAD, LineItems=[dict(PAYLOAD["LineItems"][0], UnitAmount=D("45.0100"))])
    keys = {KEY, idempotency_key(TENANT, 5001, changed), idempotency_key(TENANT, 5002, PAYLOAD),
            idempotency_key("another-tenant", 5001, PAYLOAD),
            idempotency_key(TENANT, 5001, dict(PAYLOAD, Status="AUTHORISED"))}
    assert len(keys) == 5


SYNC = """
import sys
from pathlib import Path
from depot_gui.sync.session.session import Session
with Session.open(Path(sys.argv[1]), Path(sys.argv[2])) as s:
    [o] = s.syncer().sync(["INV-5001"])
    assert o.ok, o.message
    print(s.store.attempts.all()[0].idempotency_key)
"""


def test_a_sync_in_a_new_process_sends_the_same_key(tmp_path):
    """Through the real path: the key the syncer records (and sends) for INV-5001 on the demo tenant."""
    with Session.open(tmp_path / "here", DEMO_PATH) as s:
        [o] = s.syncer().sync(["INV-5001"])
        assert o.ok, o.message
        [attempt] = s.store.attempts.all()
    elsewhere = [run_python(SYNC, str(tmp_path / f"p{seed}"), str(DEMO_PATH), seed=seed) for seed in ("3", "4")]
    assert elsewhere == [attempt.idempotency_key, attempt.idempotency_key]
    assert attempt.idempotency_key.startswith("depot-5001-") and len(attempt.idempotency_key) == 51
