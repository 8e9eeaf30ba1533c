"""The contacts a company's invoices could go to: the close ones, or what a search of the directory found."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from depot_gui.core.models import XeroContact

from depot_gui.ui.models import OBJECT_ROLE, RowsTableModel, SORT_ROLE

_Index = QModelIndex | QPersistentModelIndex
SEARCHED = "found by your search"
MAX_FOUND = 200  # a search shows at most this many contacts that are not close (type more to narrow)


@dataclass(frozen=True)
class ContactOption:
    """One row of the chooser: an active Xero contact and why it is offered."""

    contact_id: str
    name: str
    account_number: str
    why: str
    rank: int  # the engine's order for the close ones, then the search's

    def contact(self) -> XeroContact:
        return XeroContact(self.contact_id, self.name, self.account_number)


def close_options(candidates: Iterable[dict]) -> list[ContactOption]:
    """The engine's close contacts (``contact_choice`` candidates or Candidate.to_json()), in its order."""
    return [ContactOption(str(c["contact_id"]), str(c["name"]), str(c.get("account_number") or ""),
                          str(c.get("reason") or ""), i) for i, c in enumerate(candidates)]


def search_options(close: list[ContactOption], directory: list[XeroContact], text: str) -> tuple[list[ContactOption], int]:
    """The close contacts, then (when ``text`` is given) every active contact whose name or account
    number contains it; with how many more matched than are shown."""
    needle = text.strip().casefold()
    if not needle:
        return list(close), 0
    hit = [o for o in close if needle in o.name.casefold() or needle in o.account_number.casefold()]
    seen = {o.contact_id for o in close}
    found = [c for c in directory if c.contact_id not in seen
             and (needle in c.name.casefold() or needle in c.account_number.casefold())]
    shown = [ContactOption(c.contact_id, c.name, c.account_number, SEARCHED, len(close) + i)
             for i, c in enumerate(found[:MAX_FOUND])]
    return hit + shown, max(0, len(found) - MAX_FOUND)


class ContactOptionModel(RowsTableModel):
    """Rows of ContactOption; SORT_ROLE raw values, OBJECT_ROLE the option."""

    headers = ("Name", "Account number", "Why offered")

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        o, c = self._rows[index.row()], index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return (o.name, o.account_number or ("—" if role == Qt.ItemDataRole.DisplayRole else None), o.why)[c]
        if role == SORT_ROLE:
            return (o.name.casefold(), o.account_number.casefold(), o.rank)[c]
        if role == OBJECT_ROLE:
            return o
        return None


__all__ = ["ContactOption", "ContactOptionModel", "SEARCHED", "close_options", "search_options"]
