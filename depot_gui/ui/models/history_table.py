"""The sync history of one invoice: audits and Xero write attempts, oldest first."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from depot_gui.core.contacts import CHOOSE_LABEL
from depot_gui.core.diagnosis import TITLES
from depot_gui.core.money import fmt_money
from depot_gui.store.db import CHOICE_CODE, SyncAttempt

from depot_gui.ui.resources import icon, local_time, status_icon, status_text
from depot_gui.ui.models import OBJECT_ROLE, RowsTableModel, SORT_ROLE

_Index = QModelIndex | QPersistentModelIndex
HEADERS = ("When", "What", "Result", "Details")
_STATE_TEXT = {
    "intent": "Sent, no answer yet",
    "unknown": "No answer from Xero",
    "created": "Created in Xero",
    "updated": "Updated in Xero",
    "exists": "Already in Xero",
    "failed": "Failed",
    "reconciled": "Found in Xero",
    "linked": "Linked",
    "found": "Found in Xero, created by another desk",
    "unverified": "Xero's answer did not show what was sent",
    "sent": "Sent",
    "refused": "Not sent",
    "limit": "Not sent: daily email limit",
}
_STATE_STATUS = {"created": "synced", "updated": "synced", "reconciled": "synced", "exists": "synced", "failed": "error",
                 "linked": "synced", "found": "synced", "unverified": "error", "sent": "synced", "refused": "error",
                 "limit": "error"}


CHOICE_LOOK = "choose"  # HistoryRow.status of an audit that waited for a contact choice (amber question mark)


@dataclass(frozen=True)
class HistoryRow:
    when: str
    what: str
    result: str
    details: str
    status: str = ""
    xero_invoice_id: str | None = None


def _money(text, currency: str = "") -> str:
    try:
        return fmt_money(Decimal(str(text)), currency)
    except (InvalidOperation, ValueError):
        return str(text)


def _audit_row(a: dict, currency: str) -> HistoryRow:
    codes = a.get("causes") or []
    causes = "; ".join(TITLES.get(c, c) for c in codes if c != CHOICE_CODE)
    details = f"Difference {_money(a.get('difference'), currency)}" + (f" — {causes}" if causes else "")
    if CHOICE_CODE in codes:  # a question for the user, not a failure: a neutral look, never the red Error
        return HistoryRow(a["at"], "Checked against Autotask", CHOOSE_LABEL,
                          "Waits until you choose its company's Xero contact", CHOICE_LOOK)
    return HistoryRow(a["at"], "Checked against Autotask", status_text(a["status"]), details, a["status"])


def _document(t: SyncAttempt) -> str:
    """The Xero document an attempt is about, by type and number (never Xero's raw id)."""
    kind = "credit note" if "CreditNoteNumber" in (t.request or {}) else "invoice"
    return f"Xero {kind} {t.invoice_number}"


def _collapsed(rows: list[HistoryRow]) -> list[HistoryRow]:
    """Consecutive identical entries (every refresh checks again) as one, the latest time, with the count."""
    out: list[tuple[HistoryRow, int]] = []
    for row in rows:
        if out and (out[-1][0].what, out[-1][0].result, out[-1][0].details) == (row.what, row.result, row.details):
            out[-1] = (row, out[-1][1] + 1)
        else:
            out.append((row, 1))
    return [r if n == 1 else replace(r, details=f"{r.details} (the same {n} times in a row)") for r, n in out]


def history_rows(audits: list[dict], attempts: list[SyncAttempt], currency: str = "") -> list[HistoryRow]:
    """Audits and attempts, oldest first; amounts with ``currency``; repeats collapsed."""
    rows = [_audit_row(a, currency) for a in audits]
    for t in attempts:
        what = {"create": "Sent to Xero", "update": "Updated in Xero", "link": "Linked to a Xero document",
                "found": "Looked up in Xero", "email": "Emailed from Xero", "mark_sent": "Marked as sent in Xero"}.get(
            t.action, t.action)
        details = t.message or _document(t)
        rows.append(
            HistoryRow(t.started_at, what, _STATE_TEXT.get(t.state, t.state), details, _STATE_STATUS.get(t.state, ""), t.xero_invoice_id)
        )
    rows.sort(key=lambda r: r.when)
    return _collapsed(rows)


class HistoryModel(RowsTableModel):
    """Read-only table of `HistoryRow`s."""

    headers = HEADERS

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[HistoryRow] = []

    def set_history(self, audits: list[dict], attempts: list[SyncAttempt], currency: str = "") -> None:
        self.beginResetModel()
        self._rows = history_rows(audits, attempts, currency)
        self.endResetModel()

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row, c = self._rows[index.row()], index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return (local_time(row.when), row.what, row.result, row.details)[c]
        if role == SORT_ROLE:
            return (row.when, row.what, row.result, row.details)[c]
        if role == OBJECT_ROLE:
            return row.xero_invoice_id
        if role == Qt.ItemDataRole.DecorationRole and c == 2 and row.status:
            return icon("status-choose") if row.status == CHOICE_LOOK else status_icon(row.status)
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
