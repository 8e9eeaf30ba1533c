"""File › Account and tax mapping…: one Xero organisation's account and tax mapping, seen and changed.

Two tables: each Autotask billing code with a combo of the organisation's accounts, each Autotask tax
percentage with a combo of its sales tax rates. With more than one organisation a chooser on top asks for
another one's mapping (read in the background by the caller, then shown by ``load``); changes not saved are
saved or dropped only after asking.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHeaderView, QLabel, QMessageBox,
    QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from depot_gui.sync.mapping.org_mapping import OrgMappingForm

from depot_gui.ui.window.geometry import place_first

NOT_CHOSEN_ACCOUNT = "Not chosen: its external number, else the default account"
NOT_CHOSEN_TAX = "Not chosen: the tax rate of the same percentage"


def _table(headers: list[str], name: str) -> QTableWidget:
    table = QTableWidget(0, 2)
    table.setHorizontalHeaderLabels(headers)
    table.setAccessibleName(name)
    table.verticalHeader().hide()
    table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
    return table


def _combo(table: QTableWidget, row: int, label: str, accessible: str, choices: list[tuple[str, str]],
           current: str, not_chosen: str) -> QComboBox:
    """A row: ``label`` and a combo of ``choices`` ((data, text)), ``current`` selected."""
    table.setItem(row, 0, QTableWidgetItem(label))
    combo = QComboBox()
    combo.setAccessibleName(accessible)
    if not current:
        combo.addItem(not_chosen, "")
    for data, text in choices:
        combo.addItem(text, data)
    if current and combo.findData(current) < 0:  # chosen once, no longer an active one of these books
        combo.addItem(f"{current} (not in this organisation's books)", current)
    combo.setCurrentIndex(combo.findData(current))
    table.setCellWidget(row, 1, combo)
    return combo


class MappingDialog(QDialog):
    """One organisation's mapping; Save hands on what was changed.

    Args:
        organisations: (tenant id, name) of the organisations in use (a chooser when more than one).
        default: the default organisation's tenant id.

    Signals:
        organisation_requested(str): the tenant id chosen in the chooser (the caller reads it, then ``load``).
        save_requested(str, object, object): tenant id, {billing code id: account code},
            {Autotask percentage: TaxType} of the rows changed.
    """

    organisation_requested = Signal(str)
    save_requested = Signal(str, object, object)

    def __init__(self, organisations: list[tuple[str, str]], default: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("org_mapping")
        self.setWindowTitle("Account and tax mapping")
        self.form: OrgMappingForm | None = None
        layout = QVBoxLayout(self)
        self.organisation = QComboBox()
        self.organisation.setAccessibleName("Xero organisation")
        for tenant, name in organisations:
            self.organisation.addItem(f"{name} (default)" if tenant == default else name, tenant)
        chooser = QFormLayout()
        chooser.addRow("Xero &organisation:", self.organisation)
        self.organisation.setVisible(len(organisations) > 1)
        chooser.labelForField(self.organisation).setVisible(len(organisations) > 1)
        layout.addLayout(chooser)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        self.accounts = _table(["Autotask billing code", "Xero account"], "Billing codes and their Xero account")
        layout.addWidget(self.accounts, 3)
        self.taxes = _table(["Autotask tax", "Xero tax rate"], "Autotask tax rates and their Xero tax rate")
        layout.addWidget(self.taxes, 2)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self._on_save_clicked)
        self.buttons.rejected.connect(self.reject)
        self.account_combos: dict[int, QComboBox] = {}
        self.tax_combos: dict[str, QComboBox] = {}
        self.organisation.currentIndexChanged.connect(self._on_organisation_changed)
        self._set_enabled(False)
        place_first(self, QSize(720, 560))

    def load(self, form: OrgMappingForm) -> None:
        """Show ``form``'s organisation and mapping (after the caller read it)."""
        self.form = form
        view = form.view
        self.organisation.blockSignals(True)
        self.organisation.setCurrentIndex(max(0, self.organisation.findData(view.tenant_id)))
        self.organisation.blockSignals(False)
        whose = ("its own mapping" if view.own else
                 "the default organisation's mapping as far as its books have the same codes, until you save here")
        self.intro.setText(f"Where the lines of invoices sent to {view.organisation} go: {whose}. Saving checks "
                           "the invoices again at once.")
        self.accounts.setRowCount(len(form.billing_codes))
        accounts = [(code, f"{code} \u2013 {name}") for code, name in form.accounts]
        self.account_combos = {
            cid: _combo(self.accounts, i, name, f"Xero account of {name}", accounts, view.accounts.get(cid, ""),
                        NOT_CHOSEN_ACCOUNT)
            for i, (cid, name) in enumerate(form.billing_codes)}
        self.taxes.setRowCount(len(form.rates))
        rates = [(tax_type, f"{name} ({tax_type}, {pct}%)") for tax_type, name, pct in form.tax_rates]
        self.tax_combos = {
            rate: _combo(self.taxes, i, f"{rate}%", f"Xero tax rate of Autotask {rate}%", rates,
                         view.tax_types.get(rate, ""), NOT_CHOSEN_TAX)
            for i, rate in enumerate(form.rates)}
        for combo in (*self.account_combos.values(), *self.tax_combos.values()):
            combo.currentIndexChanged.connect(self._update_save)
        self._set_enabled(True)

    def changes(self) -> tuple[dict[int, str], dict[str, str]]:
        """({billing code id: account code}, {percentage: TaxType}) of the rows changed to a choice here."""
        if self.form is None:
            return {}, {}
        view = self.form.view
        accounts = {cid: c.currentData() for cid, c in self.account_combos.items()
                    if c.currentData() and c.currentData() != view.accounts.get(cid, "")}
        taxes = {rate: c.currentData() for rate, c in self.tax_combos.items()
                 if c.currentData() and c.currentData() != view.tax_types.get(rate, "")}
        return accounts, taxes

    def _set_enabled(self, ready: bool) -> None:
        for widget in (self.accounts, self.taxes, self.organisation):
            widget.setEnabled(ready)
        if not ready:
            self.intro.setText("Reading the organisation's mapping and its books…")
        self._update_save()

    def _update_save(self, _index: int = 0) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(any(self.changes()))

    def _on_organisation_changed(self, _index: int) -> None:
        tenant = self.organisation.currentData()
        if self.form is None or tenant == self.form.view.tenant_id:
            return
        accounts, taxes = self.changes()
        if accounts or taxes:  # never drop what was chosen here without asking
            answer = self.ask_unsaved(self.form.view.organisation)
            if answer == QMessageBox.StandardButton.Cancel:
                self.organisation.blockSignals(True)
                self.organisation.setCurrentIndex(self.organisation.findData(self.form.view.tenant_id))
                self.organisation.blockSignals(False)
                return
            if answer == QMessageBox.StandardButton.Save:
                self.save_requested.emit(self.form.view.tenant_id, accounts, taxes)
        self.form = None
        self._set_enabled(False)
        self.organisation_requested.emit(tenant)

    def ask_unsaved(self, organisation: str) -> QMessageBox.StandardButton:
        """Save, Discard or Cancel the changes made to ``organisation``'s mapping before showing another's."""
        return QMessageBox.question(
            self, "Unsaved mapping",
            f"You changed {organisation}'s mapping here. Save those changes before showing another organisation's?",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save)

    def _on_save_clicked(self) -> None:
        accounts, taxes = self.changes()
        if self.form is not None and (accounts or taxes):
            self.save_requested.emit(self.form.view.tenant_id, accounts, taxes)
        self.accept()
