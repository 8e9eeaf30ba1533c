"""Parts of a Xero request besides its body: ``where`` clauses, ``If-Modified-Since``, ``Idempotency-Key``."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime, timezone

MAX_KEY_LENGTH = 128
WHERE_BUDGET = 1800  # characters of where clause per call (keeps URLs well under common 8 KB limits)


def where_equals(field_name: str, value: str) -> str:
    """A ``where`` clause ``Field=="value"`` with backslashes and quotes escaped."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'{field_name}=="{escaped}"'


def or_chunks(clauses: Iterable[str], budget: int = WHERE_BUDGET) -> Iterator[str]:
    """``A OR B OR …`` expressions of at most ``budget`` characters (one clause may exceed it alone)."""
    chunk: list[str] = []
    size = 0
    for clause in dict.fromkeys(clauses):
        extra = len(clause) + (4 if chunk else 0)
        if chunk and size + extra > budget:
            yield " OR ".join(chunk)
            chunk, size = [], 0
            extra = len(clause)
        chunk.append(clause)
        size += extra
    if chunk:
        yield " OR ".join(chunk)


def since_header(when: datetime) -> dict[str, str]:
    """``If-Modified-Since`` for an aware (or naive UTC) time, as Xero documents it: ISO UTC, whole seconds."""
    if when.tzinfo is not None:
        when = when.astimezone(timezone.utc).replace(tzinfo=None)
    return {"If-Modified-Since": when.strftime("%Y-%m-%dT%H:%M:%S")}


def check_idempotency_key(key: str) -> str:
    """Refuse empty, over-long (>128) or non-printable-ASCII Idempotency-Key values."""
    if not isinstance(key, str) or not key.strip():
        raise ValueError("Idempotency-Key must not be empty")
    if len(key) > MAX_KEY_LENGTH:
        raise ValueError(f"Idempotency-Key is {len(key)} characters; Xero allows at most {MAX_KEY_LENGTH}")
    if not all(32 < ord(ch) < 127 for ch in key):
        raise ValueError("Idempotency-Key must be printable ASCII without spaces")
    return key
