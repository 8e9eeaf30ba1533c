"""Step 5: what will be set up (no secrets); Finish writes all of it at once."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from depot_gui.core.settings import SettingError
from depot_gui.store.db import StoreError
from depot_gui.store.secrets import SecretStoreUnavailable
from depot_gui.sync.setup import Page, SetupFlow

from depot_gui.ui.wizard.base import FlowPage


class SummaryPage(FlowPage):
    """Shows ``SetupFlow.summary()``; Finish commits the flow (keyring + settings), then hands over."""

    def __init__(self, flow: SetupFlow) -> None:
        super().__init__(flow, Page.SUMMARY)
        self.setTitle("Ready")
        self.setSubTitle("Click Finish to save this setup and load the invoices. Cancel saves nothing.")
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

    def validatePage(self) -> bool:  # noqa: N802 (Qt naming)
        """Finish: save everything at once (secrets to the keyring only); stay here if that fails."""
        if self.flow.committed:
            return True
        try:
            self.flow.commit()
        except (SecretStoreUnavailable, StoreError, SettingError) as exc:
            self.set_error(str(exc))
            return False
        return True
