"""Review before turning on service adjustment support: which invoices change, and how."""

from __future__ import annotations

from dataclasses import replace


from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QDialog, QDialogButtonBox, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget,
)

from depot_gui.sync.session.session import Session

from depot_gui.ui.dialogs.errors import friendly_message, log
from depot_gui.ui.models.review_table import ReviewModel, review_rows
from depot_gui.ui.ops.workers import Op


class ServiceReviewDialog(QDialog):
    """Runs a preview audit with service adjustments on (in the background), lists the changes
    and enables "Turn on" only after the user ticks that they reviewed them.

    Args:
        session: the open session (its store holds the current results).
    """

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.op: Op | None = None
        self.setWindowTitle("Review: service adjustment support")
        self.resize(860, 420)
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Xero does not accept negative quantities. With service adjustment support on, a billing item "
            "with a negative quantity is sent as quantity 1 at the item's total. Below is every invoice "
            "not yet in Xero that this would change."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.state = QLabel("Checking your invoices with the setting turned on…")
        self.state.setWordWrap(True)
        layout.addWidget(self.state)
        self.model = ReviewModel(self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.verticalHeader().hide()
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        layout.addWidget(self.view, 1)
        self.confirm = QCheckBox("I have reviewed these changes and want them sent to Xero this way")
        self.confirm.setEnabled(False)
        layout.addWidget(self.confirm)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.turn_on = self.buttons.addButton("Turn on", QDialogButtonBox.ButtonRole.AcceptRole)
        self.turn_on.setEnabled(False)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.confirm.toggled.connect(self._on_confirm_toggled)

    def start(self) -> None:
        """Run the preview audit in the background (no record, nothing sent)."""
        session = self.session
        settings = replace(session.settings(), service_adjustments=True)
        before = {r.autotask_id: session.store.last_result(r.autotask_id) for r in session.store.invoices()}

        def work(cancel, progress):
            after = session.auditor(progress, cancel).audit(record=False, settings=settings)
            return review_rows({k: v for k, v in before.items() if v is not None}, after)

        self.op = Op(self, work).success(self._on_preview_done).failure(self._on_preview_failed).run()

    def _on_preview_done(self, rows) -> None:
        self.model.set_rows(rows)
        self.view.resizeColumnsToContents()
        self.view.resizeRowsToContents()
        if rows:
            self.state.setText(
                f"{len(rows)} invoice{'s' if len(rows) != 1 else ''} would change. Nothing has been changed yet."
            )
        else:
            self.state.setText("No invoice waiting to be synced would change. You can still turn it on for future invoices.")
        self.confirm.setEnabled(True)

    def _on_preview_failed(self, exc: BaseException) -> None:
        log.error("Service adjustment preview failed", exc_info=(type(exc), exc, exc.__traceback__))
        self.state.setText(
            "The check could not run, so the changes cannot be shown: " + friendly_message(exc)
            + " The setting stays off; try again when the connection works."
        )

    def _on_confirm_toggled(self, on: bool) -> None:
        self.turn_on.setEnabled(on)

    def done(self, result: int) -> None:
        if self.op is not None and self.op.running:
            self.op.cancel.cancel()
        super().done(result)


__all__ = ["ServiceReviewDialog"]
