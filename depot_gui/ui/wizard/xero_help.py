"""The Xero page's helpers: registering a Xero app when the build has none, and the sign-in link."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication, QTextOption
from PySide6.QtWidgets import (
    QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget,
)

from depot_gui.store.publisher import client_id_problem

from depot_gui.ui.colors import style_for

REGISTER_URL = "https://developer.xero.com/app/manage"


def redirect_uri_for(port: int) -> str:
    return f"http://localhost:{port}/callback" if port else "http://localhost:PORT/callback"


def _rich(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setOpenExternalLinks(True)
    label.setTextInteractionFlags(
        Qt.TextInteractionFlag.TextBrowserInteraction | Qt.TextInteractionFlag.TextSelectableByKeyboard
    )
    return label


class CopyLine(QWidget):
    """A read-only, selectable line of text with a Copy button."""

    def __init__(self, text: str, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.field = QLineEdit(text)
        self.field.setReadOnly(True)
        self.field.setAccessibleName(name)
        self.copy_button = QPushButton("Copy")
        self.copy_button.setAccessibleName(f"Copy {name.lower()}")
        row.addWidget(self.field, 1)
        row.addWidget(self.copy_button)
        self.copy_button.clicked.connect(self._on_copy_clicked)

    def set_text(self, text: str) -> None:
        self.field.setText(text)

    def _on_copy_clicked(self) -> None:
        QGuiApplication.clipboard().setText(self.field.text())


class RegistrationBox(QGroupBox):
    """Three steps to register Depot GUI as a Xero "Mobile or desktop app" (PKCE), and the client id field.

    Signals:
        changed(str): the client id as typed (stripped).
    """

    changed = Signal(str)

    def __init__(self, client_id: str, port: int, parent: QWidget | None = None) -> None:
        super().__init__("Register Depot GUI with Xero (once)", parent)
        layout = QVBoxLayout(self)
        layout.addWidget(_rich(
            "This copy of Depot GUI came without a Xero app of its own. Xero asks each desktop app to be "
            "registered; it takes a few minutes and involves no password or secret."
        ))
        layout.addWidget(_rich(
            f"<b>1.</b> Sign in at <a href='{REGISTER_URL}'>developer.xero.com › My Apps</a> and click "
            "<b>New app</b>. Choose the integration type <b>Mobile or desktop app</b> (Xero lists it as "
            "PKCE); any app name and your company's website will do."
        ))
        layout.addWidget(_rich("<b>2.</b> As the <b>redirect URI</b> enter exactly:"))
        self.redirect = CopyLine(redirect_uri_for(port), "Redirect URI")
        layout.addWidget(self.redirect)
        layout.addWidget(_rich(
            "<b>3.</b> Save the app, open its <b>Configuration</b> page, copy the <b>Client id</b> and "
            "paste it here:"
        ))
        self.client_id = QLineEdit(client_id)
        self.client_id.setPlaceholderText("32 characters, like E57D7FD5C2C34B0FAD6A27C37D234008")
        self.client_id.setAccessibleName("Xero app client id")
        layout.addWidget(self.client_id)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setObjectName("client_id_problem")
        layout.addWidget(self.problem)
        self.client_id.textChanged.connect(self._on_client_id_changed)
        self._show_problem(self.client_id.text(), quiet_when_empty=True)

    def set_port(self, port: int) -> None:
        self.redirect.set_text(redirect_uri_for(port))

    def valid(self) -> bool:
        return client_id_problem(self.client_id.text()) is None

    def _show_problem(self, text: str, quiet_when_empty: bool = False) -> None:
        problem = client_id_problem(text)
        if problem and quiet_when_empty and not text.strip():
            problem = None
        self.problem.setStyleSheet(style_for("error", self.problem))
        self.problem.setText(problem or "")
        self.problem.setVisible(bool(problem))

    def _on_client_id_changed(self, text: str) -> None:
        self._show_problem(text)
        self.changed.emit(text.strip())


class SignInLink(QWidget):
    """The sign-in address while waiting: wrapped, selectable, with Copy and Open in browser.

    Signals:
        open_requested(str): the user asked to open the address in the browser.
    """

    open_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.caption = QLabel("If no browser opened (a remote desktop, say), open this address in any browser:")
        self.caption.setWordWrap(True)
        layout.addWidget(self.caption)
        self.url = QPlainTextEdit()
        self.url.setReadOnly(True)
        self.url.setWordWrapMode(QTextOption.WrapMode.WrapAnywhere)  # a URL has no spaces to wrap at
        self.url.setAccessibleName("Xero sign-in address")
        self.url.setTabChangesFocus(True)
        lines = self.url.fontMetrics().lineSpacing() * 5
        self.url.setFixedHeight(lines + 2 * self.url.frameWidth() + 8)
        layout.addWidget(self.url)
        row = QHBoxLayout()
        self.copy_button = QPushButton("&Copy link")
        self.open_button = QPushButton("&Open in browser")
        self.copied = QLabel()
        row.addWidget(self.copy_button)
        row.addWidget(self.open_button)
        row.addWidget(self.copied, 1)
        layout.addLayout(row)
        self.copy_button.clicked.connect(self._on_copy_clicked)
        self.open_button.clicked.connect(self._on_open_clicked)
        self.hide()

    def show_url(self, url: str) -> None:
        self.url.setPlainText(url)
        self.copied.clear()
        self.show()

    def text(self) -> str:
        return self.url.toPlainText()

    def _on_copy_clicked(self) -> None:
        QGuiApplication.clipboard().setText(self.text())
        self.copied.setText("Copied.")

    def _on_open_clicked(self) -> None:
        self.open_requested.emit(self.text())
