"""The store's shared types: its error, its timestamp format and the rows it hands out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone


class StoreError(RuntimeError):
    """The local database cannot be used (disk full, locked, newer schema)."""


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass(frozen=True)
class InvoiceRow:
    """The local view of one invoice (what `status` and the table show)."""

    autotask_id: int
    invoice_number: str
    company: str
    invoice_date: str | None
    autotask_total: str
    xero_total: str
    difference: str
    rounding_line: str
    status: str
    causes: list[str]
    explanation: str
    xero_invoice_id: str | None
    xero_status: str | None
    synced_at: str | None
    voided: bool
    audited_at: str


@dataclass(frozen=True)
class SyncAttempt:
    id: int
    autotask_id: int
    invoice_number: str
    idempotency_key: str
    started_at: str
    finished_at: str | None
    state: str
    action: str
    request: dict
    response: dict
    message: str
    xero_invoice_id: str | None
    actor: str

