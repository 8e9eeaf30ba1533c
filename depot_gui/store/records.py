"""The store's shared types: its error, its timestamp format and the rows it hands out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone


class StoreError(RuntimeError):
    """The local database cannot be used (disk full, locked, newer schema)."""


class StoreLocked(StoreError):
    """Another program holds the database's write lock longer than we wait."""


class StoreDamaged(StoreError):
    """The database file is damaged (pages, schema, version or a row): keep it aside and rebuild.

    ``str()`` is one sentence naming the file, what is wrong and the way back (``depot-sync repair``).
    """

    def __init__(self, path: str, problem: str) -> None:
        self.path = str(path)
        self.problem = problem
        super().__init__(
            f"the local database {self.path} is damaged ({problem}). Run `depot-sync repair` (or Repair local "
            "database in the window): it keeps the damaged file aside and rebuilds the invoice states from "
            "Autotask and Xero."
        )
        # The window's wording: plain words, no file names, SQLite's words or command lines (str() has
        # those, and goes to the log and Help › Copy diagnostics).
        self.user_message = (
            "Depot GUI's local database is damaged and cannot be read; use File › Repair local database, which "
            "keeps the damaged file aside and rebuilds the invoice states from the newest backup, Autotask and Xero."
        )

    def __reduce__(self):
        """Pickled as made (a sync child reports it to the window as this, not as a generic error)."""
        return (type(self), (self.path, self.problem))


class BadStoredSetting(StoreError):
    """A setting stored in the database does not parse: say which and how to set it again."""

    def __init__(self, key: str, value: str, problem: str) -> None:
        self.key, self.value, self.problem = key, value, problem
        super().__init__(
            f"the stored setting {key} = {value[:40]!r} is not valid ({problem}); set it again with "
            f"`depot-sync settings set {key} VALUE` or in Settings"
        )

    def __reduce__(self):
        return (type(self), (self.key, self.value, self.problem))


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
    unchecked: tuple[str, ...] = ()  # checks the last audit could not run
    # Payments back (issue 14): "paid", "part_paid", "overdue", "unpaid", or None when unknown
    # (never checked, or the Xero document no longer asks for money). From the payments table.
    payment_state: str | None = None
    currency: str = ""  # ISO code of the amounts ("" before the audit that knew it)
    organisation: str = ""  # the Xero organisation it goes (or went) to
    warnings: tuple[str, ...] = ()  # the last audit's mapping warnings (a tax rate Xero lacks, ...)
    # Finishing the month (issue 24, the finishing table): how it was sent from Xero ("email", "mark_sent",
    # "" = not sent by Depot GUI) and the Xero online invoice address once known.
    sent_how: str = ""
    online_url: str | None = None


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

