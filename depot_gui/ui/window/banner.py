"""An inline message strip above the panes (not connected, an operation failed); never a traceback."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QStyle, QWidget


class Banner(QFrame):
    """A dismissable message with an optional action button.

    Signals:
        action_clicked(str): the action key given to show_message.
    """

    action_clicked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        # Tooltip roles: a highlighted strip with matching text colour in light and dark themes.
        self.setBackgroundRole(QPalette.ColorRole.ToolTipBase)
        self.setForegroundRole(QPalette.ColorRole.ToolTipText)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        self.icon = QLabel()
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.action = QPushButton()
        self.close_button = QPushButton("Dismiss")
        layout.addWidget(self.icon)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.action)
        layout.addWidget(self.close_button)
        self._key = ""
        self.action.clicked.connect(self._on_action_clicked)
        self.close_button.clicked.connect(self.hide)
        self.hide()

    def show_message(self, text: str, *, warning: bool = True, action: str = "", action_key: str = "") -> None:
        pixmap = QStyle.StandardPixmap.SP_MessageBoxWarning if warning else QStyle.StandardPixmap.SP_MessageBoxInformation
        self.icon.setPixmap(self.style().standardIcon(pixmap).pixmap(20, 20))
        self.label.setText(text)
        self.action.setText(action)
        self.action.setVisible(bool(action))
        self._key = action_key
        self.show()

    def text(self) -> str:
        return self.label.text() if self.isVisible() else ""

    def _on_action_clicked(self) -> None:
        self.action_clicked.emit(self._key)
