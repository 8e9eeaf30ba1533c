"""Sandbox state: a JSON document in memory, optionally persisted (locked across processes).

On disk: ``state.json``, the whole document as of its last compaction (replaced atomically), and
``state.journal``, one line per transaction since then: what it changed (whole sections, or single
records by their path in the document) and the requests it logged. Reading takes the document
and applies the journal's lines in order; a last line cut short (a process that died writing it)
is not a transaction and is dropped. Once the journal is larger than the document (and at least
``JOURNAL_MIN_BYTES``), and when the sandbox is closed or its process exits, the document is
written whole again (a new generation) and the journal goes. No fsync: a simulator.
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
from depot_gui.sandbox.places import at as _at, drop as _drop, order as _order, put as _put

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

    A transaction names what it may change (``touch``; None = any): top-level sections, or places
    inside them (a tuple of keys and list indexes, e.g. ``("autotask", "hourly")``). At its end
    only those are encoded again and compared with what was last saved. The records it changed
    among many (one invoice of thousands) are named with :meth:`mark` instead: each is encoded and
    saved as it is, so that a request's cost does not grow with the size of the tenant. When
    something changed, one journal line is appended (the sections and records changed, the
    requests logged since). What changes outside ``touch`` and the marks is not saved; with
    ``check_saves`` (tests) every save reads the files back and compares them with the memory.
    The request log (``requests``) is append-only: :meth:`log` adds an entry, encoded once.
    """

    check_saves = False

    def __init__(self, state_dir: Path | None, scenario_hash: str, initial) -> None:
        """``initial()`` builds a fresh state document when none (or a stale one) exists."""
        self.state_dir = Path(state_dir) if state_dir is not None else None
        self.scenario_hash = scenario_hash
        self._initial = initial
        self._lock = threading.RLock()
        self._depth = 0
        self._touched: set | None = set()   # sections (str) and places (tuple) the transaction may change
        self._marked: set[tuple] = set()    # records it changed (places), saved without a comparison
        self._stamp: tuple | None = None     # (document, journal) on disk as last read or written
        self._known: set[str] = set()       # the sections as saved
        self._encoded: dict = {}            # section or place -> its JSON text as saved (None: not known)
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
        with self.transaction(()):  # reads the files (writes the document when new)
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
        self._known = {k for k in data if k != "requests"}
        self._encoded = {}  # encoded when first compared (a section never touched is never encoded)
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

    def _save(self, touched: set | None, marked: set[tuple]) -> None:
        """Encode what may have changed; when anything did, append it to the journal (or write the
        whole document when it is new, or the journal has grown past it)."""
        changed: dict[str, str] = {}
        whole = {t for t in (self.data if touched is None else touched) if isinstance(t, str)}
        for key, value in self.data.items():
            if key == "requests" or (key not in whole and key in self._known):
                continue
            text = dumps(value)
            if self._encoded.get(key) != text or key not in self._known:
                self._forget((key,))
                self._encoded[key] = text
                changed[key] = text
        removed = [k for k in self._known if k not in self.data]
        for key in removed:
            self._forget((key,))
        self._known = {k for k in self.data if k != "requests"}
        compared = {t for t in touched or () if isinstance(t, tuple)}
        places = compared | marked
        puts, drops = [], []
        for place in sorted(places, key=_order):
            if not place or place[0] in whole or place[0] in removed or any(
                    place[:i] in places for i in range(1, len(place))):
                continue  # saved with its section, or with the record that holds it
            try:
                value = _at(self.data, place)
            except (KeyError, IndexError, TypeError):
                self._forget(place)
                drops.append(place)
                continue
            text = dumps(value)
            if place in compared and self._encoded.get(place) == text:
                continue
            self._forget(place)
            if place in compared:
                self._encoded[place] = text
            puts.append(f"[{dumps(list(place))},{text}]")
        log, text = self.data["requests"], self._log_text
        if len(text) > len(log):  # the log was replaced: encode it again
            text.clear()
            self._whole = True
        text.extend(dumps(e) for e in log[len(text):])
        new_log = text[self._log_saved:]
        if not (changed or removed or puts or drops or new_log or self._whole):
            return
        if self._whole or self._journal_bytes > max(JOURNAL_MIN_BYTES, self._document_bytes):
            self._write_document()
        else:
            line = (f'{{"g":{self._generation},"set":{{'
                    + ",".join(f"{dumps(k)}:{t}" for k, t in changed.items())
                    + f'}},"del":{dumps(removed)}'
                    + (f',"put":[{",".join(puts)}]' if puts else "")
                    + (f',"drop":{dumps([list(p) for p in drops])}' if drops else "")
                    + ',"log":[' + ",".join(new_log) + "]}\n").encode("utf-8")
            with open(self.journal_path, "ab") as fh:
                fh.write(line)
            self._journaled = True
            self._journal_bytes += len(line)
        self._log_saved = len(text)
        self._stamp = self._files_stamp()

    def _forget(self, place: tuple) -> None:
        """Drop the texts that ``place`` saved anew may no longer match (its section's, those within)."""
        for key in list(self._encoded):
            if isinstance(key, str):
                if key == place[0] and len(place) > 1:
                    self._encoded[key] = None
            elif key[:len(place)] == place or place[:len(key)] == key:
                del self._encoded[key]

    def _check(self) -> None:
        """Tests: the files, read back, hold what the memory does (AssertionError names the section)."""
        saved = read_saved(self.path, self.journal_path) or {}
        saved.pop("generation", None)
        for key in sorted(set(saved) | set(self.data)):
            if dumps(saved.get(key)) != dumps(self.data.get(key)):
                raise AssertionError(f"the saved sandbox state differs from memory in {key!r}")

    def _write_document(self) -> None:
        """The whole document as a new generation (replaced atomically); the journal then goes."""
        self._generation += 1
        sections = [f"{dumps(str(k))}:{self._text(k)}" for k in self.data if k != "requests"]
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

    def _text(self, section: str) -> str:
        """A section's JSON text (encoded now when not known)."""
        text = self._encoded.get(section)
        if text is None:
            text = self._encoded[section] = dumps(self.data[section])
        return text

    def mark(self, places: Iterable[tuple]) -> None:
        """Name records the running transaction changed or removed (each a place: see the class)."""
        if self.state_dir is not None and self._depth:
            self._marked.update(places)

    def close(self) -> None:
        """Fold the journal this process wrote into the document (the files then hold one document)."""
        if self.state_dir is None or not self._journaled:
            return
        with self.transaction(()):
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
                    self._touched, self._marked = set(), set()
                    self._touch(touch)
                    self._depth += 1
                    try:
                        yield self.data
                    except BaseException:
                        self._stamp = None  # discard half-made changes: re-read the files next time
                        raise
                    else:
                        self._save(self._touched, self._marked)
                        if self.check_saves:
                            self._check()
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


def _read_or_none(path: Path) -> bytes | None:
    """The file's bytes, None when it does not exist; StateDamaged when it cannot be read."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StateDamaged(path, f"cannot be read: {exc.strerror or exc}") from None


def read_saved(path: Path, journal_path: Path | None = None, *, truncate: bool = False) -> dict | None:
    """The state document as saved: ``state.json`` with its journal's lines applied (None: no file).

    StateDamaged when the document, or a whole line of the journal, cannot be read. A last line cut
    short is dropped (and with ``truncate``, cut off the file: the caller holds the lock)."""
    path = Path(path)
    journal_path = Path(journal_path) if journal_path is not None else path.with_name("state.journal")
    raw = _read_or_none(path)
    if raw is None:
        return None
    try:
        data = loads(raw)
    except (ValueError, RecursionError):
        raise StateDamaged(path, "not valid JSON") from None
    if not isinstance(data, dict) or not isinstance(data.get("scenario_hash"), str):
        raise StateDamaged(path, "not a sandbox state")
    journal = _read_or_none(journal_path)
    if journal is None:
        return data
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
            for place, value in change.get("put", ()):
                _put(data, place, value)
            for place in change.get("drop", ()):
                _drop(data, place)
            log.extend(change["log"])
        except (ValueError, RecursionError, KeyError, TypeError, AttributeError, IndexError):
            raise StateDamaged(journal_path, "a line is not a saved change") from None
    del log[:max(0, len(log) - REQUEST_LOG_LIMIT)]
    return data
