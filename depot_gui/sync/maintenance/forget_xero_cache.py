"""Read Xero's reference data afresh on demand: forget what is kept on this computer (no network).

The per-organisation cache (``sync.xero_cache``) asks Xero only for what changed since its last
read; after a change Xero does not report (or to rule the cache out), forgetting it makes the next
audit read accounts, tax rates, contacts and document numbers from Xero again. Nothing else goes:
invoice states, history, contact links and settings stay.
"""

from __future__ import annotations

from dataclasses import dataclass

from depot_gui.store.db import Store

WHAT = "accounts, tax rates, contacts and document numbers"


@dataclass(frozen=True)
class Forgotten:
    rows: int
    organisations: int

    def line(self, next_step: str = "the next audit") -> str:
        """One sentence: what was forgotten and what happens next."""
        if not self.rows and not self.organisations:
            return f"No Xero data was kept on this computer; {next_step} reads {WHAT} from Xero as usual."
        orgs = "1 organisation" if self.organisations == 1 else f"{self.organisations} organisations"
        return (f"Forgot the Xero data kept on this computer ({self.rows} cached records of {orgs}); "
                f"{next_step} reads {WHAT} from Xero afresh.")

    def short(self) -> str:
        """The window's status-bar sentence (the menu item's tip says what the data is)."""
        if not self.rows and not self.organisations:
            return "No Xero data was kept on this computer; nothing to forget."
        return f"Forgot the Xero data kept on this computer ({self.rows} records); the next refresh reads it afresh."


def forget_xero_data(store: Store) -> Forgotten:
    """Forget every organisation's cached Xero reference data."""
    rows, organisations = store.xero_cache.forget()
    return Forgotten(rows, organisations)
