"""Opening the data dir's database: migrate, check once a day, back up once a day."""

from __future__ import annotations

import logging
import os
import sqlite3
from datetime import date

from depot_gui.store.backup import daily_backup
from depot_gui.store.choices import read_copy
from depot_gui.store.db import Store
from depot_gui.store.paths import Paths
from depot_gui.store.records import StoreDamaged, StoreError
from depot_gui.store.rows import settings_from

log = logging.getLogger(__name__)


def open_store(paths: Paths, today: date | None = None) -> Store:
    """The Store of ``paths``; StoreError (StoreDamaged when damaged) when it cannot be used.

    The first open of a day reads every page and takes the day's backup copy; the copy of the
    settings and contact choices is made when there is none. Either one not written (disk full, a
    read-only folder, a file where the backups folder belongs) does not stop the app: it is a
    sentence in ``store.warnings`` that the CLI prints and the window shows, and a log warning.
    """
    store = Store(paths.database)
    try:
        daily_backup(store, paths.backups, today or date.today())
    except StoreDamaged:
        store.close()
        raise
    except (StoreError, sqlite3.Error, OSError) as exc:
        where = paths.backups
        if where.exists() and not where.is_dir():
            reason = "it is a file, not a folder"
        elif where.is_dir() and not os.access(where, os.W_OK):
            reason = "the folder is read-only"
        else:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        store.warnings.append(f"today's backup of the local database was not taken ({where}: {reason}); "
                              "the database itself is fine, but repair can only go back to an older backup")
        log.warning("The daily backup of the local database was not taken: %s", exc)
    # Kept up to date by every change; written here only when missing (a first start) or unreadable,
    # so a settings page damaged since is never copied over the good copy.
    problem = store.keep_choices_copy() if read_copy(paths.database)[0] is None else ""
    if problem:
        store.warnings.append(problem + "; repair could lose settings changed since the last backup")
    return store


__all__ = ["open_store", "settings_from"]
