"""Step 4: Xero account per billing code, Xero tax rate per Autotask tax, contact matching rule."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QLabel, QScrollArea, QVBoxLayout, QWidget

from depot_gui.core.settings import SettingError
from depot_gui.sync.setup import CONTACT_RULES, MappingChoice, MappingData, Page, SetupFlow, rate_key

from .base import FlowPage

UNMAPPED_ACCOUNT = "(not mapped: use the default account)"
UNMAPPED_TAX = "(not mapped: use the account's default tax rate)"


class MappingPage(FlowPage):
    """Loads both sides' lookups in the background, then offers one combo box per row."""

    def __init__(self, flow: SetupFlow) -> None:
        super().__init__(flow, Page.MAPPING)
        self.setTitle("Map Autotask to Xero")
        self.setSubTitle(
            "Choose the Xero account for each Autotask billing code and the Xero tax rate for each "
            "Autotask tax. Suggestions come from the billing code's external number and the tax rate."
        )
        self.account_combos: dict[int, QComboBox] = {}
        self.tax_combos: dict[int, QComboBox] = {}
        content = QWidget()
        self._content = QVBoxLayout(content)
        self.accounts_box = QGroupBox("Sales account per billing code")
        self.accounts_form = QFormLayout(self.accounts_box)
        self.taxes_box = QGroupBox("Xero tax rate per Autotask tax")
        self.taxes_form = QFormLayout(self.taxes_box)
        contact_box = QGroupBox("Contacts")
        contact_form = QFormLayout(contact_box)
        self.contact_rule = QComboBox()
        for key, label in CONTACT_RULES.items():
            self.contact_rule.addItem(label, key)
        contact_form.addRow("Match Xero contacts by:", self.contact_rule)
        for box in (self.accounts_box, self.taxes_box, contact_box):
            self._content.addWidget(box)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)
        self.body.addWidget(scroll, 1)
        self.warnings = QLabel()
        self.warnings.setObjectName("warnings")
        self.warnings.setWordWrap(True)
        self.warnings.setTextFormat(Qt.TextFormat.RichText)
        self.body.addWidget(self.warnings)
        self.add_status_widgets(stretch=False)
        self.contact_rule.currentIndexChanged.connect(self._on_choice_changed)

    def initializePage(self) -> None:  # noqa: N802 (Qt naming)
        if self.flow.mapping is None:
            self.run(self.flow.load_mapping, self._on_loaded)
        else:
            self._refresh_problems()

    # -- building ---------------------------------------------------------------------------
    def _on_loaded(self, result: tuple[MappingData, MappingChoice]) -> None:
        data, choice = result
        self.flow.mapping_data, self.flow.mapping = data, choice
        accounts = data.active_accounts()
        for code in data.billing_codes:
            combo = QComboBox()
            combo.addItem(UNMAPPED_ACCOUNT, "")
            for acc in accounts:
                combo.addItem(f"{acc.code} — {acc.name}", acc.code)
            combo.setCurrentIndex(max(0, combo.findData(choice.accounts.get(code.id, ""))))
            combo.currentIndexChanged.connect(self._on_choice_changed)
            label = code.name + (f" (external number {code.external_number})" if code.external_number else "")
            self.accounts_form.addRow(label + ":", combo)
            self.account_combos[code.id] = combo
        rates = data.revenue_tax_rates()
        for tax in data.taxes:
            combo = QComboBox()
            combo.addItem(UNMAPPED_TAX, "")
            for r in rates:
                combo.addItem(f"{r.name} ({rate_key(r.effective_rate)}%)", r.tax_type)
            combo.setCurrentIndex(max(0, combo.findData(choice.tax_types.get(tax.id, ""))))
            combo.currentIndexChanged.connect(self._on_choice_changed)
            self.taxes_form.addRow(f"{tax.name} ({rate_key(tax.rate)}%):", combo)
            self.tax_combos[tax.id] = combo
        self.contact_rule.blockSignals(True)
        self.contact_rule.setCurrentIndex(max(0, self.contact_rule.findData(choice.contact_match)))
        self.contact_rule.blockSignals(False)
        self._on_choice_changed()

    def _on_choice_changed(self, _index: int = 0) -> None:
        choice = self.flow.mapping
        if choice is None:
            return
        choice.accounts = {cid: combo.currentData() or "" for cid, combo in self.account_combos.items()}
        choice.tax_types = {tid: combo.currentData() or "" for tid, combo in self.tax_combos.items()}
        choice.contact_match = self.contact_rule.currentData()
        self._refresh_problems()

    def _refresh_problems(self) -> None:
        errors, warnings = self.flow.mapping_problems()
        items = [f"<li style='color:#b00020'>{escape(e)}</li>" for e in errors]
        items += [f"<li>{escape(w)}</li>" for w in warnings]
        self.warnings.setText(f"<ul>{''.join(items)}</ul>" if items else "Everything is mapped.")
        self.completeChanged.emit()

    def validatePage(self) -> bool:  # noqa: N802 (Qt naming)
        try:
            self.flow.save_mapping()
        except SettingError as exc:
            self.set_error(str(exc))
            return False
        return True
