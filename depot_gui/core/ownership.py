"""Which Xero documents are ours: the mark Depot GUI puts on what it creates.

Every Xero invoice or credit note Depot GUI creates carries, in its ``Reference``, the
Autotask invoice id it was made from ("Autotask invoice 4711"). That mark, kept in Xero
itself, decides ownership: not the local store, so a second desk on the same organisation,
or a rebuilt store, still recognises what Depot GUI created. A document under the same
number without our mark for this Autotask invoice is not ours: it is never read as this
invoice's state and never written.
"""

from __future__ import annotations

import re
from typing import Any

MARK_PREFIX = "Autotask invoice "
_MARK = re.compile(r"^\s*Autotask invoice (\d+)\b")


def ownership_mark(autotask_id: int) -> str:
    """The Reference Depot GUI writes on the Xero document made from this Autotask invoice."""
    return f"{MARK_PREFIX}{int(autotask_id)}"


def marked_autotask_id(doc: dict[str, Any]) -> int | None:
    """The Autotask invoice id a Xero document says it was made from, or None (not ours)."""
    match = _MARK.match(str(doc.get("Reference") or ""))
    return int(match.group(1)) if match else None


def is_ours(doc: dict[str, Any], autotask_id: int) -> bool:
    """True only when the Xero document carries our mark for exactly this Autotask invoice."""
    return marked_autotask_id(doc) == int(autotask_id)
