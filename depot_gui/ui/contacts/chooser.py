"""Choose Xero contact…: link one company to an existing Xero contact, or create a new one, once."""

from __future__ import annotations

from PySide6.QtCore import QSettings, QSize, QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QDialog, QDialogButtonBox, QHeaderView, QLabel, QLineEdit, QMessageBox,
    QTableView, QVBoxLayout, QWidget,
)

from depot_gui.core.models import XeroContact
from depot_gui.sync.contacts.desk import CHOOSE, CompanyContact

from depot_gui.ui.colors import style_for
from depot_gui.ui.window.geometry import restore_or_place
from depot_gui.ui.models import OBJECT_ROLE, SORT_ROLE
from depot_gui.ui.models.contact_table import ContactOption, ContactOptionModel, close_options, search_options

GEOMETRY_KEY = "contacts/chooser_geometry"


def pick_table(proxy, name: str, sort_column: int) -> QTableView:
    """A sortable read-only table to pick one row from (Tab leaves it; columns fit their text)."""
    view = QTableView()
    view.setModel(proxy)
    view.setSortingEnabled(True)
    view.sortByColumn(sort_column, Qt.SortOrder.AscendingOrder)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setTabKeyNavigation(False)
    view.setAlternatingRowColors(True)
    view.verticalHeader().hide()
    view.setAccessibleName(name)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return view


def _caption(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class ContactChooser(QDialog):
    """The closest Xero contacts of one company, a search of the whole directory, Link / Create / Cancel.

    Args:
        company_id: the Autotask company.
        company_name: its name (the new contact's name).
        candidates: the close contacts known now (``contact_choice`` candidates), shown at once.

    Signals:
        link_chosen(object): Link pressed on this ContactOption.
        create_chosen: Create pressed and confirmed.
    """

    link_chosen = Signal(object)
    create_chosen = Signal()

    def __init__(self, company_id: int, company_name: str, candidates: list[dict], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.company_id = company_id
        self.company_name = company_name
        self.close_rows = close_options(candidates)
        self.directory: list[XeroContact] | None = None
        self.confirm: QMessageBox | None = None
        self.setObjectName("contact_chooser")
        self.setWindowTitle("Choose Xero contact")
        layout = QVBoxLayout(self)
        self.heading = _caption(company_name)
        font = self.heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.3)
        self.heading.setFont(font)
        layout.addWidget(self.heading)
        self.facts = _caption("Autotask company · loading its invoices…")
        layout.addWidget(self.facts)
        self.intro = _caption()
        layout.addWidget(self.intro)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Loading the Xero contacts…")
        self.search.setEnabled(False)
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search all Xero contacts")
        layout.addWidget(self.search)
        self.model = ContactOptionModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.view = pick_table(self.proxy, "Xero contacts offered", 2)  # the engine's order: closest first
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.view, 1)
        self.state = _caption()
        layout.addWidget(self.state)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.link_button = self.buttons.addButton("&Link to selected contact", QDialogButtonBox.ButtonRole.ActionRole)
        self.create_button = self.buttons.addButton(f"Create &new contact \u201c{company_name}\u201d",
                                                    QDialogButtonBox.ButtonRole.ActionRole)
        for button in self.buttons.buttons():
            button.setAutoDefault(False)  # Enter in the search box never links, creates or closes
        layout.addWidget(self.buttons)
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        for first, second in ((self.search, self.view), (self.view, self.link_button),
                              (self.link_button, self.create_button), (self.create_button, cancel)):
            QWidget.setTabOrder(first, second)  # reading order (the box made Cancel first)
        self.search.textChanged.connect(self._on_search_text_changed)
        self.view.selectionModel().selectionChanged.connect(self._on_view_selection_changed)
        self.link_button.clicked.connect(self._on_link_clicked)
        self.create_button.clicked.connect(self._on_create_clicked)
        self.buttons.rejected.connect(self.reject)
        self._show_rows(self.close_rows)
        self._say_intro()
        restore_or_place(self, QSettings().value(GEOMETRY_KEY), QSize(760, 460))

    # ------------------------------------------------------------------ filled by the worker
    def set_company(self, row: CompanyContact) -> None:
        """The company as the engine sees it now (account number, waiting invoices, close contacts)."""
        number = f"Account number {row.company_number}" if row.company_number else "No account number"
        waiting = ", ".join(row.invoices) if row.invoices else "none"
        now = "" if row.state == CHOOSE else f" · Now: {row.summary()}"  # linked, broken, …: say so
        self.facts.setText(f"Autotask company · {number} · Invoices not yet in Xero: {waiting}{now}")
        self.close_rows = close_options(c.to_json() for c in row.candidates)
        self._show_rows(search_options(self.close_rows, self.directory or [], self.search.text())[0])
        self._say_intro()

    def set_directory(self, contacts: list[XeroContact]) -> None:
        """The organisation's active contacts: the search box now searches them."""
        self.directory = contacts
        self.search.setEnabled(True)
        self.search.setPlaceholderText(f"Search all {len(contacts)} Xero contacts by name or account number")
        self._on_search_text_changed(self.search.text())

    def set_failed(self, message: str) -> None:
        self.state.setText(message)
        self.state.setStyleSheet(style_for("error", self.state))

    # ------------------------------------------------------------------ show
    def _say_intro(self) -> None:
        if self.close_rows:
            self.intro.setText(
                "Xero has no contact with exactly this name, but the contacts below are close. Link the one that is "
                "this company, so its invoices go to it from now on, or create a new contact. Nothing is created "
                "in Xero until you choose.")
        else:
            self.intro.setText("No existing Xero contact is close to this company. Search for one below, or create "
                               "a new contact.")

    def _show_rows(self, rows: list[ContactOption], more: int = 0) -> None:
        self.model.set_rows(rows)
        if rows:
            self.view.selectRow(0)
        self._on_view_selection_changed()
        text = self.search.text().strip()
        if text:
            said = f"{len(rows)} contact{'s' if len(rows) != 1 else ''} match \u201c{text}\u201d."
            self.state.setText(said + (f" {more} more: type more of the name to narrow." if more else ""))
        else:
            self.state.setText(f"{len(rows)} close contact{'s' if len(rows) != 1 else ''}."
                               + (" Type in the search box to find any other." if self.directory is not None else ""))
        self.state.setStyleSheet("")

    def selected(self) -> ContactOption | None:
        rows = self.view.selectionModel().selectedRows()
        return rows[0].data(OBJECT_ROLE) if rows else None

    # ------------------------------------------------------------------ slots
    def _on_search_text_changed(self, text: str) -> None:
        rows, more = search_options(self.close_rows, self.directory or [], text if self.directory is not None else "")
        self._show_rows(rows, more)

    def _on_view_selection_changed(self, *_args) -> None:
        self.link_button.setEnabled(self.selected() is not None)

    def _on_link_clicked(self) -> None:
        option = self.selected()
        if option is not None:
            self.link_chosen.emit(option)
            self.accept()

    def _on_create_clicked(self) -> None:
        """Ask first, naming the close contacts the new one would sit beside (Cancel is the default)."""
        box = QMessageBox(self)
        box.setObjectName("create_contact_confirm")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Create Xero contact")
        box.setText(f"Create a new Xero contact \u201c{self.company_name}\u201d?")
        near = "\n".join(f"\u2022 {o.name}" + (f" ({o.why})" if o.why else "") for o in self.close_rows)
        box.setInformativeText(
            (f"It would sit beside these existing contacts:\n{near}\n\n" if near else "")
            + f"From now on this company's invoices go to the new contact. It is created in Xero now.")
        create = box.addButton("C&reate contact", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)  # a deliberate act: Enter does not create

        def finished() -> None:
            if box.clickedButton() is create:
                self.create_chosen.emit()
                self.accept()

        box.finished.connect(finished)
        self.confirm = box
        box.open()

    def done(self, result: int) -> None:
        QSettings().setValue(GEOMETRY_KEY, self.saveGeometry())
        super().done(result)


__all__ = ["ContactChooser"]
