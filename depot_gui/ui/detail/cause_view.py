"""One diagnosed cause as a card: title, amount it explains, evidence, exact fix steps."""

from __future__ import annotations

import re
from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from depot_gui.core.diagnosis import Cause
from depot_gui.core.money import fmt_money

SETTINGS_LINK = "depot:settings"
# Fix steps are shared with `depot-sync`; their "(depot-sync: ...)" hints are for the command line.
_CLI_HINT = re.compile(r"\s*\(depot-sync: [^)]*\)")


def for_window(text: str) -> str:
    """A fix step as the window says it: without the command-line hint."""
    return _CLI_HINT.sub("", text)


def cause_html(cause: Cause, rank: int, currency: str = "") -> str:
    """Rich text for one cause (its amount in ``currency``); every engine string is escaped."""
    lead = "Most likely" if rank == 0 else "Also possible"
    parts = [
        f"<p style='margin:0'><b>{lead}: {escape(cause.title)}</b></p>",
        f"<p style='margin:2px 0 4px 0'>Explains <b>{escape(fmt_money(cause.amount, currency))}</b> of the difference.</p>",
    ]
    if cause.evidence:
        parts.append("<p style='margin:4px 0 0 0'><b>What we found</b></p><ul style='margin-top:0'>")
        parts += [f"<li>{escape(e)}</li>" for e in cause.evidence]
        parts.append("</ul>")
    if cause.fix:
        parts.append("<p style='margin:4px 0 0 0'><b>What to do</b></p><ol style='margin-top:0'>")
        parts += [f"<li>{escape(for_window(f))}</li>" for f in cause.fix]
        parts.append("</ol>")
    if cause.code == "service_adjustment":
        parts.append(
            f"<p style='margin:4px 0 0 0'><a href='{SETTINGS_LINK}'>Open Settings › Service adjustment "
            "support…</a> (you will see every invoice it changes before it is turned on)</p>"
        )
    return "".join(parts)


class CauseCard(QFrame):
    """A framed card for one cause.

    Args:
        cause: the diagnosed cause.
        rank: 0 for the most likely cause.
        currency: the invoice's currency (the amount explained is shown with it).

    Signals:
        settings_requested: the user followed the link to the Settings dialog.
    """

    settings_requested = Signal()

    def __init__(self, cause: Cause, rank: int, parent: QWidget | None = None, currency: str = "") -> None:
        super().__init__(parent)
        self.cause = cause
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setObjectName(f"cause_{cause.code}")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        self.label = QLabel(cause_html(cause, rank, currency))
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        flags = Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.LinksAccessibleByMouse
        if SETTINGS_LINK in self.label.text():  # Tab stops only where there is something to press
            flags |= Qt.TextInteractionFlag.LinksAccessibleByKeyboard
        self.label.setTextInteractionFlags(flags)
        self.label.setFocusPolicy(
            Qt.FocusPolicy.StrongFocus if SETTINGS_LINK in self.label.text() else Qt.FocusPolicy.NoFocus
        )
        self.label.setAccessibleName(f"{'Most likely' if rank == 0 else 'Also possible'} cause: {cause.title}")
        self.label.linkActivated.connect(self._on_label_link_activated)
        layout.addWidget(self.label)

    def text(self) -> str:
        """Plain text of the card (for tests and copy)."""
        doc = QTextDocument()
        doc.setHtml(self.label.text())
        return doc.toPlainText()

    def _on_label_link_activated(self, link: str) -> None:
        if link == SETTINGS_LINK:
            self.settings_requested.emit()
