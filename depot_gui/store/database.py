"""The store's one SQLite connection and the lock around it, shared by ``Store`` and its repositories."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from depot_gui.store.guard import store_error


class Database:
    """One open connection: transactions, single-statement writes and reads, one lock for all threads."""

    def __init__(self, path: str, conn: sqlite3.Connection, waited: float = 15.0) -> None:
        self.path = path
        self.waited = waited  # seconds a lock is waited for (the connection's timeout), for the message
        self.conn = conn
        self.lock = threading.RLock()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        with self.lock:
            try:
                yield self.conn
                if self.conn.in_transaction:
                    self.conn.execute("COMMIT")
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise

    def write(self, sql: str, params: tuple | dict = ()) -> sqlite3.Cursor:
        try:
            with self.transaction() as c:
                c.execute("BEGIN IMMEDIATE")
                return c.execute(sql, params)
        except sqlite3.Error as exc:
            raise store_error(exc, self.path, self.waited) from None

    def read(self, sql: str, params: tuple | dict = ()) -> list[sqlite3.Row]:
        try:
            with self.lock:
                return self.conn.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise store_error(exc, self.path, self.waited) from None
