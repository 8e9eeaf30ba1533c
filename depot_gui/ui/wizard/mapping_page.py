"""Step 4: Xero account per billing code, Xero tax rate per Autotask tax, contact matching rule."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from depot_gui.core.settings import SettingError
from depot_gui.sync.setup import CONTACT_RULES, MappingChoice, MappingData, Page, SetupFlow, Tagged, rate_key

from ..colors import color_for
from .base import FlowPage, error_text

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
        self._built = -1  # the flow's mapping generation the forms show
        self._loading = -1  # the generation the running load is for
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
        retry_row = QHBoxLayout()
        self.retry_button = QPushButton("Retry")
        self.retry_button.setToolTip("Load the billing codes, taxes, accounts and tax rates again.")
        self.retry_button.hide()
        retry_row.addWidget(self.retry_button)
        retry_row.addStretch(1)
        self.body.addLayout(retry_row)
        self.add_status_widgets(stretch=False)
        self.retry_button.clicked.connect(self._on_retry_clicked)
        self.contact_rule.currentIndexChanged.connect(self._on_choice_changed)

    def initializePage(self) -> None:  # noqa: N802 (Qt naming)
        if self.flow.mapping is not None and self._built == self.flow.mapping_generation:
            self._refresh_problems()
        elif not (self.busy and self._loading == self.flow.mapping_generation):
            self._load()  # another Autotask user or Xero organisation since: load again

    def on_state_changed(self) -> None:
        self.retry_button.setEnabled(not self.busy)

    # -- building ---------------------------------------------------------------------------
    def _load(self) -> None:
        self._clear_forms()
        self.retry_button.hide()
        self.warnings.setText("Loading billing codes, taxes, accounts and tax rates…")
        job = self.flow.mapping_job()
        self._loading = job.generation
        self.run(job, self._on_loaded, self._on_load_failed)

    def _on_load_failed(self, exc: BaseException) -> None:
        self.warnings.clear()
        self.set_error(error_text(exc))
        self.retry_button.show()

    def _clear_forms(self) -> None:
        """Remove every row (rebuilding must not add a second set)."""
        self._built = -1
        for form in (self.accounts_form, self.taxes_form):
            while form.rowCount():
                form.removeRow(0)
        self.account_combos.clear()
        self.tax_combos.clear()

    def _on_loaded(self, result: Tagged[tuple[MappingData, MappingChoice]]) -> None:
        if not self.flow.apply_mapping(result):
            return  # for another Autotask user or Xero organisation: initializePage loads again
        self._build(*result.value)

    def _build(self, data: MappingData, choice: MappingChoice) -> None:
        self._clear_forms()
        self._built = self.flow.mapping_generation
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

    def _on_retry_clicked(self) -> None:
        if not self.busy:
            self._load()

    def _on_choice_changed(self, _index: int = 0) -> None:
        choice = self.flow.mapping
        if choice is None or self._built != self.flow.mapping_generation:
            return
        choice.accounts = {cid: combo.currentData() or "" for cid, combo in self.account_combos.items()}
        choice.tax_types = {tid: combo.currentData() or "" for tid, combo in self.tax_combos.items()}
        choice.contact_match = self.contact_rule.currentData()
        self._refresh_problems()

    def _refresh_problems(self) -> None:
        errors, warnings = self.flow.mapping_problems()
        red = color_for("error", self).name()
        items = [f"<li style='color:{red}'>{escape(e)}</li>" for e in errors]
        items += [f"<li>{escape(w)}</li>" for w in warnings]
        self.warnings.setText(f"<ul>{''.join(items)}</ul>" if items else "Everything is mapped.")
        self.completeChanged.emit()

    def validatePage(self) -> bool:  # noqa: N802 (Qt naming)
        """Check the mapping can be saved; it is written with everything else on Finish."""
        try:
            self.flow.check_mapping_settings()
        except SettingError as exc:
            self.set_error(str(exc))
            return False
        return True
