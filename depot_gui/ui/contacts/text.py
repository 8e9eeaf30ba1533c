"""How the window words an invoice that waits for a Xero contact choice (issue 14, part 2).

The JSON and command-line status stays ``error``; the window calls it "Choose contact" and
drops the pointer to the command line from the engine's explanation (the button is right there).
"""

from __future__ import annotations

import re

from depot_gui.core.contacts import CHOOSE_LABEL, waits_for_choice
from depot_gui.store.db import InvoiceRow

from depot_gui.ui.resources import status_text

CHOOSE_STATUS = CHOOSE_LABEL
_WAYS = re.compile(r"\s*\(window: [^;()]*; command line: [^()]*\)")


def waits_for_contact(row: InvoiceRow | None) -> bool:
    """An invoice the audit held back until the user links or creates its company's contact."""
    return row is not None and waits_for_choice(row.status, row.explanation)


def row_status_text(row: InvoiceRow) -> str:
    """The status word the table and the detail pane show."""
    return CHOOSE_STATUS if waits_for_contact(row) else status_text(row.status)


def window_wording(text: str) -> str:
    """An explanation as the window says it: without "(window: …; command line: …)"."""
    return _WAYS.sub("", text or "")


__all__ = ["CHOOSE_STATUS", "row_status_text", "waits_for_contact", "window_wording"]
