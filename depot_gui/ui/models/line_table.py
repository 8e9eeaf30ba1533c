"""Line by line: each Autotask billing item next to the Xero line that would be sent."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from depot_gui.core.audit import AuditResult
from depot_gui.core.money import CENT, ZERO, fmt_money

from depot_gui.ui.resources import status_color
from depot_gui.ui.models import OBJECT_ROLE, RowsTableModel, SORT_ROLE

_Index = QModelIndex | QPersistentModelIndex
HEADERS = ("Item", "Autotask\nqty × rate", "Autotask\namount + tax", "Xero\nqty × unit", "Xero\namount + tax", "Check")
# A credit note's Xero lines as Xero holds them: positive, the document's type giving the sign.
CREDIT_HEADERS = HEADERS[:3] + ("Xero credit note\nqty × unit", "Xero credit note\namount + tax", "Check")
CREDIT_TIP = ("As the Xero credit note holds it: a credit note's lines are positive in Xero (the credit note "
              "itself takes the amount off); Autotask's columns keep Autotask's signs")
_NUMERIC = range(1, 5)
_GAP_CAUSES = ("lob_access", "items_pending")


@dataclass(frozen=True)
class LineRow:
    """One displayed row: a billing item, the missing-items gap, or the totals."""

    label: str
    values: tuple[Decimal | None, ...]  # qty, rate, amount, tax, xero qty, unit, amount, tax
    check: str  # text marker, readable without colour: "", "changed", "missing", "rounding", "total"
    item_id: int | None = None
    bold: bool = False
    note: str = ""


def _num(v: Decimal | None, money: bool) -> str:
    if v is None:
        return "—"
    if money:
        return fmt_money(v)
    return f"{v.normalize():f}"


def _times(qty: Decimal | None, rate: Decimal | None) -> str:
    if qty is None or rate is None:
        return "—"
    return f"{_num(qty, False)} × {_num(rate, False)}"


def _plus_tax(amount: Decimal | None, tax: Decimal | None) -> str:
    if amount is None:
        return "—"
    return fmt_money(amount) if tax is None else f"{fmt_money(amount)} + {fmt_money(tax)}"


def _cells(row: "LineRow") -> tuple[str, ...]:
    v = row.values
    return (row.label, _times(v[0], v[1]), _plus_tax(v[2], v[3]), _times(v[4], v[5]), _plus_tax(v[6], v[7]), row.check)


def is_credit(result: AuditResult | None) -> bool:
    """Whether Xero holds (or would hold) the result as a credit note: its Xero total is negative."""
    return result is not None and result.xero_total + result.rounding_line < 0


def _as_credit_note(values: tuple[Decimal | None, ...]) -> tuple[Decimal | None, ...]:
    """A line's Xero side as the credit note carries it (``XeroDraft.payload``): amounts negated, the
    quantity kept positive (a negative quantity moves its sign to the unit price, twice negated)."""
    qty, unit, amount, tax = values[4:]
    if qty is not None and unit is not None:
        qty, unit = (qty, -unit) if qty >= 0 else (-qty, unit)
    return values[:4] + (qty, unit, None if amount is None else -amount, None if tax is None else -tax)


def rows_for(result: AuditResult | None) -> list[LineRow]:
    """The rows for one audit result, with a 'not in the download' row when items are missing; a credit
    note's Xero side as Xero holds it (positive lines), Autotask's side as Autotask has it."""
    if result is None:
        return []
    credit = is_credit(result)
    rows: list[LineRow] = []
    seen = ZERO
    for ln in result.lines:
        if ln.note == "rounding line":
            check = "rounding line"
        elif ln.at_amount is None or ln.xero_amount is None:
            check = "missing in Xero" if ln.xero_amount is None else "added"
        else:
            check = "changed" if ln.changed else "ok"
        if ln.at_amount is not None:
            seen += ln.at_amount + (ln.at_tax or ZERO)
        values = (ln.at_quantity, ln.at_rate, ln.at_amount, ln.at_tax, ln.xero_quantity, ln.xero_unit, ln.xero_amount, ln.xero_tax)
        if credit:
            values = _as_credit_note(values)
        rows.append(LineRow(ln.label, values, check, ln.item_id, note=ln.note))
    missing = sum((c.amount for c in result.causes if c.code in _GAP_CAUSES), ZERO)
    if abs(missing) >= CENT:
        rows.append(
            LineRow(
                "Billing items Autotask did not return (incl. tax)",
                (None, None, missing, None, None, None, None, None), "missing",
            )
        )
    if result.lines:
        differs = result.status == "mismatch"
        held = result.xero_total + result.rounding_line
        rows.append(
            LineRow(
                "Total (incl. tax)" if credit else "Invoice total (incl. tax)",
                (None, None, result.autotask_total, None, None, None, -held if credit else held, None),
                "differs" if differs else "equal", bold=True,
            )
        )
    return rows


class LineComparisonModel(RowsTableModel):
    """Read-only table of `LineRow`s; changed and missing rows are tinted and marked in words."""

    headers = HEADERS
    right_aligned = frozenset(_NUMERIC)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[LineRow] = []

    def set_result(self, result: AuditResult | None) -> None:
        self.beginResetModel()
        self._rows = rows_for(result)
        credit = is_credit(result)
        self.headers = CREDIT_HEADERS if credit else HEADERS
        self.header_tips = {3: CREDIT_TIP, 4: CREDIT_TIP} if credit else {}
        self.endResetModel()

    def _flagged(self, row: LineRow) -> str | None:
        if row.check.startswith(("changed", "differs")) or row.check in ("missing", "missing in Xero", "added"):
            return "mismatch"
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row, c = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return _cells(row)[c]
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.note or _cells(row)[c]
        if role == SORT_ROLE:
            if c in _NUMERIC:
                v = row.values[(0, 2, 4, 6)[c - 1]]
                return float(v) if v is not None else 0.0
            return row.label if c == 0 else row.check
        if role == OBJECT_ROLE:
            return row.item_id
        if role == Qt.ItemDataRole.TextAlignmentRole and c in _NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole and self._flagged(row):
            return status_color("mismatch", 60)
        if role == Qt.ItemDataRole.FontRole and (row.bold or (c == len(HEADERS) - 1 and self._flagged(row))):
            font = QFont()
            font.setBold(True)
            return font
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
