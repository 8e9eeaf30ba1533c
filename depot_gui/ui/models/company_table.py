"""The companies of the invoices here and the Xero contact each one's invoices go to (or would)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt

from depot_gui.sync.contacts.desk import STATES, CompanyContact

from depot_gui.ui.models import OBJECT_ROLE, RowsTableModel, SORT_ROLE, refilter

_Index = QModelIndex | QPersistentModelIndex
_STATE_RANK = {s: i for i, s in enumerate(STATES)}  # choose, new, broken first: they need a look


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


class CompanyContactModel(RowsTableModel):
    """Rows of CompanyContact; SORT_ROLE raw values, OBJECT_ROLE the row."""

    headers = ("Company", "Account number", "Xero contact", "Close contacts", "Waiting invoices")
    right_aligned = frozenset({3})
    header_tips = {
        2: "Which Xero contact this company's invoices go to, or why they wait.",
        3: "Existing Xero contacts close to the company's name or account number.",
        4: "This company's invoices here that are not in Xero yet.",
    }

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        r, c = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (r.company_name, r.company_number or "—", _sentence(r.summary()), str(len(r.candidates)),
                    ", ".join(r.invoices) or "—")[c]
        if role == Qt.ItemDataRole.ToolTipRole and c == 2:
            return r.message or r.summary()
        if role == SORT_ROLE:
            return (r.company_name.casefold(), r.company_number.casefold(), f"{_STATE_RANK.get(r.state, 99):02d} {r.summary()}",
                    len(r.candidates), len(r.invoices))[c]
        if role == OBJECT_ROLE:
            return r
        if role == Qt.ItemDataRole.TextAlignmentRole and c in self.right_aligned:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class CompanyContactProxy(QSortFilterProxyModel):
    """Sorts on SORT_ROLE; shows only unlinked companies (by default) and those matching the search."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.unlinked_only = True
        self._text = ""

    def set_search(self, text: str) -> None:
        self._text = text.strip().casefold()
        refilter(self)

    def set_unlinked_only(self, on: bool) -> None:
        self.unlinked_only = on
        refilter(self)

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:  # noqa: N802 - Qt naming
        model = self.sourceModel()
        row = model.index(source_row, 0, source_parent).data(OBJECT_ROLE) if model is not None else None
        if not isinstance(row, CompanyContact):
            return True
        if self.unlinked_only and not row.unlinked:
            return False
        text = self._text
        return not text or any(text in s.casefold() for s in (row.company_name, row.company_number, row.contact_name,
                                                               *row.invoices, *(c.name for c in row.candidates)))


__all__ = ["CompanyContactModel", "CompanyContactProxy"]
