"""File › Xero contacts…: every company invoiced here and the Xero contact its invoices go to."""

from __future__ import annotations

from PySide6.QtCore import QSettings, QSize, Signal
from PySide6.QtWidgets import (
    QCheckBox, QDialog, QDialogButtonBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QVBoxLayout, QWidget,
)

from depot_gui.sync.contacts.desk import BROKEN, CompanyContact

from depot_gui.ui.colors import style_for
from depot_gui.ui.contacts.chooser import pick_table
from depot_gui.ui.window.geometry import restore_or_place
from depot_gui.ui.models import OBJECT_ROLE
from depot_gui.ui.models.company_table import CompanyContactModel, CompanyContactProxy

GEOMETRY_KEY = "contacts/list_geometry"
FORGETTABLE = ("link", "create", "auto", BROKEN)  # the states that have a kept choice


class ContactListDialog(QDialog):
    """The companies of the invoices here with their contact state; choose or forget a contact.

    Signals:
        choose_requested(object): Choose contact… (or Enter, double-click) on this CompanyContact.
        forget_requested(object): Forget choice… on this CompanyContact.
    """

    choose_requested = Signal(object)
    forget_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("contact_list")
        self.setWindowTitle("Xero contacts")
        layout = QVBoxLayout(self)
        intro = QLabel("Which Xero contact each Autotask company's invoices go to. A company waits for you when Xero "
                       "has contacts close to its name but none exactly: choose its contact once, here or from "
                       "the invoice.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        row = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search company, contact or invoice")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search companies")
        self.unlinked = QCheckBox("Show only companies &without a settled contact")
        self.unlinked.setChecked(True)
        row.addWidget(self.search, 1)
        row.addWidget(self.unlinked)
        layout.addLayout(row)
        self.model = CompanyContactModel(self)
        self.proxy = CompanyContactProxy(self)
        self.proxy.setSourceModel(self.model)
        self.view = pick_table(self.proxy, "Companies", 2)  # those waiting for a choice first
        self.view.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.view, 1)
        self.state = QLabel("Loading the companies and the Xero contacts…")
        self.state.setWordWrap(True)
        layout.addWidget(self.state)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.choose_button = self.buttons.addButton("&Choose contact…", QDialogButtonBox.ButtonRole.ActionRole)
        self.forget_button = self.buttons.addButton("&Forget choice…", QDialogButtonBox.ButtonRole.ActionRole)
        for button in self.buttons.buttons():
            button.setAutoDefault(False)  # Enter on a row opens its chooser, never closes the list
        layout.addWidget(self.buttons)
        close = self.buttons.button(QDialogButtonBox.StandardButton.Close)
        for first, second in ((self.search, self.unlinked), (self.unlinked, self.view), (self.view, self.choose_button),
                              (self.choose_button, self.forget_button), (self.forget_button, close)):
            QWidget.setTabOrder(first, second)  # reading order (the box made Close first)
        self.search.textChanged.connect(self.proxy.set_search)
        self.unlinked.toggled.connect(self._on_unlinked_toggled)
        self.view.activated.connect(self._on_view_activated)
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.proxy.modelReset.connect(self._update_buttons)
        self.proxy.layoutChanged.connect(self._update_buttons)
        self.choose_button.clicked.connect(self._on_choose_clicked)
        self.forget_button.clicked.connect(self._on_forget_clicked)
        self.buttons.rejected.connect(self.reject)
        self._update_buttons()
        restore_or_place(self, QSettings().value(GEOMETRY_KEY), QSize(980, 480))

    def set_rows(self, rows: list[CompanyContact]) -> None:
        """The companies from the worker; the one selected before stays selected."""
        keep = self.selected()
        self.model.set_rows(rows)
        waiting = sum(1 for r in rows if r.unlinked)
        self.state.setText(f"{len(rows)} compan{'ies' if len(rows) != 1 else 'y'} invoiced here; {waiting} without a "
                           "settled contact." if rows else "No invoices here yet: Refresh from Autotask first.")
        self.state.setStyleSheet("")
        for i in range(self.proxy.rowCount()):
            index = self.proxy.index(i, 0)
            if keep is None or index.data(OBJECT_ROLE).company_id == keep.company_id:
                self.view.selectRow(i)
                break
        self._update_buttons()

    def set_failed(self, message: str) -> None:
        self.state.setText(message)
        self.state.setStyleSheet(style_for("error", self.state))

    def selected(self) -> CompanyContact | None:
        rows = self.view.selectionModel().selectedRows()
        return rows[0].data(OBJECT_ROLE) if rows else None

    def _update_buttons(self, *_args) -> None:
        row = self.selected()
        self.choose_button.setEnabled(row is not None)
        self.forget_button.setEnabled(row is not None and row.state in FORGETTABLE)

    def _on_unlinked_toggled(self, on: bool) -> None:
        self.proxy.set_unlinked_only(on)
        self._update_buttons()

    def _on_view_activated(self, index) -> None:
        row = index.data(OBJECT_ROLE)
        if row is not None:
            self.choose_requested.emit(row)

    def _on_choose_clicked(self) -> None:
        row = self.selected()
        if row is not None:
            self.choose_requested.emit(row)

    def _on_forget_clicked(self) -> None:
        row = self.selected()
        if row is not None and row.state in FORGETTABLE:
            self.forget_requested.emit(row)

    def done(self, result: int) -> None:
        QSettings().setValue(GEOMETRY_KEY, self.saveGeometry())
        super().done(result)


__all__ = ["ContactListDialog"]
