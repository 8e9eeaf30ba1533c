"""File › Xero organisations…: every company invoiced here and the Xero organisation its invoices go to."""

from __future__ import annotations

from PySide6.QtCore import QSize, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDialog, QDialogButtonBox, QHeaderView, QLabel, QTableWidget, QTableWidgetItem,
    QVBoxLayout, QWidget,
)

from depot_gui.ui.window.geometry import place_first

COMPANY, ORGANISATION = 0, 1


class RoutingDialog(QDialog):
    """A row per company (id, name, tenant id it goes to) with a combo of the organisations it may go to
    (the default marked); Save hands the changed rows on.

    Args:
        organisations: (tenant id, name) of the organisations in use.
        default: the default organisation's tenant id.
        rows: (Autotask company id, name, tenant id) per company.

    Signals:
        save_requested(object): a dict, {company id: tenant id} of the rows changed.
    """

    save_requested = Signal(object)

    def __init__(self, organisations: list[tuple[str, str]], default: str, rows: list[tuple[int, str, str]],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("routing")
        self.setWindowTitle("Xero organisations")
        names = dict(organisations)
        layout = QVBoxLayout(self)
        if len(organisations) > 1:
            intro = (f"A company's invoices go to the default organisation, {names.get(default, default)}, unless "
                     "you choose another here. Saving checks the invoices again at once, so each shows the "
                     "organisation it goes to.")
        else:
            intro = (f"Only one Xero organisation is in use ({names.get(default, default)}): every invoice goes to "
                     "it. To use another, tick it in the setup (Settings › Connections › Reconnect…).")
        self.intro = QLabel(intro)
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        self.table = QTableWidget(len(rows), 2)
        self.table.setHorizontalHeaderLabels(["Autotask company", "Xero organisation"])
        self.table.setAccessibleName("Companies and their Xero organisation")
        self.table.verticalHeader().hide()
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(COMPANY, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(ORGANISATION, QHeaderView.ResizeMode.Stretch)
        self.rows = rows
        self.combos: dict[int, QComboBox] = {}
        for i, (company_id, name, tenant) in enumerate(rows):
            item = QTableWidgetItem(name or f"Company {company_id}")
            item.setToolTip(f"Autotask company id {company_id}")
            self.table.setItem(i, COMPANY, item)
            combo = QComboBox()
            combo.setAccessibleName(f"Xero organisation of {name}")
            for t, n in organisations:
                combo.addItem(f"{n} (default)" if t == default else n, t)
            if combo.findData(tenant) < 0:  # routed to an organisation no longer in use
                combo.addItem(f"{tenant} (not in use)", tenant)
            combo.setCurrentIndex(combo.findData(tenant))
            combo.setEnabled(len(organisations) > 1)
            combo.currentIndexChanged.connect(self._on_combo_changed)
            self.table.setCellWidget(i, ORGANISATION, combo)
            self.combos[company_id] = combo
        layout.addWidget(self.table, 1)
        self.state = QLabel("No company invoiced yet: refresh first." if not rows else "")
        self.state.setWordWrap(True)
        self.state.setVisible(not rows)
        layout.addWidget(self.state)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self._on_save_clicked)
        self.buttons.rejected.connect(self.reject)
        self._on_combo_changed()
        place_first(self, QSize(640, 420))

    def changes(self) -> dict[int, str]:
        """{company id: tenant id} of the rows whose organisation was changed here."""
        before = {cid: tenant for cid, _, tenant in self.rows}
        return {cid: combo.currentData() for cid, combo in self.combos.items() if combo.currentData() != before[cid]}

    def _on_combo_changed(self, _index: int = 0) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(bool(self.changes()))

    def _on_save_clicked(self) -> None:
        changes = self.changes()
        if changes:
            self.save_requested.emit(changes)
        self.accept()
