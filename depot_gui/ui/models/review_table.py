"""What a settings change would do: each affected invoice before and after (status, totals, lines)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from depot_gui.core.audit import AuditResult, LineComparison
from depot_gui.core.money import fmt_money

from depot_gui.ui.resources import status_icon, status_text
from depot_gui.ui.models import OBJECT_ROLE, RowsTableModel, SORT_ROLE

_Index = QModelIndex | QPersistentModelIndex
HEADERS = ("Invoice", "Company", "Now", "With the setting", "What changes")


@dataclass(frozen=True)
class ReviewRow:
    autotask_id: int
    number: str
    company: str
    before_status: str
    before_total: str
    after_status: str
    after_total: str
    changes: tuple[str, ...]


def _line_text(ln: LineComparison) -> str:
    if ln.xero_amount is None:
        return "not sent"
    qty = f"{ln.xero_quantity.normalize():f}" if ln.xero_quantity is not None else "?"
    unit = fmt_money(ln.xero_unit) if ln.xero_unit is not None else "?"
    return f"{qty} × {unit} = {fmt_money(ln.xero_amount)}"


def review_rows(before: dict[int, AuditResult], after: list[AuditResult]) -> list[ReviewRow]:
    """Invoices whose Xero lines, total or status would change."""
    rows = []
    for new in after:
        old = before.get(new.autotask_id)
        old_lines = {ln.item_id: ln for ln in (old.lines if old else ()) if ln.item_id is not None}
        changes = []
        for ln in new.lines:
            prev = old_lines.get(ln.item_id) if ln.item_id is not None else None
            if prev is not None and (prev.xero_quantity, prev.xero_unit, prev.xero_amount) != (ln.xero_quantity, ln.xero_unit, ln.xero_amount):
                changes.append(f"'{ln.label}': {_line_text(prev)} → {_line_text(ln)}")
        old_total = old.xero_total + old.rounding_line if old else None
        new_total = new.xero_total + new.rounding_line
        status_changed = old is None or old.status != new.status
        if not changes and not status_changed and old_total == new_total:
            continue
        cur = new.currency  # every amount with its currency
        if old_total != new_total:
            changes.append(
                f"Xero total {fmt_money(old_total, cur) if old_total is not None else '—'} → "
                f"{fmt_money(new_total, cur)} (Autotask {fmt_money(new.autotask_total, cur)})"
            )
        rows.append(
            ReviewRow(
                new.autotask_id, new.invoice_number, new.company,
                old.status if old else "", fmt_money(old_total, cur) if old_total is not None else "—",
                new.status, fmt_money(new_total, cur), tuple(changes) or ("Status only",),
            )
        )
    return rows


class ReviewModel(RowsTableModel):
    """Read-only table of `ReviewRow`s."""

    headers = HEADERS

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[ReviewRow] = []

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row, c = self._rows[index.row()], index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return (
                row.number, row.company,
                f"{status_text(row.before_status)}, Xero total {row.before_total}" if row.before_status else "not checked yet",
                f"{status_text(row.after_status)}, Xero total {row.after_total}",
                "\n".join(row.changes),
            )[c]
        if role == SORT_ROLE:
            return (row.number, row.company, row.before_status, row.after_status, " ".join(row.changes))[c]
        if role == OBJECT_ROLE:
            return row.autotask_id
        if role == Qt.ItemDataRole.DecorationRole and c in (2, 3):
            status = row.before_status if c == 2 else row.after_status
            return status_icon(status) if status else None
        return None
