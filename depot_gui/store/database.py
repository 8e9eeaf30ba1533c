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
        self._grouped = 0  # depth of group() (only the thread holding the lock can be inside)

    @contextmanager
    def group(self) -> Iterator[None]:
        """Every write of this thread inside is one transaction, durable when the block ends.

        Keep network calls out of a group: other threads' reads and writes wait for it.
        """
        with self.lock:
            if self._grouped:
                self._grouped += 1
                try:
                    yield
                finally:
                    self._grouped -= 1
                return
            self._execute("BEGIN IMMEDIATE")
            self._grouped = 1
            try:
                yield
            except BaseException:
                self._grouped = 0
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise
            self._grouped = 0
            self._execute("COMMIT")

    def _execute(self, sql: str) -> None:
        try:
            self.conn.execute(sql)
        except sqlite3.Error as exc:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise store_error(exc, self.path, self.waited) from None

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        with self.lock:
            if self._grouped:  # inside a group: a savepoint, so a failed step undoes only itself
                yield from self._savepoint()
                return
            try:
                yield self.conn
                if self.conn.in_transaction:
                    self.conn.execute("COMMIT")
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise

    def _savepoint(self) -> Iterator[sqlite3.Connection]:
        name = f"step{self._grouped}"
        self.conn.execute(f"SAVEPOINT {name}")
        try:
            yield _InGroup(self.conn)  # type: ignore[misc]
        except BaseException:
            self.conn.execute(f"ROLLBACK TO {name}")
            self.conn.execute(f"RELEASE {name}")
            raise
        self.conn.execute(f"RELEASE {name}")

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


class _InGroup:
    """The connection as a step inside a group sees it: its own BEGIN is the group's."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def execute(self, sql: str, params: tuple | dict = ()) -> sqlite3.Cursor | None:
        if sql.lstrip().upper().startswith("BEGIN"):
            return None
        return self._conn.execute(sql, params)

    def __getattr__(self, name: str):
        return getattr(self._conn, name)
