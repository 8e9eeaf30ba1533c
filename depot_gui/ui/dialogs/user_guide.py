"""Help › User guide: the README's "How it works", offline, from the installed package's own metadata."""

from __future__ import annotations

import re

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

SECTION = "## How it works"
_CODE = re.compile(r"(```[\s\S]*?```|`[^`]*`)")  # fenced blocks and code spans: their text is shown as written
MISSING = "The user guide was not installed with this copy of Depot GUI. The README beside the program has it."


def project_url(urls: list[str] | None = None) -> str:
    """The project page: the Homepage of the installed package's [project.urls] ("" when not installed)."""
    if urls is None:
        from importlib.metadata import PackageNotFoundError, metadata

        try:
            urls = metadata("depot-gui").get_all("Project-URL") or []
        except PackageNotFoundError:
            urls = []
    for entry in urls:
        label, _, url = entry.partition(",")
        if label.strip().lower() == "homepage" and url.strip():
            return url.strip()
    return ""


def guide_text(readme: str | None = None) -> str:
    """The README's "How it works" section (markdown), up to the next section; read from the installed
    package (wheel, editable install or frozen bundle all keep the README as the long description)."""
    if readme is None:
        from importlib.metadata import PackageNotFoundError, metadata

        try:
            readme = metadata("depot-gui").get("Description") or ""
        except PackageNotFoundError:
            readme = ""
    start = readme.find(SECTION)
    if start < 0:
        return MISSING
    end = readme.find("\n## ", start + len(SECTION))
    return plain_angles(readme[start:end if end >= 0 else len(readme)].strip())


def plain_angles(markdown: str) -> str:
    """``<`` outside code written as ``&lt;``: the markdown view reads ``"Autotask invoice <id>"`` as an HTML tag
    and dropped it with every paragraph after it up to the Reports section (issue 22: the Conflict, Drafts
    changed, Currencies and organisations paragraphs were reduced to their code)."""
    parts = _CODE.split(markdown)
    return "".join(part if k % 2 else part.replace("<", "&lt;") for k, part in enumerate(parts))


class UserGuide(QDialog):
    """The guide in a browser-like, read-only pane (no network: all of it is local)."""

    def __init__(self, parent: QWidget | None = None, text: str | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Depot GUI user guide")
        self.resize(760, 620)
        layout = QVBoxLayout(self)
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(True)
        self.browser.setMarkdown(guide_text() if text is None else text)
        self.browser.setAccessibleName("User guide")
        layout.addWidget(self.browser, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
