"""Sandbox state: a JSON document in memory, optionally persisted (atomic, locked across processes)."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import threading
from pathlib import Path
from typing import Iterable, Iterator

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


REQUEST_LOG_LIMIT = 20_000  # the request log keeps the newest this many requests


class StateStore:
    """Holds the mutable state; with a directory, transactions share ``state.json`` across processes.

    A transaction names the top-level sections it may change (``touch``; None = any). At its end
    only those are encoded again and compared with what was last saved; the file is written
    (replaced atomically, without fsync: a simulator) only when something changed. The request
    log (``requests``) is append-only: :meth:`log` adds an entry, and each entry is encoded once.
    """

    def __init__(self, state_dir: Path | None, scenario_hash: str, initial) -> None:
        """``initial()`` builds a fresh state document when none (or a stale one) exists."""
        self.state_dir = Path(state_dir) if state_dir is not None else None
        self.scenario_hash = scenario_hash
        self._initial = initial
        self._lock = threading.RLock()
        self._depth = 0
        self._touched: set[str] | None = set()
        self._stamp: tuple | None = None
        self._encoded: dict[str, str] = {}  # section -> its JSON text as last saved
        self._log_text: list[str] = []      # the JSON text of each request log entry as last saved
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
        data.setdefault("requests", [])
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
        self._encoded, self._log_text = {}, []
        if data is None or data.get("scenario_hash") != self.scenario_hash or data.get("version") != STATE_VERSION:
            data = self._fresh()  # no state yet, or another scenario (or format): start from the scenario
        elif isinstance(data.get("requests"), list):  # as saved: what a save compares with
            self._encoded = {k: dumps(v) for k, v in data.items() if k != "requests"}
            self._log_text = [dumps(e) for e in data["requests"]]
            self._encoded["requests"] = "[" + ",".join(self._log_text) + "]"
        else:
            data["requests"] = []
        self.data = data
        self._stamp = stamp

    def log(self, entry: dict) -> None:
        """Append one request to the log (inside a transaction); past the limit the oldest go."""
        with self._lock:
            log = self.data["requests"]
            log.append(entry)
            excess = len(log) - REQUEST_LOG_LIMIT
            if excess > 0:
                del log[:excess]
                del self._log_text[:excess]

    def _log_json(self) -> str | None:
        """The request log as JSON text, or None when no entry came since the last save.

        ``_log_text[i]`` is entry ``i`` as saved; only entries appended since are encoded.
        """
        log, text = self.data["requests"], self._log_text
        if len(text) > len(log) or (text and "requests" not in self._encoded):
            text.clear()  # the log was replaced: encode it again
        if len(text) == len(log) and "requests" in self._encoded:
            return None
        text.extend(dumps(e) for e in log[len(text):])
        return "[" + ",".join(text) + "]"

    def _save(self, touched: set[str] | None) -> None:
        """Encode what may have changed; when anything did, replace the file (atomic, no fsync)."""
        changed = False
        for key, value in self.data.items():
            if key == "requests" or (touched is not None and key not in touched and key in self._encoded):
                continue
            text = dumps(value)
            if self._encoded.get(key) != text:
                self._encoded[key] = text
                changed = True
        for key in [k for k in self._encoded if k not in self.data]:
            del self._encoded[key]
            changed = True
        log = self._log_json()
        if log is not None:
            self._encoded["requests"] = log
            changed = True
        if not changed and self._stamp is not None:
            return
        payload = "{" + ",".join(f"{dumps(str(k))}:{self._encoded[k]}" for k in self.data) + "}"
        tmp = self.path.with_name(f"state.json.{os.getpid()}.{threading.get_ident()}.tmp")
        tmp.write_bytes(payload.encode("utf-8"))
        os.replace(tmp, self.path)
        self._stamp = self._file_stamp()

    @contextlib.contextmanager
    def transaction(self, touch: Iterable[str] | None = None) -> Iterator[dict]:
        """Exclusive access to the state document (re-entrant); ``touch`` names what may change."""
        with self._lock:
            if self._depth or self.state_dir is None:  # nested, or memory only: no file to lock or save
                if self._depth:
                    self._touch(touch)
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
                    self._touched = set()
                    self._touch(touch)
                    self._depth += 1
                    try:
                        yield self.data
                    except BaseException:
                        self._stamp = None  # discard half-made changes: re-read the file next time
                        raise
                    else:
                        self._save(self._touched)
                    finally:
                        self._depth -= 1
                finally:
                    fcntl.flock(lock_file.fileno(), fcntl.LOCK_UN)

    def _touch(self, touch: Iterable[str] | None) -> None:
        """Widen the sections the running transaction may change."""
        if touch is None:
            self._touched = None
        elif self._touched is not None:
            self._touched.update(touch)
