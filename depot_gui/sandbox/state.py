"""Sandbox state: a JSON document in memory, optionally persisted (atomic, locked across processes)."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import threading
from pathlib import Path
from typing import Iterator

from depot_gui.sandbox.http.messages import dumps, loads

STATE_VERSION = 1


class StateDamaged(ValueError):
    """The saved state file cannot be read: never replaced silently (its Xero documents would vanish)."""

    def __init__(self, path: Path, problem: str) -> None:
        self.path = path
        super().__init__(
            f"the sandbox state file {path} is damaged ({problem}); move it aside to start the sandbox "
            "again from the scenario (what the app created in the sandbox is then gone)"
        )


def secret_hash(secret: str) -> str:
    """SHA-256 hex of a secret (the only form secrets take in the state)."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


class StateStore:
    """Holds the mutable state; with a directory, every transaction re-reads and saves ``state.json``."""

    def __init__(self, state_dir: Path | None, scenario_hash: str, initial) -> None:
        """``initial()`` builds a fresh state document when none (or a stale one) exists."""
        self.state_dir = Path(state_dir) if state_dir is not None else None
        self.scenario_hash = scenario_hash
        self._initial = initial
        self._lock = threading.RLock()
        self._depth = 0
        self._stamp: tuple | None = None
        self.data: dict = {}
        if self.state_dir is None:
            self.data = self._fresh()
            return
        self.state_dir.mkdir(parents=True, exist_ok=True)
        self.path = self.state_dir / "state.json"
        self.lock_path = self.state_dir / "state.lock"
        with self.transaction():
            pass

    def _fresh(self) -> dict:
        """A new state document for the current scenario."""
        data = self._initial()
        data["version"] = STATE_VERSION
        data["scenario_hash"] = self.scenario_hash
        return data

    def _file_stamp(self) -> tuple | None:
        """Identity of the state file on disk (changes when another process saves)."""
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return None
        return (st.st_ino, st.st_mtime_ns, st.st_size)

    def _reload(self) -> None:
        """Read the file when it changed since we last saw it; reset on another scenario."""
        stamp = self._file_stamp()
        if stamp is not None and stamp == self._stamp and self.data:
            return
        data = None
        if stamp is not None:
            try:
                data = loads(self.path.read_bytes())
            except OSError as exc:
                raise StateDamaged(self.path, f"cannot be read: {exc.strerror or exc}") from None
            except (ValueError, RecursionError):
                raise StateDamaged(self.path, "not valid JSON") from None
            if not isinstance(data, dict) or not isinstance(data.get("scenario_hash"), str):
                raise StateDamaged(self.path, "not a sandbox state")
        if data is None or data.get("scenario_hash") != self.scenario_hash or data.get("version") != STATE_VERSION:
            data = self._fresh()  # no state yet, or another scenario (or format): start from the scenario
        self.data = data
        self._stamp = stamp

    def _save(self) -> None:
        """Atomic write: temporary file in the same directory, fsync, then os.replace."""
        tmp = self.path.with_name(f"state.json.{os.getpid()}.{threading.get_ident()}.tmp")
        payload = dumps(self.data).encode("utf-8")
        with open(tmp, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.path)
        self._stamp = self._file_stamp()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[dict]:
        """Exclusive access to the state document; saved on exit (re-entrant)."""
        with self._lock:
            if self.state_dir is None or self._depth:
                self._depth += 1
                try:
                    yield self.data
                finally:
                    self._depth -= 1
                return
            with open(self.lock_path, "a+") as lock_file:
                fcntl.flock(lock_file.fileno(), fcntl.LOCK_EX)
                try:
                    self._reload()
                    self._depth += 1
                    try:
                        yield self.data
                    except BaseException:
                        self._stamp = None  # discard half-made changes: re-read the file next time
                        raise
                    else:
                        self._save()
                    finally:
                        self._depth -= 1
                finally:
                    fcntl.flock(lock_file.fileno(), fcntl.LOCK_UN)
