"""The sync history of one invoice: audits and Xero write attempts, oldest first."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from depot_gui.core.diagnosis import TITLES
from depot_gui.core.money import fmt_money
from depot_gui.store.db import SyncAttempt

from depot_gui.ui.resources import local_time, status_icon, status_text
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


@dataclass(frozen=True)
class HistoryRow:
    when: str
    what: str
    result: str
    details: str
    status: str = ""
    xero_invoice_id: str | None = None


def _money(text) -> str:
    try:
        return fmt_money(Decimal(str(text)))
    except (InvalidOperation, ValueError):
        return str(text)


def history_rows(audits: list[dict], attempts: list[SyncAttempt]) -> list[HistoryRow]:
    rows = []
    for a in audits:
        causes = "; ".join(TITLES.get(c, c) for c in a.get("causes") or [])
        details = f"Difference {_money(a.get('difference'))}" + (f" — {causes}" if causes else "")
        rows.append(HistoryRow(a["at"], "Checked against Autotask", status_text(a["status"]), details, a["status"]))
    for t in attempts:
        what = {"create": "Sent to Xero", "update": "Updated in Xero", "link": "Linked to a Xero document",
                "found": "Looked up in Xero", "email": "Emailed from Xero", "mark_sent": "Marked as sent in Xero"}.get(
            t.action, t.action)
        details = t.message + (f" (Xero id {t.xero_invoice_id})" if t.xero_invoice_id else "")
        rows.append(
            HistoryRow(t.started_at, what, _STATE_TEXT.get(t.state, t.state), details, _STATE_STATUS.get(t.state, ""), t.xero_invoice_id)
        )
    rows.sort(key=lambda r: r.when)
    return rows


class HistoryModel(RowsTableModel):
    """Read-only table of `HistoryRow`s."""

    headers = HEADERS

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[HistoryRow] = []

    def set_history(self, audits: list[dict], attempts: list[SyncAttempt]) -> None:
        self.beginResetModel()
        self._rows = history_rows(audits, attempts)
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
            return status_icon(row.status)
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
