"""Step 3: sign in to Xero in the system browser (PKCE, loopback redirect), pick the organisation."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QFormLayout, QFrame, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QScrollArea, QSpinBox,
    QVBoxLayout, QWidget, QWizard,
)

from depot_gui.store.publisher import client_id_problem
from depot_gui.store.secrets import SecretStoreUnavailable
from depot_gui.sync.setup import Organisation, Page, SetupFlow, XeroLogin, XeroSignIn, xero_problem_message
from depot_gui.xero.errors import XeroError, XeroLoginCancelled, XeroLoginTimeout

from depot_gui.ui.colors import style_for
from depot_gui.ui.wizard.base import FlowPage, error_text
from depot_gui.ui.wizard.organisations import OrganisationsBox
from depot_gui.ui.wizard.xero_help import RegistrationBox, SignInLink

LOGIN_TIMEOUT = 300.0


def timeout_message(seconds: float) -> str:
    minutes = max(1, round(seconds / 60))
    return (
        f"Nobody finished signing in to Xero within {minutes} minute{'s' if minutes != 1 else ''}, so Depot GUI "
        "stopped waiting. If the browser showed an error from Xero, check the client id and redirect URI; "
        "otherwise click 'Connect to Xero…' and finish signing in."
    )


class XeroPage(FlowPage):
    """Connect button, organisation chooser; the client id and callback port are adjustable.

    When the build brings no Xero client id (a real connection, not the sandbox) the page
    explains how to register one and checks the id's form before the browser opens.

    Args:
        flow: the setup state.
        open_url: opens the sign-in URL in the system browser (tests pass a fake browser).
    """

    def __init__(self, flow: SetupFlow, open_url: Callable[[str], object]) -> None:
        super().__init__(flow, Page.XERO)
        self._open_url = open_url
        self._login: XeroLogin | None = None
        self._deadline = 0.0
        self.setTitle("Connect to Xero")
        self.setSubTitle(
            "Sign in to Xero in your browser and allow Depot GUI access, then choose the organisations "
            "invoices go to."
        )
        content = self._scrolling_content()
        needs_app = not flow.endpoints.sandbox and not flow.endpoints.default_client_id
        self.registration = RegistrationBox(flow.client_id, flow.port) if needs_app else None
        if self.registration is not None:
            content.addWidget(self.registration)
        row = QHBoxLayout()
        self.connect_button = QPushButton("Connect to Xero…")
        self.cancel_button = QPushButton("Cancel sign-in")
        self.cancel_button.hide()
        row.addWidget(self.connect_button)
        row.addWidget(self.cancel_button)
        row.addStretch(1)
        content.addLayout(row)
        self.waiting = QLabel()
        self.waiting.setWordWrap(True)
        self.waiting.hide()
        content.addWidget(self.waiting)
        self.link = SignInLink()
        content.addWidget(self.link)
        self.result = QLabel()
        self.result.setObjectName("result")
        self.result.setWordWrap(True)
        content.addWidget(self.result)
        self.organisations = OrganisationsBox(flow)
        self.organisation = self.organisations.default  # the default organisation's combo
        content.addWidget(self.organisations)

        advanced = QGroupBox("Advanced")
        adv = QFormLayout(advanced)
        self.port = QSpinBox()
        self.port.setRange(0, 65535)
        self.port.setValue(flow.port)
        self.port.setToolTip("The port of the redirect URI registered for the Xero app (0 = any free port).")
        self.port.setAccessibleName("Callback port")
        if self.registration is not None:
            self.client_id = self.registration.client_id
        else:
            self.client_id = QLineEdit(flow.client_id)
            self.client_id.setAccessibleName("Xero app client id")
            adv.addRow("Xero app client id:", self.client_id)
        adv.addRow("Callback port:", self.port)
        content.addWidget(advanced)
        content.addStretch(1)
        self.add_status_widgets(stretch=False)
        self.countdown = QTimer(self)
        self.countdown.setInterval(1000)

        self.connect_button.clicked.connect(self._on_connect_clicked)
        self.cancel_button.clicked.connect(self._on_cancel_clicked)
        self.organisations.changed.connect(self.completeChanged)
        self.client_id.textChanged.connect(self._on_client_id_changed)
        self.port.valueChanged.connect(self._on_port_changed)
        self.link.open_requested.connect(self._open_url)
        self.countdown.timeout.connect(self._on_countdown_timeout)
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # holds the focus while nothing else may
        self.on_state_changed()

    def _scrolling_content(self) -> QVBoxLayout:
        """The page's controls scroll on a small screen; the busy bar and error line stay in view."""
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        inner = QWidget()
        scroll.setWidget(inner)
        self.body.addWidget(scroll, 1)
        layout = QVBoxLayout(inner)
        layout.setContentsMargins(0, 0, 0, 0)
        return layout

    def initializePage(self) -> None:  # noqa: N802 (Qt naming)
        if self.flow.xero_message:
            self.set_error(self.flow.xero_message)
        elif not self.flow.xero_connected and self.flow.has_saved_xero():
            self.result.setText("Checking the saved Xero connection…")
            self.run(self.flow.recheck_xero_job(), self._on_organisations, self._on_xero_failed)

    def on_state_changed(self) -> None:
        waiting = self._login is not None
        id_ok = self.registration is None or self.registration.valid()
        self.cancel_button.setVisible(waiting)
        self.waiting.setVisible(waiting)
        self.link.setVisible(waiting)
        can_connect = not self.busy and id_ok
        if self.connect_button.hasFocus() and not can_connect:
            # before disabling it: Qt would hand the focus on to the next field (the sign-in link, the client
            # id with its text selected)
            (self.cancel_button if waiting else self).setFocus(Qt.FocusReason.OtherFocusReason)
        self.connect_button.setEnabled(can_connect)
        self.client_id.setReadOnly(self.busy)
        self.port.setEnabled(not self.busy)
        self.organisations.setEnabled(not self.busy)

    # -- slots -----------------------------------------------------------------------------
    def _on_client_id_changed(self, text: str) -> None:
        self.flow.client_id = text.strip()
        self.on_state_changed()

    def _on_port_changed(self, value: int) -> None:
        self.flow.port = value
        if self.registration is not None:
            self.registration.set_port(value)

    def _on_connect_clicked(self) -> None:
        if self.busy:
            return
        self.flow.xero_message = ""
        self.flow.xero_connected = False
        self.set_error("")
        if not self.flow.endpoints.sandbox:
            problem = client_id_problem(self.flow.client_id)
            if problem:  # the browser would only show Xero's error page
                self.set_error(problem)
                return
        try:
            login = self.flow.start_xero_login()
        except XeroError as exc:
            self.set_error(exc.user_message)
            return
        self._login = login
        self.result.setStyleSheet("")
        self.result.clear()
        self._deadline = time.monotonic() + LOGIN_TIMEOUT
        self._on_countdown_timeout()
        self.countdown.start()
        self.link.show_url(login.url)
        self.run(self.flow.xero_login_job(login, LOGIN_TIMEOUT), self._on_signed_in, self._on_xero_failed)
        self._open_url(login.url)

    def _on_countdown_timeout(self) -> None:
        left = max(0, int(self._deadline - time.monotonic()))
        self.waiting.setText(
            f"Waiting for you to approve access in the browser ({left // 60}:{left % 60:02d} left). "
            "Cancel sign-in stops waiting."
        )

    def _stop_waiting(self) -> None:
        self._login = None
        self.countdown.stop()

    def _on_cancel_clicked(self) -> None:
        if self._login is not None:
            self._login.cancel()

    def _on_signed_in(self, result: XeroSignIn) -> None:
        """New tokens stay in the flow's memory; Finish puts them in the keyring."""
        self._on_organisations(self.flow.apply_xero_sign_in(result))

    def _on_organisations(self, organisations: list[Organisation]) -> None:
        self._stop_waiting()
        self.flow.organisations = organisations
        if organisations and not any(o.tenant_id == self.flow.tenant_id for o in organisations):
            self.flow.choose_organisation(organisations[0].tenant_id)  # the first is the default until another is chosen
        self.organisations.show_organisations(organisations)
        if not organisations:
            self.result.clear()
            self.set_error("The Xero sign-in gave access to no organisation: connect again and tick one.")
        else:
            self.flow.xero_connected = True
            self.result.setStyleSheet(style_for("ok", self.result))
            where = self.flow.secrets.where()
            self.result.setText(
                f"Connected to Xero. The sign-in is saved in {where} when you click Finish."
                if self.flow.has_new_xero_tokens() else f"Connected to Xero (sign-in saved in {where})."
            )
        self.on_state_changed()
        self.completeChanged.emit()
        self._focus_after(ok=bool(organisations))

    def _focus_after(self, ok: bool) -> None:
        """After a sign-in: the choice of organisations (or Next), else Connect again; never the client id."""
        wizard = self.wizard()
        if not ok:
            target = self.connect_button if self.connect_button.isEnabled() else self
        elif len(self.flow.organisations) > 1:
            target = self.organisation
        else:
            target = wizard.button(QWizard.WizardButton.NextButton) if wizard is not None else self
        target.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_xero_failed(self, exc: BaseException) -> None:
        self._stop_waiting()
        self.result.clear()
        self.on_state_changed()
        if isinstance(exc, XeroLoginCancelled):
            self.set_error("Sign-in cancelled. Click 'Connect to Xero…' to try again.")
        elif isinstance(exc, XeroLoginTimeout):
            self.set_error(timeout_message(LOGIN_TIMEOUT))
        elif isinstance(exc, XeroError):
            self.set_error(xero_problem_message(exc))
        elif isinstance(exc, SecretStoreUnavailable):
            self.set_error(str(exc))
        else:
            self.set_error(error_text(exc))
        self._focus_after(ok=False)

    def cleanupPage(self) -> None:  # noqa: N802 - going Back stops waiting for the browser
        self._on_cancel_clicked()
