"""Step 5: what was set up (no secrets), then Finish."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from depot_gui.sync.setup import Page, SetupFlow

from .base import FlowPage


class SummaryPage(FlowPage):
    """Shows ``SetupFlow.summary()``; Finish hands over to the main window."""

    def __init__(self, flow: SetupFlow) -> None:
        super().__init__(flow, Page.SUMMARY)
        self.setTitle("Ready")
        self.setSubTitle("Depot GUI is set up. Click Finish to load the invoices.")
        self.summary = QLabel()
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.body.addWidget(self.summary)
        self.add_status_widgets()
        self.setFinalPage(True)

    def initializePage(self) -> None:  # noqa: N802 (Qt naming)
        rows = "".join(
            f"<tr><td>{escape(k)}:&nbsp;</td><td><b>{escape(v)}</b></td></tr>" for k, v in self.flow.summary()
        )
        self.summary.setText(f"<table>{rows}</table>")
