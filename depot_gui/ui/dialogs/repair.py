"""The window's way back from a damaged local database: ask, repair off the UI thread, report.

Repair itself is ``depot_gui.sync.maintenance.repair`` (the same as `depot-sync repair`): the damaged file is
kept aside, the newest good backup restored, the invoice states rebuilt from Autotask and Xero.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEventLoop
from PySide6.QtWidgets import QMessageBox, QWidget

from depot_gui.sync.maintenance.repair import RepairReport, repair

from depot_gui.ui.dialogs.errors import friendly_message
from depot_gui.ui.ops.workers import Op

REPAIR_EXIT = 77  # app.exec() code: the window closed so the database can be repaired
# What the damaged-database dialog says; the file and SQLite's words go to the log only.
DAMAGED_TEXT = "Depot GUI's local database is damaged and cannot be read."


def ask_repair(parent: QWidget | None, message: str) -> bool:
    """The damaged-database dialog: Repair (default) or Quit. True when the user chose Repair."""
    box = QMessageBox(QMessageBox.Icon.Critical, "Depot GUI", message[:1].upper() + message[1:], parent=parent)
    box.setObjectName("damaged_box")
    box.setInformativeText(
        "Repair keeps the damaged file aside (it is never deleted), starts again from the newest daily backup, "
        "and rebuilds which invoices are synced from Autotask and Xero. Nothing is written to Xero."
    )
    repair_button = box.addButton("&Repair", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("&Quit", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(repair_button)
    box.exec()
    return box.clickedButton() is repair_button


def run_repair(parent: QWidget | None, data_dir: str | Path | None, scenario: str | Path | None) -> RepairReport | None:
    """Repair with a progress dialog, waiting in a local event loop; the report, or None after a failure dialog."""
    loop = QEventLoop()
    outcome: dict = {}

    def done(report: RepairReport) -> None:
        outcome["report"] = report
        QMessageBox.information(parent, "Local database repaired", "\n".join(report.lines(window=True)))

    def failed(exc: BaseException) -> None:
        QMessageBox.critical(parent, "Repair did not finish", friendly_message(exc))

    Op(parent, lambda cancel, progress: repair(data_dir, scenario)).success(done).failure(failed).finally_(
        loop.quit
    ).with_progress("Repairing the local database…").run()
    loop.exec()
    return outcome.get("report")
