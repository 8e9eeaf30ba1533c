"""The detail pane's header: invoice title, status chip, the four totals, verdict, notes and payment.

``InvoiceHeader`` builds these labels into the pane's layout (top of the pane, above the
buttons) and fills them from an invoice row and its last audit: what the pane says first,
in words and figures, before the causes and the tables below.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QGuiApplication, QPalette
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QVBoxLayout

from depot_gui.core.audit import CONFLICT, MISMATCH, AuditResult
from depot_gui.core.money import fmt_money, is_credit_total
from depot_gui.store.db import InvoiceRow

from depot_gui.ui.colors import caption_color, color_for, style_for
from depot_gui.ui.contacts.text import row_status_text, window_wording
from depot_gui.ui.resources import local_time, status_icon

FIGURES = (("autotask", "Autotask total"), ("xero", "Xero total"), ("difference", "Difference"),
           ("tolerance", "Maximum rounding difference"))


def is_credit_row(row: InvoiceRow) -> bool:
    """A negative Autotask total: Xero receives a credit note of the positive amount."""
    try:
        return is_credit_total(Decimal(row.autotask_total))
    except (InvalidOperation, TypeError):
        return False


def xero_holds(row: InvoiceRow, result: AuditResult | None) -> str:
    """The total Xero will hold: Xero's rounding of the lines plus any rounding line (marked *); for a
    negative total, the credit note Xero holds instead ("credit note AUD 621.16")."""
    if result is None:
        try:
            total, currency = Decimal(row.xero_total) + Decimal(row.rounding_line or "0"), row.currency
        except (InvalidOperation, TypeError):
            return _with(row.currency, row.xero_total)
        mark = ""
    else:
        total, currency = result.xero_total + result.rounding_line, result.currency
        mark = " *" if result.rounding_line else ""
    if is_credit_row(row):
        return f"credit note {fmt_money(-total, currency)}{mark}"
    return fmt_money(total, currency) + mark


def _with(currency: str, amount: str) -> str:
    return f"{currency} {amount}".strip()


def where_it_goes(result: AuditResult | None) -> str:
    """The organisation and currency it goes in, and at which exchange rate (the setting's preview)."""
    if result is None or not result.organisation:
        return ""
    text = f"Xero organisation: {result.organisation}"
    base = result.extra.get("base_currency")
    if not base or not result.currency:
        return text + (f" · {result.currency}" if result.currency else "") + "."
    at_rate = result.extra.get("autotask_rate")
    autotask = f"1 {base} = {at_rate} {result.currency}" if at_rate else ""
    if result.draft is not None and result.draft.currency_rate is not None:
        how = f"at Autotask's exchange rate, {autotask}"
    else:
        how = "at Xero's rate of the day" + (f" (Autotask's rate: {autotask})" if autotask else "")
    return (f"{text} · sent in {result.currency}, not converted; Xero converts to {base} {how}. "
            "Settings › Audit & sync › Exchange rate chooses which rate.")


def scaled(label: QLabel, factor: float, bold: bool = False) -> QLabel:
    """``label`` with its font ``factor`` times larger (and bold when asked)."""
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * factor)
    if bold:
        font.setBold(True)
    label.setFont(font)
    return label


class Caption(QLabel):
    """A figure's caption: quieter than the figure, still readable (``colors.caption_color``) in the light or
    dark palette, coloured again when the palette changes (View › Appearance, the system's mode)."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self._colouring = False
        self._colour()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt naming
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and not self._colouring:
            self._colour()

    def _colour(self) -> None:
        parent = self.parentWidget()
        source = parent.palette() if parent is not None else QGuiApplication.palette()
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.WindowText, caption_color(source))
        self._colouring = True
        try:
            self.setPalette(palette)
        finally:
            self._colouring = False


class InvoiceHeader:
    """The header's labels, added to ``layout`` in reading order.

    Attributes (the pane exposes them under the same names): title, status_icon, status_chip,
    figures (caption key -> value label), verdict, notes, payment.
    """

    def __init__(self, layout: QVBoxLayout) -> None:
        top = QHBoxLayout()
        self.title = scaled(QLabel(), 1.5, bold=True)
        self.status_chip = QLabel()
        self.status_icon = QLabel()
        top.addWidget(self.title, 1)
        top.addWidget(self.status_icon)
        top.addWidget(self.status_chip)
        layout.addLayout(top)
        grid = QGridLayout()
        self.figures: dict[str, QLabel] = {}
        self.captions: list[QLabel] = []
        for col, (key, caption) in enumerate(FIGURES):
            cap = Caption(caption)
            self.captions.append(cap)
            value = scaled(QLabel(), 1.25)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setAccessibleName(caption)
            grid.addWidget(cap, 0, col)
            grid.addWidget(value, 1, col)
            self.figures[key] = value
        layout.addLayout(grid)
        self.verdict = QLabel()
        self.verdict.setWordWrap(True)
        vf = self.verdict.font()
        vf.setBold(True)
        self.verdict.setFont(vf)
        self.verdict.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.verdict)
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        layout.addWidget(self.notes)
        self.where = QLabel()  # the organisation, the currency and the exchange rate it goes with
        self.where.setWordWrap(True)
        self.where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.where.setAccessibleName("Xero organisation and currency")
        layout.addWidget(self.where)
        self.payment = QLabel()  # payments back (issue 14): Xero's payment state at the last check
        self.payment.setWordWrap(True)
        self.payment.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.payment)

    def clear(self, empty_text: str) -> None:
        """No invoice shown: the pane says ``empty_text`` (what to do)."""
        self.title.setText("No invoice selected")
        for label in self.figures.values():
            label.setText("")
        self.where.setText("")
        self.verdict.setText(empty_text)
        self.notes.setText("")

    def fill(self, row: InvoiceRow, result: AuditResult | None) -> None:
        """Title, status, totals, verdict and notes of ``row`` (figures from its last audit when there is one)."""
        number = f"Credit note {row.invoice_number}" if is_credit_row(row) else row.invoice_number
        self.title.setText(f"{number} · {row.company}" if row.company else number)
        self.status_icon.setPixmap(status_icon(row.status).pixmap(18, 18))
        self.status_chip.setText(row_status_text(row))
        cur = result.currency if result else row.currency  # every amount with its currency
        self.figures["autotask"].setText(fmt_money(result.autotask_total, cur) if result else _with(cur, row.autotask_total))
        self.figures["xero"].setText(xero_holds(row, result))
        diff = result.difference if result else None
        self.figures["difference"].setText(fmt_money(diff, cur) if diff is not None else _with(cur, row.difference))
        self.figures["tolerance"].setText(fmt_money(result.tolerance, cur) if result else "")
        self.where.setText(where_it_goes(result))
        self.where.setVisible(bool(self.where.text()))
        colour = color_for("warning", self.figures["difference"]).name() if row.status == MISMATCH else ""
        self.figures["difference"].setStyleSheet(f"color: {colour}; font-weight: bold;" if colour else "")
        explanation = row.explanation if row.status != MISMATCH or not result else result.explanation
        first, _, rest = window_wording(explanation or "").partition("\n")
        self.verdict.setText(first)
        extra = []
        if row.status == CONFLICT and rest:
            extra.append(rest)  # the ways out
        extra += [ln for ln in rest.splitlines() if ln.startswith("Not checked:")] if row.status == MISMATCH else []
        if result:
            if result.rounding_line:
                extra.append(
                    f"* The Xero total includes a rounding line of {fmt_money(result.rounding_line, result.currency)} "
                    f"(Xero's rounding of the lines alone gives {fmt_money(result.xero_total, result.currency)})."
                )
            extra += list(result.notes) + [f"⚠ {w}" for w in result.warnings]
        self.notes.setText("\n".join(extra))
        self.notes.setVisible(bool(extra))

    def fill_payment(self, pay) -> None:
        """Xero's payment state at the last check (hidden when never checked)."""
        self.payment.setVisible(pay is not None)
        if pay is None:
            self.payment.setText("")
            return
        self.payment.setText(f"Payment: {pay.message} (Checked {local_time(pay.checked_at)}.)")  # says the state
        overdue = pay.state == "overdue"
        self.payment.setStyleSheet(style_for("error", self.payment) if overdue else "")


__all__ = ["InvoiceHeader", "scaled", "xero_holds"]
