"""Settings › Connections: what each service is connected as, read afresh in the background.

Autotask: API user, zone, the line-of-business verdict, when it was checked. Xero: the organisations,
the sign-in and how long the access lasts, the permissions granted. Reconnect… runs the setup wizard;
Sign out of Xero… ends the sign-in (asks first). Nothing here waits on the network on the UI thread:
the check and the sign-out run as background ops and fill the labels when they answer.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFormLayout, QGroupBox, QHBoxLayout, QLabel, QMessageBox, QPushButton, QVBoxLayout, QWidget

from depot_gui.sync.session.connection_report import ConnectionReport, check_connections, sign_out
from depot_gui.sync.session.session import Session

from depot_gui.ui.colors import style_for
from depot_gui.ui.dialogs.errors import friendly_message
from depot_gui.ui.ops.workers import Op
from depot_gui.ui.resources import local_time

CHECKING = "Checking…"
SIGN_OUT_QUESTION = ("Sign out of Xero?\n\nDepot GUI stops reaching your Xero organisations until you sign in "
                     "again with Reconnect…. Nothing in Xero or Autotask changes.")


def _value() -> QLabel:
    label = QLabel(CHECKING)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class ConnectionsSection(QWidget):
    """The Connections tab. Signals: setup_requested (Reconnect…), recheck_requested (Refresh invoices),
    signed_out(str) (the sentence the sign-out left)."""

    setup_requested = Signal()
    recheck_requested = Signal()
    signed_out = Signal(str)

    def __init__(self, session: Session, summary: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        layout = QVBoxLayout(self)
        self.connection_label = QLabel(summary)  # the window's one-line summary, until the check answers
        self.connection_label.setWordWrap(True)
        layout.addWidget(self.connection_label)
        self.fields: dict[str, QLabel] = {}
        layout.addWidget(self._group("Autotask", (("autotask_user", "API user"), ("zone", "Zone"),
                                                  ("lines", "Lines of business"), ("checked", "Last checked"))))
        layout.addWidget(self._group("Xero", (("organisations", "Organisations"), ("access", "Sign-in"),
                                              ("scopes", "Permissions"))))
        buttons = QHBoxLayout()
        self.setup_button = QPushButton("Reconnect…")
        self.setup_button.setToolTip("Run the setup again: Autotask credentials, Xero sign-in, mapping")
        self.sign_out_button = QPushButton("Sign out of Xero…")
        self.sign_out_button.setToolTip("End the Xero sign-in on this computer (asks first)")
        self.check_button = QPushButton("Re-check")
        self.check_button.setToolTip("Read the connection details again: confirms a changed line-of-business access")
        self.recheck_button = QPushButton("Refresh invoices")
        self.recheck_button.setToolTip("Close Settings, connect again and check every invoice against Autotask")
        for button in (self.setup_button, self.sign_out_button, self.check_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.recheck_button)
        layout.addLayout(buttons)
        layout.addStretch(1)
        self.setup_button.clicked.connect(self.setup_requested)
        self.recheck_button.clicked.connect(self.recheck_requested)
        self.check_button.clicked.connect(self.check)
        self.sign_out_button.clicked.connect(self._on_sign_out_clicked)
        self.ask: Callable[[str], bool] = self._ask
        self.report: ConnectionReport | None = None

    def _group(self, title: str, rows: tuple[tuple[str, str], ...]) -> QGroupBox:
        box = QGroupBox(title)
        form = QFormLayout(box)
        for key, caption in rows:
            self.fields[key] = _value()
            self.fields[key].setAccessibleName(f"{title} {caption.lower()}")
            form.addRow(caption + ":", self.fields[key])
        return box

    # ------------------------------------------------------------------ background work
    def check(self) -> Op:
        """Read the connection details in the background; the labels say "Checking…" meanwhile."""
        for label in self.fields.values():
            label.setText(CHECKING)
            label.setStyleSheet("")
        self._busy(True)
        session = self.session
        return Op(self, lambda cancel, progress: check_connections(session)).success(self.show_report) \
            .failure(self._on_failed).finally_(lambda: self._busy(False)).run()

    def _on_sign_out_clicked(self) -> None:
        if not self.ask(SIGN_OUT_QUESTION):
            return
        self._busy(True)
        session = self.session
        Op(self, lambda cancel, progress: sign_out(session)).success(self._on_signed_out) \
            .failure(self._on_failed).finally_(lambda: self._busy(False)).run()

    def _busy(self, busy: bool) -> None:
        for button in (self.setup_button, self.sign_out_button, self.check_button, self.recheck_button):
            button.setEnabled(not busy)

    # ------------------------------------------------------------------ results
    def show_report(self, report: ConnectionReport) -> None:
        self.report = report
        f = self.fields
        f["checked"].setText(local_time(report.checked_at.isoformat()) + (" (sandbox)" if report.sandbox else ""))
        if report.problem:
            for key in ("autotask_user", "zone", "lines", "organisations", "access", "scopes"):
                f[key].setText("—")
            f["autotask_user"].setText(f"Not connected: {report.problem}")
            f["autotask_user"].setStyleSheet(style_for("error", f["autotask_user"]))
            return
        f["autotask_user"].setText(report.autotask_user)
        f["zone"].setText(report.zone)
        f["lines"].setText(report.lines_of_business)
        kind = {True: "ok", False: "error", None: "warning"}[report.lines_ok]
        f["lines"].setStyleSheet(style_for(kind, f["lines"]))
        f["organisations"].setText("\n".join(
            f"{name} (default)" if name == report.default_organisation and len(report.organisations) > 1 else name
            for name in report.organisations) or "none")
        f["access"].setText(report.access)
        f["scopes"].setText("\n".join(report.scopes) or "none")

    def _on_signed_out(self, sentence: str) -> None:
        self.signed_out.emit(sentence)
        self.check()

    def _on_failed(self, exc: BaseException) -> None:
        self.fields["checked"].setText(f"The check failed: {friendly_message(exc)}")

    def _ask(self, question: str) -> bool:
        answer = QMessageBox.question(self.window(), "Sign out of Xero", question,
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes


__all__ = ["ConnectionsSection"]
