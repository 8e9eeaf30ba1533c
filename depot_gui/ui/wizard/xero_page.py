"""Step 3: sign in to Xero in the system browser (PKCE, loopback redirect), pick the organisation."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
)

from depot_gui.store.secrets import SecretStoreUnavailable
from depot_gui.sync.setup import Organisation, Page, SetupFlow, XeroLogin, XeroSignIn, xero_problem_message
from depot_gui.xero.errors import XeroError, XeroLoginCancelled

from ..colors import style_for
from .base import FlowPage, error_text

LOGIN_TIMEOUT = 300.0


class XeroPage(FlowPage):
    """Connect button, organisation chooser; the client id and callback port are adjustable.

    Args:
        flow: the setup state.
        open_url: opens the sign-in URL in the system browser (tests pass a fake browser).
    """

    def __init__(self, flow: SetupFlow, open_url: Callable[[str], object]) -> None:
        super().__init__(flow, Page.XERO)
        self._open_url = open_url
        self._login: XeroLogin | None = None
        self.setTitle("Connect to Xero")
        self.setSubTitle(
            "Sign in to Xero in your browser and allow Depot GUI access, then choose the organisation "
            "invoices go to."
        )
        row = QHBoxLayout()
        self.connect_button = QPushButton("Connect to Xero…")
        self.cancel_button = QPushButton("Cancel sign-in")
        self.cancel_button.hide()
        row.addWidget(self.connect_button)
        row.addWidget(self.cancel_button)
        row.addStretch(1)
        self.body.addLayout(row)
        self.result = QLabel()
        self.result.setObjectName("result")
        self.result.setWordWrap(True)
        self.body.addWidget(self.result)
        form = QFormLayout()
        self.organisation = QComboBox()
        self.organisation.setEnabled(False)
        form.addRow("Organisation:", self.organisation)
        self.body.addLayout(form)

        advanced = QGroupBox("Advanced")
        adv = QFormLayout(advanced)
        self.client_id = QLineEdit(flow.client_id)
        self.port = QSpinBox()
        self.port.setRange(0, 65535)
        self.port.setValue(flow.port)
        self.port.setToolTip("The port of the redirect URI registered for the Xero app (0 = any free port).")
        adv.addRow("Xero app client id:", self.client_id)
        adv.addRow("Callback port:", self.port)
        self.body.addWidget(advanced)
        self.add_status_widgets()

        self.connect_button.clicked.connect(self._on_connect_clicked)
        self.cancel_button.clicked.connect(self._on_cancel_clicked)
        self.organisation.currentIndexChanged.connect(self._on_organisation_changed)
        self.client_id.textChanged.connect(self._on_client_id_changed)
        self.port.valueChanged.connect(self._on_port_changed)

    def initializePage(self) -> None:  # noqa: N802 (Qt naming)
        if self.flow.xero_message:
            self.set_error(self.flow.xero_message)
        elif not self.flow.xero_connected and self.flow.has_saved_xero():
            self.result.setText("Checking the saved Xero connection…")
            self.run(self.flow.recheck_xero_job(), self._on_organisations, self._on_xero_failed)

    def on_state_changed(self) -> None:
        waiting = self._login is not None
        self.connect_button.setEnabled(not self.busy)
        self.cancel_button.setVisible(waiting)
        self.client_id.setReadOnly(self.busy)
        self.port.setEnabled(not self.busy)
        self.organisation.setEnabled(not self.busy and self.organisation.count() > 0)

    # -- slots -----------------------------------------------------------------------------
    def _on_client_id_changed(self, text: str) -> None:
        self.flow.client_id = text.strip()

    def _on_port_changed(self, value: int) -> None:
        self.flow.port = value

    def _on_connect_clicked(self) -> None:
        if self.busy:
            return
        self.flow.xero_message = ""
        self.flow.xero_connected = False
        self.set_error("")
        try:
            login = self.flow.start_xero_login()
        except XeroError as exc:
            self.set_error(exc.user_message)
            return
        self._login = login
        self.result.setStyleSheet("")
        self.result.setText(
            "Waiting for you to approve access in the browser. If no browser opened, visit:\n" + login.url
        )
        self.run(self.flow.xero_login_job(login, LOGIN_TIMEOUT), self._on_signed_in, self._on_xero_failed)
        self._open_url(login.url)

    def _on_cancel_clicked(self) -> None:
        if self._login is not None:
            self._login.cancel()

    def _on_signed_in(self, result: XeroSignIn) -> None:
        """New tokens stay in the flow's memory; Finish puts them in the keyring."""
        self._on_organisations(self.flow.apply_xero_sign_in(result))

    def _on_organisations(self, organisations: list[Organisation]) -> None:
        self._login = None
        self.flow.organisations = organisations
        self.organisation.blockSignals(True)
        self.organisation.clear()
        for org in organisations:
            self.organisation.addItem(org.name, org.tenant_id)
        index = max(0, self.organisation.findData(self.flow.tenant_id))
        self.organisation.setCurrentIndex(index if organisations else -1)
        self.organisation.blockSignals(False)
        if not organisations:
            self.result.clear()
            self.set_error("The Xero sign-in gave access to no organisation: connect again and tick one.")
        else:
            self.flow.xero_connected = True
            self.flow.choose_organisation(self.organisation.currentData())
            self.result.setStyleSheet(style_for("ok", self.result))
            where = self.flow.secrets.where()
            self.result.setText(
                f"Connected to Xero. The sign-in is saved in {where} when you click Finish."
                if self.flow.has_new_xero_tokens() else f"Connected to Xero (sign-in saved in {where})."
            )
        self.on_state_changed()
        self.completeChanged.emit()

    def _on_xero_failed(self, exc: BaseException) -> None:
        self._login = None
        self.result.clear()
        self.on_state_changed()
        if isinstance(exc, XeroLoginCancelled):
            self.set_error("Sign-in cancelled. Click 'Connect to Xero…' to try again.")
        elif isinstance(exc, XeroError):
            self.set_error(xero_problem_message(exc))
        elif isinstance(exc, SecretStoreUnavailable):
            self.set_error(str(exc))
        else:
            self.set_error(error_text(exc))

    def _on_organisation_changed(self, _index: int) -> None:
        tenant = self.organisation.currentData()
        if tenant:
            self.flow.choose_organisation(tenant)
        self.completeChanged.emit()

    def cleanupPage(self) -> None:  # noqa: N802 - going Back stops waiting for the browser
        self._on_cancel_clicked()
