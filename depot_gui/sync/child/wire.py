"""Messages between the window's process and its sync child: length-prefixed pickles over a pipe.

Both ends are this program (the same version, started by the same user), so pickle carries the engine's
own objects (InvoiceRow, SyncOutcome, the typed errors) as they are. A message is ``(kind, payload)``.
"""

from __future__ import annotations

import pickle
import struct
from dataclasses import dataclass, field
from typing import Any, BinaryIO

_HEADER = struct.Struct(">I")
MAX_MESSAGE = 256 * 1024 * 1024  # a length beyond this is a damaged stream, not a message

# Parent -> child
REQUEST, CANCEL = "request", "cancel"
SYNC, AUDIT, PAYMENTS, SEND = "sync", "audit", "payments", "send"  # what a Job asks
# Child -> parent
LOG, PROGRESS, ROWS, DONE, FAILED = "log", "progress", "rows", "done", "failed"


class WireClosed(Exception):
    """The other end closed the pipe (or it is damaged) before a whole message came."""


def send(stream: BinaryIO, kind: str, payload: Any = None) -> None:
    data = pickle.dumps((kind, payload), protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(data)) + data)
    stream.flush()


def receive(stream: BinaryIO) -> tuple[str, Any]:
    """The next message; WireClosed at the end of the stream or on a damaged one."""
    header = _read(stream, _HEADER.size)
    (size,) = _HEADER.unpack(header)
    if size > MAX_MESSAGE:
        raise WireClosed(f"a message of {size} bytes: the stream is damaged")
    try:
        kind, payload = pickle.loads(_read(stream, size))
    except Exception as exc:  # noqa: BLE001 - any undecodable message ends the conversation
        raise WireClosed(f"a message could not be read: {type(exc).__name__}") from None
    return str(kind), payload


def _read(stream: BinaryIO, size: int) -> bytes:
    chunks, left = [], size
    while left:
        chunk = stream.read(left)
        if not chunk:
            raise WireClosed("the pipe closed")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


@dataclass(frozen=True)
class Job:
    """What the child does (``kind``: SYNC those invoices, AUDIT: the window's refresh, PAYMENTS: the payments
    check, SEND: an agreed plan's invoices from Xero), and where: the
    session's data dir and (a sandbox) where it is served."""

    data_dir: str
    numbers: list[str]  # SYNC: the invoices; AUDIT: none (every unsynced invoice of the period)
    ids: list[int]  # the same invoices' Autotask ids: their rows come back with DONE
    kind: str = "sync"
    replace_edits: bool = False
    scenario: str | None = None
    sandbox_url: str | None = None
    xero: dict[str, dict] = field(default_factory=dict)  # the window's xero_state (sync/orgs/limits.py)
    memos: dict = field(default_factory=dict)  # what the window's session read once already (xero_cache.session_memos)
    plan: object = None  # SEND: the SendPlan the person agreed to


@dataclass(frozen=True)
class JobDone:
    """What the child did: the outcomes, the warnings, the invoices' rows as stored after (AUDIT: every row),
    per organisation Xero's calls of the last minute and the calls-left counts its answers carried, and
    (AUDIT) the first day of the invoices it downloaded."""

    outcomes: list  # SyncOutcome, each result without its draft and lines (child_main.brief); AUDIT: none
    warnings: list[str]
    rows: list
    xero: dict[str, dict] = field(default_factory=dict)  # organisation -> {"calls": [...], "limits": {...}}
    since: object = None  # AUDIT: a date, or None when every date was downloaded
    report: object = None  # PAYMENTS: the PaymentsReport (its rows: those it checked); SEND: the emails-left lines
