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
        self._committed_readers: set[int] = set()  # threads whose reads never wait for another thread's writes
        self._reader: sqlite3.Connection | None = None  # their second connection (read-only), opened on first need
        self._reader_lock = threading.Lock()

    def read_committed_in_this_thread(self) -> None:
        """From now on, this thread's reads never wait while another thread holds the connection.

        While another thread is writing (a batch recorded in one transaction can take a second),
        they read the last committed state through a second, read-only connection (WAL lets a
        reader go beside a writer). For a window's thread: it shows what is committed and stays
        responsive; nothing it decides to write rests on such a read. Other threads still wait, and
        so see a writer's work once it is committed. A database in memory has no second connection:
        its reads wait as before.
        """
        self._committed_readers.add(threading.get_ident())

    def close_reader(self) -> None:
        with self._reader_lock:
            if self._reader is not None:
                self._reader.close()
                self._reader = None

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
            if threading.get_ident() in self._committed_readers and self.path not in ("", ":memory:"):
                if not self.lock.acquire(blocking=False):  # another thread is writing: what it committed
                    return self._read_committed(sql, params)
                try:
                    return self.conn.execute(sql, params).fetchall()
                finally:
                    self.lock.release()
            with self.lock:
                return self.conn.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise store_error(exc, self.path, self.waited) from None

    def _read_committed(self, sql: str, params: tuple | dict) -> list[sqlite3.Row]:
        with self._reader_lock:
            if self._reader is None:
                self._reader = sqlite3.connect(self.path, timeout=self.waited, check_same_thread=False,
                                               isolation_level=None)
                self._reader.row_factory = self.conn.row_factory
                self._reader.execute("PRAGMA query_only=ON")
            return self._reader.execute(sql, params).fetchall()


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
