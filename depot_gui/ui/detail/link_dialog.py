"""The review before linking a conflicting Xero document: what it is, what linking changes."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QMessageBox, QWidget


def review_link(parent: QWidget, preview, on_link: Callable[[object], None]) -> QMessageBox:
    """Open a window-modal review of ``preview`` (a LinkPreview); ``on_link(preview)`` only on Link."""
    r = preview.result
    box = QMessageBox(parent)
    box.setObjectName("link_review")
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle("Link to Xero document")
    box.setText(f"Make this Xero document the one for {r.invoice_number}?")
    box.setInformativeText(preview.text)
    link = box.addButton("&Link", QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)  # a deliberate act: Enter does not link

    def finished() -> None:
        if box.clickedButton() is link:
            on_link(preview)

    box.finished.connect(finished)
    box.open()
    return box


__all__ = ["review_link"]
