"""Drafts a sync left as they are because they were edited in Xero: list the edits, ask before replacing."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QMessageBox, QWidget


def edits_text(edited: list[tuple[int, str, str]]) -> str:
    """One paragraph per invoice: 'INV-5001: line 1 quantity: Xero 20, Autotask 25'."""
    return "\n\n".join(f"{number}: {edits}." for _, number, edits in edited)


def review_edits(parent: QWidget, edited: list[tuple[int, str, str]],
                 on_replace: Callable[[list[int]], None]) -> QMessageBox:
    """A window-modal list of the edits; ``on_replace(autotask ids)`` only on Replace."""
    box = QMessageBox(parent)
    box.setObjectName("edits_review")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Drafts edited in Xero")
    n = len(edited)
    box.setText(f"{n} Xero draft{'s were' if n != 1 else ' was'} edited in Xero since {'they were' if n != 1 else 'it was'} "
                "synced, and left as they are. Write Autotask's lines over these edits?")
    box.setInformativeText(edits_text(edited))
    replace = box.addButton("&Replace the edits", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("&Keep Xero's drafts", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(box.buttons()[-1])  # a deliberate act: Enter keeps the edits

    def finished() -> None:
        if box.clickedButton() is replace:
            on_replace([aid for aid, _, _ in edited])

    box.finished.connect(finished)
    box.open()
    return box


__all__ = ["edits_text", "review_edits"]
