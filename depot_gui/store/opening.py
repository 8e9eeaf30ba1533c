"""Opening the data dir's database: migrate, check once a day, back up once a day."""

from __future__ import annotations

import logging
import sqlite3
from datetime import date

from depot_gui.store.backup import daily_backup
from depot_gui.store.db import Store
from depot_gui.store.paths import Paths
from depot_gui.store.records import StoreDamaged, StoreError
from depot_gui.store.rows import settings_from

log = logging.getLogger(__name__)


def open_store(paths: Paths, today: date | None = None) -> Store:
    """The Store of ``paths``; StoreError (StoreDamaged when damaged) when it cannot be used.

    The first open of a day reads every page and takes the day's backup copy; a backup that
    cannot be written (disk full) is logged and does not stop the app.
    """
    store = Store(paths.database)
    try:
        daily_backup(store, paths.backups, today or date.today())
    except StoreDamaged:
        store.close()
        raise
    except (StoreError, sqlite3.Error, OSError) as exc:
        log.warning("The daily backup of the local database was not taken: %s", exc)
    return store

__all__ = ["open_store", "settings_from"]
