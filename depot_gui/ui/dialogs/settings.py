"""Settings: maximum rounding difference, service adjustment support (after a review), Xero status, accounts;
finishing the month (numbering, Autotask's PDF, sending from Xero); connections."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialog, QDialogButtonBox, QDoubleSpinBox, QFormLayout, QLabel, QLineEdit,
    QMessageBox, QSpinBox, QTabWidget, QVBoxLayout, QWidget,
)

from depot_gui.core.settings import (
    MAX_FRESH_MINUTES, MAX_NUMBER_PREFIX, MAX_TOLERANCE, NUMBERING_CHOICES, SEND_CHOICES, SPECS, XERO_STATUS_CHOICES,
    SettingError, Settings,
)
from depot_gui.sync.mapping.keys import CONTACT_RULES
from depot_gui.sync.session.session import Session

from depot_gui.ui.dialogs.connections_tab import ConnectionsSection
from depot_gui.ui.dialogs.errors import friendly_message
from depot_gui.ui.dialogs.service_review import ServiceReviewDialog



def _help(key: str) -> QLabel:
    return _note(SPECS[key].help)


def _note(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setEnabled(False)  # caption colour from the palette (works in dark mode)
    return label


class SettingsDialog(QDialog):
    """Edit the settings of the open data directory.

    Args:
        session: the open session.
        connection_text: one paragraph describing the current connections.

    Signals:
        settings_saved(list): keys whose value changed.
        setup_requested: the user asked for the connection setup wizard.
        recheck_requested: the user asked to re-check the connections and the API user's access.
        signed_out(str): the Xero sign-in was ended (the sentence to show).
    """

    settings_saved = Signal(list)
    setup_requested = Signal()
    recheck_requested = Signal()
    signed_out = Signal(str)

    def __init__(self, session: Session, connection_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.review: ServiceReviewDialog | None = None
        self.setWindowTitle("Settings")
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        self.tabs = QTabWidget()
        layout.addWidget(self.tabs)
        settings = session.settings()
        self.tabs.addTab(self._audit_tab(settings), "Audit && sync")
        self.tabs.addTab(self._finishing_tab(settings), "Finishing the month")
        self.connections = ConnectionsSection(session, connection_text)  # read in the background when shown
        self.connections.setup_requested.connect(self._on_setup_clicked)
        self.connections.recheck_requested.connect(self._on_recheck_clicked)
        self.connections.signed_out.connect(self.signed_out)
        self.tabs.addTab(self.connections, "Connections")
        self.tabs.currentChanged.connect(self._on_tab_changed)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setVisible(False)
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        self.service.toggled.connect(self._on_service_toggled)
        # what the fields showed when opened: OK saves what the person changed from it, never a value written
        # meanwhile by the setup wizard (Connections › Reconnect…) put back from a field not touched
        self.opened_with = self.texts()

    # ------------------------------------------------------------------ build
    def _audit_tab(self, s: Settings) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.tolerance = QDoubleSpinBox()
        self.tolerance.setDecimals(2)  # before the range: Qt rounds the limits to the decimals
        self.tolerance.setRange(0, float(MAX_TOLERANCE))  # every value core.settings accepts
        self.tolerance.setSingleStep(0.5)
        self.tolerance.setValue(float(s.tolerance))
        form.addRow(SPECS["tolerance"].label, self.tolerance)
        form.addRow("", _help("tolerance"))
        self.service = QCheckBox("Send negative-quantity lines as quantity 1 at the line's total")
        self.service.setChecked(s.service_adjustments)
        form.addRow(SPECS["service_adjustments"].label, self.service)
        note = QLabel("Turning this on first shows every invoice it would change, for you to confirm.")
        note.setWordWrap(True)
        note.setEnabled(False)
        form.addRow("", note)
        self.xero_status = QComboBox()
        for text, value in XERO_STATUS_CHOICES:
            self.xero_status.addItem(text, value)
        self.xero_status.setCurrentIndex(max(0, self.xero_status.findData(s.shown()["xero_status"])))
        form.addRow(SPECS["xero_status"].label, self.xero_status)
        self.default_account = QLineEdit(s.default_account)
        form.addRow(SPECS["default_account"].label, self.default_account)
        form.addRow("", _help("default_account"))
        self.rounding_account = QLineEdit(s.rounding_account)
        self.rounding_account.setPlaceholderText("the Xero rounding account")
        form.addRow(SPECS["rounding_account"].label, self.rounding_account)
        form.addRow("", _help("rounding_account"))
        self.contact_match = QComboBox()
        for value, text in CONTACT_RULES.items():
            self.contact_match.addItem(text, value)
        self.contact_match.setCurrentIndex(max(0, self.contact_match.findData(s.contact_match.lower())))
        form.addRow(SPECS["contact_match"].label, self.contact_match)
        self.exchange_rate = QComboBox()  # the detail pane previews which rate an invoice in another currency gets
        self.exchange_rate.addItem("Xero's rate of the day", "xero")
        self.exchange_rate.addItem("Autotask's exchange rate of the currency", "autotask")
        self.exchange_rate.setCurrentIndex(max(0, self.exchange_rate.findData(s.exchange_rate.lower())))
        self.exchange_rate.setAccessibleName(SPECS["exchange_rate"].label)
        form.addRow(SPECS["exchange_rate"].label, self.exchange_rate)
        self.fresh_minutes = QSpinBox()
        self.fresh_minutes.setRange(0, MAX_FRESH_MINUTES)
        self.fresh_minutes.setSuffix(" min")
        self.fresh_minutes.setValue(s.fresh_minutes)
        form.addRow("Invoices still attaching items if younger than", self.fresh_minutes)
        self.audit_months = QSpinBox()
        self.audit_months.setRange(0, 120)
        self.audit_months.setSpecialValueText("All dates")  # 0: no limit
        self.audit_months.setSuffix(" months")
        self.audit_months.setValue(s.audit_months)
        form.addRow(SPECS["audit_months"].label, self.audit_months)
        form.addRow("", _help("audit_months"))
        self.payments_back = QCheckBox("Read payments from Xero; set Autotask's paid date when paid in full")
        self.payments_back.setChecked(s.payments_back)
        form.addRow(SPECS["payments_back"].label, self.payments_back)
        return page

    def _finishing_tab(self, s: Settings) -> QWidget:
        """What happens to an invoice in Xero after it is written (issue 24): its number, Autotask's PDF, sending."""
        page = QWidget()
        form = QFormLayout(page)
        self.numbering = QComboBox()
        for text, value in NUMBERING_CHOICES:
            self.numbering.addItem(text, value)
        self.numbering.setCurrentIndex(max(0, self.numbering.findData(s.numbering.lower())))
        self.numbering.setAccessibleName(SPECS["numbering"].label)
        form.addRow(SPECS["numbering"].label, self.numbering)
        self.number_prefix = QLineEdit(s.number_prefix)
        self.number_prefix.setMaxLength(MAX_NUMBER_PREFIX)
        self.number_prefix.setPlaceholderText("like AT-")
        form.addRow(SPECS["number_prefix"].label, self.number_prefix)
        form.addRow("", _note("Xero's own sequence puts Autotask's number in Reference. Invoices already in Xero are "
                              "never renumbered."))
        self.attach_pdf = QCheckBox("Attach it to each synced invoice")
        self.attach_pdf.setChecked(s.attach_autotask_pdf)
        form.addRow(SPECS["attach_autotask_pdf"].label, self.attach_pdf)
        form.addRow("", _note("Shown with the online invoice. Needs Xero's attachments permission: if Xero was "
                              "connected before this was on, connect it again (Connections)."))
        self.send_from_xero = QComboBox()  # File › Send from Xero… and the detail pane's button
        for text, value in SEND_CHOICES:
            self.send_from_xero.addItem(text, value)
        self.send_from_xero.setCurrentIndex(max(0, self.send_from_xero.findData(s.send_from_xero.lower())))
        self.send_from_xero.setAccessibleName(SPECS["send_from_xero"].label)
        form.addRow(SPECS["send_from_xero"].label, self.send_from_xero)
        form.addRow("", _note("Only invoices approved in Xero are sent, after you confirm who each goes to "
                              "(File › Send from Xero…, or the invoice's Send from Xero… button)."))
        return page

    def show_connections(self) -> None:
        self.tabs.setCurrentWidget(self.connections)

    def _on_tab_changed(self, _index: int) -> None:
        if self.tabs.currentWidget() is self.connections and self.connections.report is None:
            self.connections.check()

    # ------------------------------------------------------------------ values
    def texts(self) -> dict[str, str]:
        """The dialog's values as setting texts."""
        return {
            "tolerance": f"{Decimal(str(self.tolerance.value())):.2f}",
            "service_adjustments": "on" if self.service.isChecked() else "off",
            "xero_status": self.xero_status.currentData(),
            "numbering": self.numbering.currentData(),
            "number_prefix": self.number_prefix.text().strip(),
            "attach_autotask_pdf": "on" if self.attach_pdf.isChecked() else "off",
            "send_from_xero": self.send_from_xero.currentData(),
            "default_account": self.default_account.text().strip(),
            "rounding_account": self.rounding_account.text().strip(),
            "contact_match": self.contact_match.currentData(),
            "exchange_rate": self.exchange_rate.currentData(),
            "fresh_minutes": str(self.fresh_minutes.value()),
            "payments_back": "on" if self.payments_back.isChecked() else "off",
            "audit_months": str(self.audit_months.value()) if self.audit_months.value() else "all",
        }

    def show_saved(self) -> None:
        """Show the values stored now in every field the person has not changed: the setup wizard (Connections ›
        Reconnect…) saves some while the dialog stays open beneath it, which showed the old ones (issue 22)."""
        mine, s = set(self.changed()), self.session.settings()

        def choose(box: QComboBox, value: str) -> None:
            box.setCurrentIndex(max(0, box.findData(value)))

        fields = {
            "tolerance": lambda: self.tolerance.setValue(float(s.tolerance)),
            "service_adjustments": lambda: self.service.setChecked(s.service_adjustments),
            "xero_status": lambda: choose(self.xero_status, s.shown()["xero_status"]),
            "numbering": lambda: choose(self.numbering, s.numbering.lower()),
            "number_prefix": lambda: self.number_prefix.setText(s.number_prefix),
            "attach_autotask_pdf": lambda: self.attach_pdf.setChecked(s.attach_autotask_pdf),
            "send_from_xero": lambda: choose(self.send_from_xero, s.send_from_xero.lower()),
            "default_account": lambda: self.default_account.setText(s.default_account),
            "rounding_account": lambda: self.rounding_account.setText(s.rounding_account),
            "contact_match": lambda: choose(self.contact_match, s.contact_match.lower()),
            "exchange_rate": lambda: choose(self.exchange_rate, s.exchange_rate.lower()),
            "fresh_minutes": lambda: self.fresh_minutes.setValue(s.fresh_minutes),
            "payments_back": lambda: self.payments_back.setChecked(s.payments_back),
            "audit_months": lambda: self.audit_months.setValue(s.audit_months),
        }
        self.service.blockSignals(True)  # a stored value is no turning on: no review
        try:
            for key, show in fields.items():
                if key not in mine:
                    show()
        finally:
            self.service.blockSignals(False)
        now = self.texts()
        self.opened_with = {k: self.opened_with.get(k, "") if k in mine else v for k, v in now.items()}

    def changed(self) -> list[str]:
        """The keys the person changed since the dialog opened (issue 22: OK compared every field with the store,
        so after Reconnect… it wrote the dialog's stale status of new Xero invoices over the wizard's choice)."""
        return [k for k, v in self.texts().items() if self.opened_with.get(k) != v]

    def _on_buttons_accepted(self) -> None:
        changed = self.changed()
        texts = self.texts()
        if texts["numbering"] == "autotask_prefix" and not texts["number_prefix"]:  # said in the window's words
            self.error.setText(f"{SPECS['numbering'].label}: the prefix and Autotask's number needs a prefix; fill "
                               f"in \u201c{SPECS['number_prefix'].label}\u201d (like AT-), or choose another numbering.")
            self.error.setVisible(True)
            return
        try:
            self.session.set_settings({key: texts[key] for key in changed})  # all or nothing
        except (SettingError, Exception) as exc:  # noqa: BLE001 - shown inline, the dialog stays open
            key = getattr(exc, "key", "")  # which field: the sentence alone may not say
            self.error.setText(f"{SPECS[key].label}: {friendly_message(exc)}" if key in SPECS else friendly_message(exc))
            self.error.setVisible(True)
            return
        self.accept()
        self.settings_saved.emit(changed)

    # ------------------------------------------------------------------ service adjustments
    def _on_service_toggled(self, on: bool) -> None:
        if not on or self.session.settings().service_adjustments:
            return
        self.review = ServiceReviewDialog(self.session, self)
        self.review.finished.connect(self._on_review_finished)
        self.review.open()
        self.review.start()

    def _on_review_finished(self, result: int) -> None:
        if result != QDialog.DialogCode.Accepted:
            self.service.blockSignals(True)
            self.service.setChecked(False)
            self.service.blockSignals(False)

    def _on_setup_clicked(self) -> None:
        self.setup_requested.emit()

    def _on_recheck_clicked(self) -> None:
        """Refresh invoices closes the dialog: changes not saved are saved or dropped as the person says, never
        dropped unasked (issue 22: a maximum rounding difference typed before it was lost)."""
        if self.changed():
            answer = self.ask_unsaved()
            if answer == QMessageBox.StandardButton.Cancel:
                return
            if answer == QMessageBox.StandardButton.Save:
                self._on_buttons_accepted()
                if self.result() != QDialog.DialogCode.Accepted:  # a value refused: said in the dialog, kept open
                    return
                self.recheck_requested.emit()
                return
        self.reject()
        self.recheck_requested.emit()

    def ask_unsaved(self) -> QMessageBox.StandardButton:
        """Save, Discard or Cancel for the changes not saved (tests replace this)."""
        return QMessageBox.question(
            self, "Settings", "Save your changes to the settings before refreshing the invoices?",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save)
