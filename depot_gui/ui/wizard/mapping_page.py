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

from depot_gui.core.settings import SPECS, XERO_STATUS_CHOICES, SettingError
from depot_gui.sync.setup import (
    CONTACT_RULES,
    MappingChoice,
    MappingData,
    Page,
    SetupFlow,
    Tagged,
    proposed_option,
    rate_key,
)

from depot_gui.ui.colors import color_for
from depot_gui.ui.wizard.base import FlowPage, error_text

UNMAPPED_ACCOUNT = "(not mapped: use the default account)"
UNMAPPED_TAX = "(not mapped: use the account's default tax rate)"
NO_TRACKING = "None (no Xero tracking)"
NO_OPTION = "(no option: sent without tracking)"


CONTACT_NOTE = (
    "A company with no exact Xero contact but a close one (\u201cContoso Ltd\u201d and \u201cContoso "
    "Limited\u201d, say) is never given a second contact on its own: its invoices wait until you choose, "
    "once, to link the existing contact or create a new one (File \u203a Xero contacts\u2026)."
)

# Two lines at the wizard's width (the header shows no more); the words of the Settings dialog.
SUBTITLE = ("The sales account for each Autotask billing code, the Xero tax rate for each Autotask tax, how "
            "contacts are matched and the status of new Xero invoices.")
RESYNC_NOTE = ("Re-sync updates a draft or an invoice awaiting approval; it never changes an approved invoice: "
               "void it in Xero (or add a credit note) if it is wrong, then Re-sync.")


class MappingPage(FlowPage):
    """Loads both sides' lookups in the background, then offers one combo box per row."""

    def __init__(self, flow: SetupFlow) -> None:
        super().__init__(flow, Page.MAPPING)
        self.setTitle("Map Autotask to Xero")
        self.setSubTitle(SUBTITLE)
        self._built = -1  # the flow's mapping generation the forms show
        self._loading = -1  # the generation the running load is for
        self.account_combos: dict[int, QComboBox] = {}
        self.tax_combos: dict[int, QComboBox] = {}
        self.tracking_combos: dict[int, QComboBox] = {}  # association id -> option combo
        self._lob_names: dict[int, str] = {}
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
        contact_form.addRow(SPECS["contact_match"].label + ":", self.contact_rule)
        self.contact_note = QLabel(CONTACT_NOTE)
        self.contact_note.setWordWrap(True)
        contact_form.addRow(self.contact_note)
        status_box = QGroupBox("New Xero invoices")
        status_form = QFormLayout(status_box)
        self.xero_status = QComboBox()
        for text, value in XERO_STATUS_CHOICES:
            self.xero_status.addItem(text, value)
        self.xero_status.setCurrentIndex(max(0, self.xero_status.findData(flow.xero_status)))
        self.xero_status.setAccessibleName(SPECS["xero_status"].label)
        status_form.addRow(SPECS["xero_status"].label + ":", self.xero_status)
        self.resync_note = QLabel(RESYNC_NOTE)
        self.resync_note.setWordWrap(True)
        status_form.addRow(self.resync_note)
        self.tracking_box = QGroupBox("Revenue by line of business (optional)")
        tracking_layout = QVBoxLayout(self.tracking_box)
        head = QFormLayout()
        self.tracking_category = QComboBox()
        self.tracking_category.setToolTip(
            "Send each line's Autotask line of business to Xero as an option of this tracking category, "
            "so Xero reports revenue by line of business.")
        head.addRow("Xero tracking category:", self.tracking_category)
        tracking_layout.addLayout(head)
        self.tracking_note = QLabel()
        self.tracking_note.setWordWrap(True)
        tracking_layout.addWidget(self.tracking_note)
        self.tracking_form = QFormLayout()
        tracking_layout.addLayout(self.tracking_form)
        for box in (self.accounts_box, self.taxes_box, contact_box, status_box, self.tracking_box):
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
        self.xero_status.currentIndexChanged.connect(self._on_status_changed)
        self.tracking_category.currentIndexChanged.connect(self._on_category_changed)

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
        self.warnings.setText("Loading billing codes, taxes, lines of business, accounts, tax rates and tracking categories…")
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
        for form in (self.accounts_form, self.taxes_form, self.tracking_form):
            while form.rowCount():
                form.removeRow(0)
        self.account_combos.clear()
        self.tax_combos.clear()
        self.tracking_combos.clear()
        self.tracking_category.blockSignals(True)
        self.tracking_category.clear()
        self.tracking_category.blockSignals(False)

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
        self._build_tracking(data, choice)
        self._on_choice_changed()

    def _build_tracking(self, data: MappingData, choice: MappingChoice) -> None:
        """The category combo ("None" first) and one option combo per line of business."""
        self._lob_names = dict(data.lines_of_business)
        self.tracking_category.blockSignals(True)
        self.tracking_category.addItem(NO_TRACKING, "")
        for cat in data.tracking_categories:
            self.tracking_category.addItem(cat.name, cat.name)
        self.tracking_category.setCurrentIndex(max(0, self.tracking_category.findData(choice.tracking_category)))
        self.tracking_category.blockSignals(False)
        for lob_id, name in data.lines_of_business.items():
            combo = QComboBox()
            combo.currentIndexChanged.connect(self._on_choice_changed)
            self.tracking_form.addRow(f"{name}:", combo)
            self.tracking_combos[lob_id] = combo
        if not data.tracking_categories:
            note = "This Xero organisation has no active tracking categories; add one in Xero to use this."
        elif not data.lines_of_business:
            note = "Autotask has no active lines of business (Organizational Structure is not in use)."
        else:
            note = "Choose the Xero option for each Autotask line of business."
        self.tracking_note.setText(note)
        self._fill_options(choice.tracking_options)

    def _fill_options(self, saved: dict[int, str]) -> None:
        """Each line of business's combo lists the chosen category's options (saved choice, else the
        option named like the line of business)."""
        data = self.flow.mapping_data
        cat = data.tracking_category(self.tracking_category.currentData() or "") if data else None
        options = cat.options if cat else ()
        for lob_id, combo in self.tracking_combos.items():
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(NO_OPTION, "")
            for option in options:
                combo.addItem(option, option)
            wanted = saved.get(lob_id, "")
            if wanted not in options:
                wanted = proposed_option(self._lob_names.get(lob_id, ""), options)
            combo.setCurrentIndex(max(0, combo.findData(wanted)))
            combo.setEnabled(cat is not None)
            combo.blockSignals(False)

    def _on_category_changed(self, _index: int = 0) -> None:
        choice = self.flow.mapping
        if choice is None or self._built != self.flow.mapping_generation:
            return
        self._fill_options(choice.tracking_options)
        self._on_choice_changed()

    def _on_status_changed(self, _index: int) -> None:
        self.flow.xero_status = self.xero_status.currentData()

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
        choice.tracking_category = self.tracking_category.currentData() or ""
        choice.tracking_options = (
            {lob: combo.currentData() or "" for lob, combo in self.tracking_combos.items()}
            if choice.tracking_category else {}
        )
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
