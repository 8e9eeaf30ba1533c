"""Help › Copy diagnostics: versions, settings, counts and recent log lines; never a secret."""

from __future__ import annotations

import platform
import sys
from collections import Counter

import PySide6
from PySide6.QtCore import qVersion

from depot_gui import version
from depot_gui.store.db import StoreError
from depot_gui.sync.session.session import Session

from depot_gui.ui.window.log_view import QtLogHandler, redact


def diagnostics_text(session: Session | None, connection: str, handler: QtLogHandler | None, log_lines: int = 200) -> str:
    """Plain text for support. Settings and connection names only; secrets live in the keyring."""
    lines = [
        "Depot GUI diagnostics",
        f"App {version()}; Python {sys.version.split()[0]}; PySide6 {PySide6.__version__}; Qt {qVersion()}",
        f"System {platform.platform()}",
        f"Connection: {connection}",
    ]
    if session is not None:
        lines.append(f"Data directory: {session.paths.data_dir}")
        lines.append("Mode: demo sandbox" if session.sandbox is not None else "Mode: live services")
        try:
            lines += _store_lines(session)
        except StoreError as exc:  # a damaged database: its technical detail is what support needs
            lines.append(f"Local database: {exc}")
    if handler is not None:
        lines.append(f"Last {log_lines} log lines:")
        lines += list(handler.lines)[-log_lines:]
    return redact("\n".join(lines))


def _store_lines(session: Session) -> list[str]:
    lines = ["Settings: " + ", ".join(f"{k}={v}" for k, v in session.settings().shown().items())]
    rows = session.store.invoices()
    counts = Counter(r.status for r in rows)
    lines.append("Invoices: " + (", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "none"))
    for r in rows:
        if r.status in ("mismatch", "conflict", "error"):
            lines.append(f"  {r.invoice_number}: {r.status}, difference {r.difference}, causes {','.join(r.causes) or '-'}"
                         + (f", unchecked {','.join(r.unchecked)}" if r.unchecked else ""))
    return lines
