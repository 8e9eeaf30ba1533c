"""Step 1: the Autotask API user's username, secret and integration code, checked live."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton

from depot_gui.sync.setup import AutotaskCheck, Page, SetupFlow, Tagged

from depot_gui.ui.window.banner import Banner
from depot_gui.ui.colors import style_for
from depot_gui.ui.wizard.base import FlowPage


class AutotaskPage(FlowPage):
    """Username, secret and integration code; zone discovery plus a test call on demand."""

    def __init__(self, flow: SetupFlow) -> None:
        super().__init__(flow, Page.AUTOTASK)
        self.setTitle("Connect to Autotask")
        self.setSubTitle(
            "Enter the Autotask API user Depot GUI reads invoices with. The secret and integration "
            "code are kept in the system keyring only, saved when you click Finish."
        )
        form = QFormLayout()
        self.username = QLineEdit(flow.username)
        self.username.setPlaceholderText("api-user@yourcompany.com")
        self.secret = QLineEdit()
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.code = QLineEdit()
        self.code.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow("API username:", self.username)
        form.addRow("Secret:", self.secret)
        form.addRow("Integration code:", self.code)
        self.body.addLayout(form)
        row = QHBoxLayout()
        self.check_button = QPushButton("Check connection")
        row.addWidget(self.check_button)
        row.addStretch(1)
        self.body.addLayout(row)
        self.result = QLabel()
        self.result.setObjectName("result")
        self.result.setWordWrap(True)
        self.body.addWidget(self.result)
        self.add_status_widgets()

        self.keyring_banner = Banner()
        self.keyring_banner.setObjectName("keyring_banner")
        self.keyring_banner.close_button.hide()  # nothing works until there is a keyring: no dismissing it
        self.keyring_banner.action_clicked.connect(self._on_keyring_retry)
        self.body.insertWidget(0, self.keyring_banner)
        self._keyring_problem: str | None = None
        self._check_keyring()
        for field in (self.username, self.secret, self.code):
            field.textChanged.connect(self._on_field_changed)
            field.returnPressed.connect(self._on_check_clicked)
        self.check_button.clicked.connect(self._on_check_clicked)
        self.on_state_changed()

    def _check_keyring(self) -> None:
        """Say at the top of the page when there is no keyring to keep the secret in; Retry looks again."""
        self._keyring_problem = self.flow.keyring_problem()
        if self._keyring_problem:
            self.keyring_banner.show_message(  # the window's own words: Retry, not "start Depot GUI again"
                "No system keyring is available to keep the Autotask secret and the Xero sign-in safe. On Linux, "
                "install and unlock a Secret Service keyring (for example gnome-keyring or KWallet); on Windows "
                "and macOS it is built in. Then press Retry.", action="&Retry", action_key="retry",
            )
        else:
            self.keyring_banner.hide()
            self._show_saved_placeholders()
        self.on_state_changed()

    def _on_keyring_retry(self, _key: str) -> None:
        self._check_keyring()

    def _show_saved_placeholders(self) -> None:
        if self.flow.has_saved_secret():
            self.secret.setPlaceholderText(f"saved in {self.flow.secrets.where()}; leave empty to keep it")
        if self.flow.has_saved_code():
            self.code.setPlaceholderText(f"saved in {self.flow.secrets.where()}; leave empty to keep it")

    def on_state_changed(self) -> None:
        self.check_button.setEnabled(not self.busy and not self._keyring_problem)
        for field in (self.username, self.secret, self.code):
            field.setReadOnly(self.busy)

    # -- slots -----------------------------------------------------------------------------
    def _on_field_changed(self, _text: str) -> None:
        had_check = self.flow.autotask_check is not None
        self.flow.set_autotask_input(self.username.text(), self.secret.text(), self.code.text())
        if had_check and self.flow.autotask_check is None:
            self.result.clear()
        self.completeChanged.emit()

    def _on_check_clicked(self) -> None:
        if self.busy or self._keyring_problem:
            return
        self.flow.set_autotask_input(self.username.text(), self.secret.text(), self.code.text())
        self.result.clear()
        problems = self.flow.autotask_input_problems()
        if problems:
            self.set_error(" ".join(problems.values()))
            return
        self.run(self.flow.autotask_job(), self._on_checked)

    def _on_checked(self, result: Tagged[AutotaskCheck]) -> None:
        if not self.flow.apply_autotask_check(result):
            return  # the input changed while checking: this outcome is for other credentials
        check = result.value
        if check.ok:
            self.result.setStyleSheet(style_for("ok", self.result))
            self.result.setText(check.message)
            self.set_error("")
        else:
            self.result.clear()
            self.set_error(check.message)
        self.completeChanged.emit()
