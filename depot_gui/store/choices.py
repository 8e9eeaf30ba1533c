"""A second copy of the user's choices beside the database: every setting and every contact link,
rewritten (temporary file, then a rename) each time one of them changes.

One damaged page of the database can take the settings table or the contact links with it; a
daily backup can be a day old. Repair (``depot_gui.store.recovery``) reads this copy back when
the damaged file's own tables cannot be read. It holds nothing secret: secrets live in the OS
keyring only.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger(__name__)

VERSION = 1
LINK_COLUMNS = ("tenant_id", "company_id", "company_name", "contact_id", "contact_name", "decision", "decided_at")


@dataclass
class Choices:
    """Settings (key -> stored text) and contact links (rows of ``contact_links``), as kept."""

    settings: dict[str, str] = field(default_factory=dict)
    contact_links: list[dict] = field(default_factory=list)


def copy_path(database: str | Path) -> Path | None:
    """Where the copy of ``database``'s choices lives (``depot.sqlite3`` -> ``depot-choices.json``)."""
    if str(database) in ("", ":memory:"):
        return None
    p = Path(database)
    return p.with_name(f"{p.stem}-choices.json")


def write_copy(database: str | Path, choices: Choices) -> str:
    """Write the copy; '' when written, else why not (the caller warns: the database still holds them)."""
    path = copy_path(database)
    if path is None:
        return ""
    data = {"version": VERSION, "settings": choices.settings, "contact_links": choices.contact_links}
    tmp = ""
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, indent=1, sort_keys=True)
        os.replace(tmp, path)
        return ""
    except OSError as exc:
        if tmp:
            Path(tmp).unlink(missing_ok=True)
        reason = f"the copy of the settings and contact choices {path} could not be written: {exc.strerror or exc}"
        log.warning("%s", reason)
        return reason


def read_copy(database: str | Path) -> tuple[Choices | None, str]:
    """The kept copy, or None and why not ('' when there is none at all)."""
    path = copy_path(database)
    if path is None or not path.exists():
        return None, ""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("version") != VERSION:
            raise ValueError("not a copy this version of Depot GUI wrote")
        settings, links = data.get("settings"), data.get("contact_links")
        if not isinstance(settings, dict) or not isinstance(links, list):
            raise ValueError("settings or contact links missing")
    except (OSError, ValueError) as exc:
        return None, f"the copy {path.name} could not be read ({exc})"
    return Choices({str(k): v for k, v in settings.items() if isinstance(v, str)},
                   [r for r in links if isinstance(r, dict)]), ""
