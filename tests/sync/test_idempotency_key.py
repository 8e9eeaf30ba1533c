"""Every Idempotency-Key comes from core.idempotency: the same intent gives the same key in every
process and on every desk; a different target (our draft deleted, the draft edited, a retry round
after an unknown outcome) gives a different key.

A retry after a crash (a new process) that is the same intent must send the key the first try
sent; a random or per-process key fails here. A resend of the same content after the bookkeeper
deleted our draft must not: Xero would replay the old answer (a document that no longer exists).
"""

import os
import subprocess
import sys
from decimal import Decimal as D

from depot_gui.core.idempotency import create_key, round_of, update_key
from depot_gui.sync.session.session import Session

from ..conftest import DEMO_PATH, REPO

TENANT = "3f1c2a7e-5b0d-4c39-9a43-2f1e8d6b7c10"
PAYLOAD = {
    "Type": "ACCREC", "Contact": {"ContactID": "9a0b1c2d-0000-4000-8000-000000000100"}, "InvoiceNumber": "INV-5001",
    "Reference": "Autotask invoice 5001", "Status": "DRAFT", "LineAmountTypes": "Exclusive", "Date": "2026-11-01",
    "DueDate": "2026-11-15",
    "LineItems": [{"Description": "Managed Workstations x 25", "Quantity": D("25.0000"), "UnitAmount": D("45.0000"),
                   "AccountCode": "200", "TaxType": "OUTPUT"}],
}
DELETED = "0b7d5c2e-dead-4bee-8000-000000000001"
# "depot-inv-" + the first 40 hex of sha256 of the canonical JSON ["create", tenant, "Invoices",
# [[id, payload, deleted ids]]] (Decimals as text, keys sorted, no spaces), worked out by hand once
# from the literal text; a change here changes every key in flight.
KEY = "depot-inv-20d8c700a967bb2cd0976fa506406cb59a3768c4"
KEY_AFTER_DELETE = "depot-inv-d837b1acc71bd06026af43a731c4ff3a59b07c65"


def run_python(code: str, *args: str, seed: str) -> str:
    """Run ``code`` in a fresh interpreter (its own hash seed) at the repository root; its stdout."""
    env = dict(os.environ, PYTHONHASHSEED=seed)
    done = subprocess.run([sys.executable, "-c", code, *args], cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_same_invoice_and_content_give_the_same_key_in_every_process():
    code = ("from depot_gui.core.idempotency import create_key\n"
            "from tests.sync.test_idempotency_key import PAYLOAD, TENANT\n"
            "print(create_key(TENANT, 'Invoices', [(5001, PAYLOAD, ())]))")
    assert create_key(TENANT, "Invoices", [(5001, PAYLOAD, ())]) == KEY
    assert [run_python(code, seed=seed) for seed in ("1", "2")] == [KEY, KEY]


def test_a_deleted_draft_of_ours_makes_the_create_a_new_intent():
    assert create_key(TENANT, "Invoices", [(5001, PAYLOAD, (DELETED,))]) == KEY_AFTER_DELETE


def test_each_retry_round_has_its_own_key():
    assert create_key(TENANT, "Invoices", [(5001, PAYLOAD, ())], 1) == KEY + "-r1"
    assert create_key(TENANT, "Invoices", [(5001, PAYLOAD, ())], 2) == KEY + "-r2"
    assert round_of(KEY, []) == 0
    assert round_of(KEY, [KEY]) == 1
    assert round_of(KEY, [KEY, KEY, KEY + "-r1", "depot-inv-other"]) == 2


def test_an_update_names_the_version_it_overwrites():
    first = update_key(TENANT, 5001, "inv-1", "/Date(1700000000000+0000)/", PAYLOAD)
    assert first == update_key(TENANT, 5001, "inv-1", "/Date(1700000000000+0000)/", PAYLOAD)
    assert first != update_key(TENANT, 5001, "inv-1", "/Date(1700000060000+0000)/", PAYLOAD)  # edited in Xero since
    assert first.startswith("depot-upd-") and len(first) == len("depot-upd-") + 40


def test_a_change_of_content_tenant_invoice_or_kind_changes_the_key():
    changed = dict(PAYLOAD, LineItems=[dict(PAYLOAD["LineItems"][0], UnitAmount=D("45.0100"))])
    keys = {KEY, create_key(TENANT, "Invoices", [(5001, changed, ())]),
            create_key(TENANT, "Invoices", [(5002, PAYLOAD, ())]),
            create_key("another-tenant", "Invoices", [(5001, PAYLOAD, ())]),
            create_key(TENANT, "Invoices", [(5001, dict(PAYLOAD, Status="AUTHORISED"), ())]),
            create_key(TENANT, "CreditNotes", [(5001, PAYLOAD, ())])}
    assert len(keys) == 6


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
        sent = [r for r in s.sandbox.state()["requests"] if r["method"] == "PUT" and r["path"].endswith("/Invoices")]
    elsewhere = [run_python(SYNC, str(tmp_path / f"p{seed}"), str(DEMO_PATH), seed=seed) for seed in ("3", "4")]
    assert elsewhere == [attempt.idempotency_key, attempt.idempotency_key]
    assert attempt.idempotency_key.startswith("depot-inv-") and len(attempt.idempotency_key) == 50
    assert len(sent) == 1
