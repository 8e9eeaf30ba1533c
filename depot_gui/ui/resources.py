"""Locate bundled resources (source tree or PyInstaller bundle) and load icons and status looks."""

from __future__ import annotations

from datetime import datetime, timezone
from functools import lru_cache

from PySide6.QtGui import QColor, QIcon

from depot_gui.core.audit import CONFLICT, ERROR, MISMATCH, READY, SYNCED
from depot_gui.store.paths import resource_path  # noqa: F401 - re-exported for the UI

STATUS_TEXT = {READY: "Ready", SYNCED: "Synced", MISMATCH: "Mismatch", CONFLICT: "Conflict", ERROR: "Error"}
# Mid-tone colours that read on light and dark backgrounds alike; text always uses palette roles.
STATUS_COLOR = {READY: "#2f7fd6", SYNCED: "#2e9e5b", MISMATCH: "#d98a00", CONFLICT: "#8a56c2", ERROR: "#d64545"}


@lru_cache(maxsize=None)
def icon(name: str) -> QIcon:
    """An SVG icon from resources/icons (scales crisply at any device pixel ratio)."""
    return QIcon(str(resource_path("icons", f"{name}.svg")))


def local_time(iso: str | None) -> str:
    """A stored UTC ISO timestamp as local 'YYYY-MM-DD HH:MM' (empty when missing)."""
    if not iso:
        return ""
    try:
        when = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return when.astimezone().strftime("%Y-%m-%d %H:%M")


def status_icon(status: str) -> QIcon:
    return icon(f"status-{status}") if status in STATUS_TEXT else QIcon()


def status_text(status: str) -> str:
    return STATUS_TEXT.get(status, status.capitalize())


def status_color(status: str, alpha: int = 255) -> QColor:
    color = QColor(STATUS_COLOR.get(status, "#808080"))
    color.setAlpha(alpha)
    return color
