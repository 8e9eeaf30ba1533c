"""Step 2: does the API user see every line of business? Verdict, evidence, fix steps."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from depot_gui.sync.setup import LobVerdict, Page, SetupFlow, Tagged

from depot_gui.ui.colors import style_for
from depot_gui.ui.wizard.base import FlowPage


class LinesOfBusinessPage(FlowPage):
    """Runs the check on entry; Re-check after fixing; continuing past red needs a confirmation."""

    def __init__(self, flow: SetupFlow) -> None:
        super().__init__(flow, Page.LOB)
        self._generation = -1  # the Autotask input generation the running check is for
        self.setTitle("Lines of business")
        self.setSubTitle(
            "Autotask silently hides billing items on lines of business the API user is not tied to. "
            "Depot GUI checks this before the first sync."
        )
        self.verdict = QLabel()
        self.verdict.setObjectName("verdict")
        self.verdict.setWordWrap(True)
        font = self.verdict.font()
        font.setBold(True)
        self.verdict.setFont(font)
        self.body.addWidget(self.verdict)

        self.evidence_box = QGroupBox("Evidence")
        box = QVBoxLayout(self.evidence_box)
        self.evidence = QLabel()
        self.evidence.setObjectName("evidence")
        self.evidence.setWordWrap(True)
        self.evidence.setTextFormat(Qt.TextFormat.RichText)
        box.addWidget(self.evidence)
        self.body.addWidget(self.evidence_box)

        self.fix_box = QGroupBox("How to fix it in Autotask")
        fix = QVBoxLayout(self.fix_box)
        self.fix_steps = QLabel()
        self.fix_steps.setObjectName("fix_steps")
        self.fix_steps.setWordWrap(True)
        self.fix_steps.setTextFormat(Qt.TextFormat.RichText)
        fix.addWidget(self.fix_steps)
        self.body.addWidget(self.fix_box)

        row = QHBoxLayout()
        self.recheck_button = QPushButton("Re-check")
        row.addWidget(self.recheck_button)
        row.addStretch(1)
        self.body.addLayout(row)
        self.confirm_note = QLabel(
            "Invoices with billing items on hidden lines of business will not match, and Depot GUI "
            "will not sync them until this is fixed."
        )
        self.confirm_note.setWordWrap(True)
        self.confirm = QCheckBox("I understand that invoices may fail to match: continue anyway")
        self.body.addWidget(self.confirm_note)
        self.body.addWidget(self.confirm)
        self.add_status_widgets()
        self.evidence_box.hide()
        self.fix_box.hide()
        self.confirm.hide()
        self.confirm_note.hide()

        self.recheck_button.clicked.connect(self._on_recheck_clicked)
        self.confirm.toggled.connect(self._on_confirm_toggled)

    def initializePage(self) -> None:  # noqa: N802 (Qt naming)
        if self.flow.lob is not None:
            self._show(self.flow.lob)
        elif not (self.busy and self._generation == self.flow.autotask_generation):
            self._start_check()  # no verdict for the current input (and none on its way): check now

    def on_state_changed(self) -> None:
        self.recheck_button.setEnabled(not self.busy)

    # -- slots -----------------------------------------------------------------------------
    def _on_recheck_clicked(self) -> None:
        if self.busy:
            return
        self._start_check()

    def _start_check(self) -> None:
        self._clear()
        self.verdict.setText("Checking what the API user can see…")
        job = self.flow.lob_job()
        self._generation = job.generation
        self.run(job, self._on_checked)

    def _clear(self) -> None:
        self.verdict.setStyleSheet("")
        self.evidence_box.hide()
        self.fix_box.hide()
        self.confirm.hide()
        self.confirm_note.hide()

    def _on_checked(self, result: Tagged[LobVerdict]) -> None:
        if not self.flow.apply_lob(result):
            return  # the Autotask input changed while checking: not this user's verdict
        verdict = result.value
        self.confirm.blockSignals(True)
        self.confirm.setChecked(False)
        self.confirm.blockSignals(False)
        self._show(verdict)
        self.completeChanged.emit()

    def _on_confirm_toggled(self, checked: bool) -> None:
        self.flow.lob_confirmed = checked
        self.completeChanged.emit()

    # -- rendering -------------------------------------------------------------------------
    def _show(self, v: LobVerdict) -> None:
        self.verdict.setText(v.headline)
        self.verdict.setStyleSheet(style_for("ok" if v.green else "error", self.verdict))
        self.evidence.setText(evidence_html(v))
        self.evidence_box.setVisible(bool(v.entity_access))
        self.fix_steps.setText(
            "<ol>" + "".join(f"<li>{escape(step)}</li>" for step in v.fix_steps) + "</ol>"
        )
        self.fix_box.setVisible(bool(v.fix_steps))
        self.confirm.setVisible(not v.green)
        self.confirm_note.setVisible(not v.green)
        self.confirm.setChecked(self.flow.lob_confirmed)


def evidence_html(v: LobVerdict) -> str:
    """The evidence as a small table: entity access, structure in use, lines by name."""
    rows = [(f"{entity} access", access) for entity, access in v.entity_access]
    if not v.checked:
        rows.append(("Lines of business", "not checked"))
    else:
        rows.append(("Organizational Structure in use", "yes" if v.structure_in_use else "no"))
    if v.checked and v.structure_in_use:
        rows.append(("All active lines of business", ", ".join(v.all_lines) or "(none)"))
        rows.append(("The API user's lines of business", ", ".join(v.user_lines) or "none (so it sees all)"))
        rows.append(("Hidden from the API user", ", ".join(v.hidden) or "none"))
    cells = "".join(
        f"<tr><td>{escape(k)}:&nbsp;</td><td><b>{escape(val)}</b></td></tr>" for k, val in rows
    )
    return f"<table>{cells}</table>"
