"""Repair puts the user's choices back: every setting and every contact choice, from the damaged
file where its table can still be read, else from the copy kept beside the database
(``depot_gui.store.choices``). What neither gives stays at the backup's value (or the default),
and each such setting or choice is named, never silently dropped."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from depot_gui.core.settings import SPECS
from depot_gui.store.choices import copy_path, read_copy
from depot_gui.store.db import Store
from depot_gui.store.recovery import salvage_choices, valid_links, valid_settings
from depot_gui.sync.mapping.keys import K_MAPPING_ACCOUNTS, K_MAPPING_TAX_TYPES, K_MAPPING_TRACKING

DAMAGED_FILE = "the damaged file"
# What a bookkeeper set on purpose: named when it could not be restored.
USER_KEYS = (*SPECS, K_MAPPING_ACCOUNTS, K_MAPPING_TAX_TYPES, K_MAPPING_TRACKING)


@dataclass
class ChoicesRestored:
    settings: int = 0
    settings_from: str = ""             # DAMAGED_FILE, the copy's file name, or "" (nothing readable)
    links: int = 0
    links_from: str = ""
    settings_lost: list[str] = field(default_factory=list)  # keys not restored
    links_lost: list[str] = field(default_factory=list)     # companies whose choice was not restored
    links_unknown: bool = False         # neither the damaged file nor a copy gave the contact choices
    copy_problem: str = ""              # why the copy could not be read ("" when fine or absent)

    def lines(self, window: bool = False) -> list[str]:
        out = []
        if self.settings_from:
            out.append(f"Settings restored: {self.settings}, from {self.settings_from}.")
        if self.links_from:
            out.append(f"Contact choices restored: {self.links}, from {self.links_from}.")
        again_settings = "in Settings" if window else "with `depot-sync settings set` or in Settings"
        again_links = "in File › Xero contacts…" if window else "with `depot-sync contacts link` or in Xero contacts…"
        if self.settings_lost:
            out.append("Settings not restored (back at the backup's value or the default; set them again "
                       f"{again_settings}): {', '.join(self.settings_lost)}.")
        if self.links_lost:
            out.append(f"Contact choices not restored (choose them again {again_links}): {', '.join(self.links_lost)}.")
        if self.links_unknown:
            out.append("Contact choices could not be read from the damaged file and no copy was kept: those made "
                       f"after the backup are lost (choose them again {again_links}).")
        if self.copy_problem:
            out.append(f"Note: {self.copy_problem}.")
        return out


def restore_choices(store: Store, damaged: Path) -> ChoicesRestored:
    """Put the settings and contact choices back into ``store`` (started from a backup or empty)."""
    done = ChoicesRestored()
    copy, done.copy_problem = read_copy(store.path)
    copy_name = f"the copy kept beside the database ({copy_path(store.path).name})" if copy else ""  # type: ignore[union-attr]
    salvaged_settings, salvaged_links = salvage_choices(damaged)

    settings: dict[str, str] = {}
    if salvaged_settings is not None:
        settings, bad = valid_settings(salvaged_settings)
        done.settings_from = DAMAGED_FILE
        if copy and bad:  # a damaged value: the copy's, when it has a good one
            from_copy, _ = valid_settings({k: copy.settings[k] for k in bad if k in copy.settings})
            settings.update(from_copy)
            bad = [k for k in bad if k not in from_copy]
        done.settings_lost = [k for k in bad if k in USER_KEYS] or []
    elif copy:
        settings, bad = valid_settings(copy.settings)
        done.settings_from = copy_name
        done.settings_lost = [k for k in bad if k in USER_KEYS]
    else:
        done.settings_lost = list(USER_KEYS)
    done.settings = len(settings)

    links: list[dict] | None = None
    if salvaged_links is not None:
        links, done.links_lost = valid_links(salvaged_links)
        done.links_from = DAMAGED_FILE
    elif copy:
        links, done.links_lost = valid_links(copy.contact_links)
        done.links_from = copy_name
    else:
        done.links_unknown = True
    done.links = len(links or [])
    store.restore_choices(settings, links)
    return done
