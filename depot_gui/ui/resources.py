"""Locate bundled resources (source tree or PyInstaller bundle) and load icons and status looks."""

from __future__ import annotations

import sys
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path

from PySide6.QtGui import QColor, QIcon

from depot_gui.core.audit import ERROR, MISMATCH, READY, SYNCED

STATUS_TEXT = {READY: "Ready", SYNCED: "Synced", MISMATCH: "Mismatch", ERROR: "Error"}
# Mid-tone colours that read on light and dark backgrounds alike; text always uses palette roles.
STATUS_COLOR = {READY: "#2f7fd6", SYNCED: "#2e9e5b", MISMATCH: "#d98a00", ERROR: "#d64545"}


def resource_path(*parts: str) -> Path:
    """Path of a file under resources/: frozen bundle (sys._MEIPASS), wheel install, or source tree."""
    bundle = getattr(sys, "_MEIPASS", None)
    roots = [Path(bundle) / "resources"] if bundle else []
    roots.append(Path(sys.prefix) / "share" / "depot-gui" / "resources")
    roots.append(Path(__file__).resolve().parents[2] / "resources")
    for root in roots:
        candidate = root.joinpath(*parts)
        if candidate.exists():
            return candidate
    return roots[-1].joinpath(*parts)


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
