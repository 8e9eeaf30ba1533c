"""SetupWizard: the QWizard composing one page per step of ``SetupFlow``."""

from __future__ import annotations

import weakref
from collections.abc import Callable

from PySide6.QtCore import QSize, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QWidget, QWizard

from depot_gui.store.secrets import MemorySecretStore, SecretStore
from depot_gui.sync.setup import Endpoints, Page, SetupFlow, sandbox_browser

from depot_gui.ui.window.geometry import first_size
from depot_gui.ui.wizard.autotask_page import AutotaskPage
from depot_gui.ui.wizard.lob_page import LinesOfBusinessPage
from depot_gui.ui.wizard.mapping_page import MappingPage
from depot_gui.ui.wizard.summary_page import SummaryPage
from depot_gui.ui.wizard.xero_page import XeroPage

OpenUrl = Callable[[str], object]


def system_browser(url: str) -> bool:
    """Open ``url`` in the user's default browser."""
    return QDesktopServices.openUrl(QUrl(url))


def step_title(number: int, total: int, title: str) -> str:
    """A page's title with where it is: "Step 3 of 5 — Connect to Xero"."""
    return f"Step {number} of {total} \u2014 {title}"


class SetupWizard(QWizard):
    """First-run and Settings › Connections setup.

    Args:
        flow: the UI-agnostic state all pages share.
        open_url: how the Xero sign-in URL is opened (default: the system browser).
        start_at: the page to open on (e.g. ``Page.XERO`` after a revoked connection).
        parent: owner window.
    """

    def __init__(self, flow: SetupFlow, *, open_url: OpenUrl | None = None, start_at: Page | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.flow = flow
        self.setWindowTitle("Depot GUI setup")
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.pages = {
            Page.AUTOTASK: AutotaskPage(flow),
            Page.LOB: LinesOfBusinessPage(flow),
            Page.XERO: XeroPage(flow, open_url or system_browser),
            Page.MAPPING: MappingPage(flow),
            Page.SUMMARY: SummaryPage(flow),
        }
        for number, (page, widget) in enumerate(self.pages.items(), start=1):
            self.setPage(page.value, widget)
            widget.setTitle(step_title(number, len(self.pages), widget.title()))
        self.setStartId((start_at or Page.AUTOTASK).value)
        screen = (parent.screen() if parent is not None else None) or QGuiApplication.primaryScreen()
        self.resize(first_size(screen.availableGeometry(), QSize(720, 600)))

    def page_for(self, page: Page):
        """The page widget of one step."""
        return self.pages[page]

    def done(self, result: int) -> None:  # noqa: D401 - Qt override
        """Finish commits (the summary page's validatePage); Cancel writes nothing. Once closed, stop
        waiting for a browser sign-in and for every page's background task (late results are dropped)."""
        super().done(result)
        if self.isHidden():
            self.cancel_tasks()

    def cancel_tasks(self) -> None:
        self.pages[Page.XERO].cleanupPage()
        for page in self.pages.values():
            page.cancel_task()


_SANDBOX_SECRETS: "weakref.WeakKeyDictionary[object, MemorySecretStore]" = weakref.WeakKeyDictionary()


def make_flow(session) -> SetupFlow:
    """The flow for a session: real services with the OS keyring, or the session's sandbox.

    A sandbox session keeps what the wizard saves in memory for as long as the session lives:
    its credentials are not secrets, and the demo must work without a keyring.
    """
    endpoints = Endpoints.for_session(session)
    if endpoints.sandbox:
        secrets: SecretStore = _SANDBOX_SECRETS.setdefault(session, MemorySecretStore())
    else:
        secrets = SecretStore()
    return SetupFlow(session.store, secrets, endpoints)


def run_setup_wizard(parent: QWidget | None, session, *, problem: BaseException | None = None,
                     open_url: OpenUrl | None = None) -> bool:
    """Show the setup wizard modally; True when the user finished it (settings and secrets saved).

    Returns as soon as the wizard closes: background checks still running are cancelled and their
    results dropped (they never block the UI thread).

    ``problem``: the error that brought the user here; a XeroAuthError (revoked or expired Xero
    connection) opens the Xero page with a message saying to connect again.
    """
    flow = make_flow(session)
    if open_url is None and flow.endpoints.sandbox:
        open_url = sandbox_browser(flow.endpoints.transport)
    wizard = SetupWizard(flow, open_url=open_url, start_at=flow.start_page(problem), parent=parent)
    try:
        return wizard.exec() == QWizard.DialogCode.Accepted.value
    finally:
        wizard.cancel_tasks()
        wizard.deleteLater()
