"""Sandbox state: a JSON document in memory, optionally persisted (locked across processes).

On disk: ``state.json``, the whole document as of its last compaction (replaced atomically), and
``state.journal``, one line per transaction since then: the sections it changed and the requests
it logged. Reading takes the document and applies the journal's lines in order; a last line cut
short (a process that died writing it) is not a transaction and is dropped. Once the journal is
larger than the document (and at least ``JOURNAL_MIN_BYTES``), and when the sandbox is closed or
its process exits, the document is written whole again (a new generation) and the journal goes.
No fsync: a simulator.
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import hashlib
import os
import threading
import weakref
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
JOURNAL_MIN_BYTES = 1 << 20  # the journal is folded into the document only beyond this size (and the document's)

_OPEN: weakref.WeakSet = weakref.WeakSet()  # stores with a directory, compacted at exit


@atexit.register
def _compact_open_stores() -> None:
    for store in list(_OPEN):
        with contextlib.suppress(Exception):  # at exit: the journal keeps what a compaction could not write
            store.close()


def _stat(path: Path) -> tuple | None:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


class StateStore:
    """Holds the mutable state; with a directory, transactions share it across processes.

    A transaction names the top-level sections it may change (``touch``; None = any). At its end
    only those are encoded again and compared with what was last saved; when something changed,
    one journal line is appended (the changed sections, the requests logged since). The request
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
        self._stamp: tuple | None = None     # (document, journal) on disk as last read or written
        self._encoded: dict[str, str] = {}  # section -> its JSON text as saved (document + journal)
        self._log_text: list[str] = []      # the JSON text of each request log entry
        self._log_saved = 0                 # how many of them are saved
        self._generation = 0                # the document's; its journal lines carry it
        self._document_bytes = 0
        self._journal_bytes = 0
        self._journaled = False             # this process appended to the journal since the last compaction
        self._whole = True                  # the next save writes the whole document
        self.data: dict = {}
        if self.state_dir is None:
            self.data = self._fresh()
            return
        self.state_dir.mkdir(parents=True, exist_ok=True)
        self.path = self.state_dir / "state.json"
        self.journal_path = self.state_dir / "state.journal"
        self.lock_path = self.state_dir / "state.lock"
        with self.transaction():
            pass
        _OPEN.add(self)

    def _fresh(self) -> dict:
        """A new state document for the current scenario."""
        data = self._initial()
        data["version"] = STATE_VERSION
        data["scenario_hash"] = self.scenario_hash
        data.setdefault("requests", [])
        return data

    def _files_stamp(self) -> tuple:
        """Identity of the files on disk (changes when another process saves)."""
        return (_stat(self.path), _stat(self.journal_path))

    def _reload(self) -> None:
        """Read the files when they changed since we last saw them; reset on another scenario."""
        stamp = self._files_stamp()
        if stamp == self._stamp and self.data:
            return
        data = read_saved(self.path, self.journal_path, truncate=True)
        self._whole = False
        if data is None or data.get("scenario_hash") != self.scenario_hash or data.get("version") != STATE_VERSION:
            data = self._fresh()  # no state yet, or another scenario (or format): start from the scenario
            self._whole = True
        elif not isinstance(data.get("requests"), list):
            data["requests"] = []
        self._generation = int(data.pop("generation", 0) or 0)
        # as saved: what a save compares with
        self._encoded = {k: dumps(v) for k, v in data.items() if k != "requests"}
        self._log_text = [dumps(e) for e in data["requests"]]
        self._log_saved = len(self._log_text)
        self.data = data
        self._stamp = self._files_stamp()
        self._document_bytes = (self._stamp[0] or (0, 0, 0))[2]
        self._journal_bytes = (self._stamp[1] or (0, 0, 0))[2]

    def log(self, entry: dict) -> None:
        """Append one request to the log (inside a transaction); past the limit the oldest go."""
        with self._lock:
            log = self.data["requests"]
            log.append(entry)
            excess = len(log) - REQUEST_LOG_LIMIT
            if excess > 0:
                del log[:excess]
                gone = min(excess, len(self._log_text))
                del self._log_text[:gone]
                self._log_saved = max(0, self._log_saved - gone)

    def _save(self, touched: set[str] | None) -> None:
        """Encode what may have changed; when anything did, append it to the journal (or write the
        whole document when it is new, or the journal has grown past it)."""
        changed: dict[str, str] = {}
        for key, value in self.data.items():
            if key == "requests" or (touched is not None and key not in touched and key in self._encoded):
                continue
            text = dumps(value)
            if self._encoded.get(key) != text:
                self._encoded[key] = text
                changed[key] = text
        removed = [k for k in self._encoded if k not in self.data]
        for key in removed:
            del self._encoded[key]
        log, text = self.data["requests"], self._log_text
        if len(text) > len(log):  # the log was replaced: encode it again
            text.clear()
            self._whole = True
        text.extend(dumps(e) for e in log[len(text):])
        new_log = text[self._log_saved:]
        if not (changed or removed or new_log or self._whole):
            return
        if self._whole or self._journal_bytes > max(JOURNAL_MIN_BYTES, self._document_bytes):
            self._write_document()
        else:
            line = (f'{{"g":{self._generation},"set":{{'
                    + ",".join(f"{dumps(k)}:{t}" for k, t in changed.items())
                    + f'}},"del":{dumps(removed)},"log":[' + ",".join(new_log) + "]}\n")
            with open(self.journal_path, "ab") as fh:
                fh.write(line.encode("utf-8"))
            self._journaled = True
            self._journal_bytes += len(line.encode("utf-8"))
        self._log_saved = len(text)
        self._stamp = self._files_stamp()

    def _write_document(self) -> None:
        """The whole document as a new generation (replaced atomically); the journal then goes."""
        self._generation += 1
        sections = [f"{dumps(str(k))}:{self._encoded[k]}" for k in self.data if k != "requests"]
        sections.append(f'"requests":[{",".join(self._log_text)}]')
        sections.append(f'"generation":{self._generation}')
        payload = ("{" + ",".join(sections) + "}").encode("utf-8")
        tmp = self.path.with_name(f"state.json.{os.getpid()}.{threading.get_ident()}.tmp")
        tmp.write_bytes(payload)
        os.replace(tmp, self.path)
        with contextlib.suppress(FileNotFoundError):  # its lines are in the document now (older generation)
            os.unlink(self.journal_path)
        self._document_bytes, self._journal_bytes = len(payload), 0
        self._whole = self._journaled = False
        self._log_saved = len(self._log_text)

    def close(self) -> None:
        """Fold the journal this process wrote into the document (the files then hold one document)."""
        if self.state_dir is None or not self._journaled:
            return
        with self.transaction():
            self._whole = self._journal_bytes > 0  # else another process folded it in already
            self._journaled = False

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
                        self._stamp = None  # discard half-made changes: re-read the files next time
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


def read_saved(path: Path, journal_path: Path | None = None, *, truncate: bool = False) -> dict | None:
    """The state document as saved: ``state.json`` with its journal's lines applied (None: no file).

    StateDamaged when the document, or a whole line of the journal, cannot be read. A last line cut
    short is dropped (and with ``truncate``, cut off the file: the caller holds the lock)."""
    path = Path(path)
    journal_path = Path(journal_path) if journal_path is not None else path.with_name("state.journal")
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StateDamaged(path, f"cannot be read: {exc.strerror or exc}") from None
    try:
        data = loads(raw)
    except (ValueError, RecursionError):
        raise StateDamaged(path, "not valid JSON") from None
    if not isinstance(data, dict) or not isinstance(data.get("scenario_hash"), str):
        raise StateDamaged(path, "not a sandbox state")
    try:
        journal = journal_path.read_bytes()
    except FileNotFoundError:
        return data
    except OSError as exc:
        raise StateDamaged(journal_path, f"cannot be read: {exc.strerror or exc}") from None
    whole = journal[:journal.rfind(b"\n") + 1]
    if truncate and len(whole) < len(journal):
        os.truncate(journal_path, len(whole))
    generation = data.get("generation", 0)
    log = data.setdefault("requests", []) if isinstance(data.get("requests", []), list) else []
    for line in whole.splitlines():
        try:
            change = loads(line)
            if change["g"] != generation:  # written before the document was: already in it
                continue
            data.update(change["set"])
            for key in change["del"]:
                data.pop(key, None)
            log.extend(change["log"])
        except (ValueError, RecursionError, KeyError, TypeError, AttributeError):
            raise StateDamaged(journal_path, "a line is not a saved change") from None
    del log[:max(0, len(log) - REQUEST_LOG_LIMIT)]
    return data
