"""The Xero page's organisations: the one the sign-in reached, or which of several to use and the default."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QGroupBox, QLabel, QVBoxLayout, QWidget

from depot_gui.sync.setup import Organisation, SetupFlow

SEVERAL_NOTE = (
    "The sign-in reached these organisations. Tick the ones Depot GUI may use. Every invoice goes to the "
    "default organisation unless its company is sent to another in File \u203a Xero organisations\u2026"
)
DEFAULT_ALWAYS = "The default organisation is always used."


class OrganisationsBox(QGroupBox):
    """One organisation: its name and base currency, nothing to answer. Several: a tick box per organisation
    (name, base currency) and the default among the ticked ones. Choices go to the flow at once.

    Signals:
        changed(): the default or the organisations used changed.
    """

    changed = Signal()

    def __init__(self, flow: SetupFlow, parent: QWidget | None = None) -> None:
        super().__init__("Xero organisation", parent)
        self.flow = flow
        layout = QVBoxLayout(self)
        self.single = QLabel()  # the one organisation
        self.single.setObjectName("single_organisation")
        self.note = QLabel(SEVERAL_NOTE)
        self.note.setWordWrap(True)
        layout.addWidget(self.single)
        layout.addWidget(self.note)
        self.checks_layout = QVBoxLayout()
        layout.addLayout(self.checks_layout)
        self.checks: dict[str, QCheckBox] = {}
        self.default_row = QWidget()
        form = QFormLayout(self.default_row)
        form.setContentsMargins(0, 0, 0, 0)
        self.default = QComboBox()
        self.default.setAccessibleName("Default Xero organisation")
        form.addRow("Default organisation:", self.default)
        layout.addWidget(self.default_row)
        self.default.currentIndexChanged.connect(self._on_default_changed)
        self.show_organisations([])

    def show_organisations(self, organisations: list[Organisation]) -> None:
        """Show what a sign-in reached (none: the box is hidden)."""
        for check in self.checks.values():
            self.checks_layout.removeWidget(check)
            check.deleteLater()
        self.checks = {}
        several = len(organisations) > 1
        for org in organisations if several else []:
            check = QCheckBox()
            check.setProperty("label", org.label())
            check.setChecked(org in self.flow.used_organisations())
            check.toggled.connect(lambda on, tenant=org.tenant_id: self._on_used_toggled(tenant, on))
            self.checks_layout.addWidget(check)
            self.checks[org.tenant_id] = check
        self.single.setText(organisations[0].label() if len(organisations) == 1 else "")
        self.single.setVisible(len(organisations) == 1)
        self.note.setVisible(several)
        self.default_row.setVisible(several)
        self.setTitle("Xero organisations" if several else "Xero organisation")
        self.setVisible(bool(organisations))
        self._fill_default()

    def _fill_default(self) -> None:
        self.default.blockSignals(True)
        self.default.clear()
        for org in self.flow.used_organisations():
            self.default.addItem(org.label(), org.tenant_id)
        self.default.setCurrentIndex(self.default.findData(self.flow.tenant_id))
        self.default.blockSignals(False)
        for tenant, check in self.checks.items():
            is_default = tenant == self.flow.tenant_id
            check.setEnabled(not is_default)
            check.setToolTip(DEFAULT_ALWAYS if is_default else "")
            check.setText(check.property("label") + (" (the default: always used)" if is_default else ""))

    def _on_used_toggled(self, tenant: str, on: bool) -> None:
        self.flow.use_organisation(tenant, on)
        self._fill_default()
        self.changed.emit()

    def _on_default_changed(self, _index: int) -> None:
        tenant = self.default.currentData()
        if tenant:
            self.flow.choose_organisation(tenant)
        self._fill_default()
        self.changed.emit()
