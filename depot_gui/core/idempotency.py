"""Every Idempotency-Key Depot GUI sends to Xero, made in one place.

A key names one intent: the same intent gives the same key on any desk (two desks racing
still end with one document: Xero answers the second with the first's answer), and a key
changes as soon as the target differs:

* a create names the documents of ours under the number that Xero shows as deleted, so a
  re-sync after the bookkeeper deleted our draft is a new intent (never the old answer replayed);
* an update names the version of the document it overwrites (its ``UpdatedDateUTC``), so an
  update after an edit in Xero is a new intent;
* every round after an unknown outcome (sent, no answer, the look-up did not find it) counts:
  round 0 is the first send, round 1 the first resend, and so on (Xero keeps even a 5xx answer
  under its key for minutes: a resend under the same key would only get that answer back).

Keys are ``depot-<what>-<40 hex of sha256>[-r<round>]`` (at most 128 printable characters).
Pure: no clock, no randomness.
"""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from typing import Any


def jsonable(value: Any) -> Any:
    """Decimals as text, containers walked: what a key hashes and what the store keeps."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return value


def _digest(*parts: Any) -> str:
    text = json.dumps(jsonable(list(parts)), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:40]


def _with_round(base: str, round_no: int) -> str:
    return base if round_no <= 0 else f"{base}-r{int(round_no)}"


def create_base(tenant_id: str, kind: str, items: list[tuple[int, dict, tuple[str, ...]]]) -> str:
    """The key of a create before its round: tenant + kind + each (Autotask id, payload, our deleted
    documents under its number), in Autotask-id order."""
    ordered = sorted(([int(a), p, sorted(g)] for a, p, g in items), key=lambda x: x[0])
    label = "inv" if kind == "Invoices" else "cn"
    return f"depot-{label}-{_digest('create', tenant_id, kind, ordered)}"


def create_key(tenant_id: str, kind: str, items: list[tuple[int, dict, tuple[str, ...]]], round_no: int = 0) -> str:
    """The key of one PUT of new invoices (``kind`` Invoices) or credit notes (CreditNotes)."""
    return _with_round(create_base(tenant_id, kind, items), round_no)


def update_base(tenant_id: str, autotask_id: int, xero_id: str, version: str, payload: dict) -> str:
    """The key of an update before its round: tenant + invoice + the document + its version + content."""
    return f"depot-upd-{_digest('update', tenant_id, int(autotask_id), xero_id, version, payload)}"


def update_key(tenant_id: str, autotask_id: int, xero_id: str, version: str, payload: dict, round_no: int = 0) -> str:
    return _with_round(update_base(tenant_id, autotask_id, xero_id, version, payload), round_no)


def round_of(base: str, sent_keys: list[str]) -> int:
    """Which round the next send of ``base`` is: how many distinct keys of it were sent before."""
    return len({k for k in sent_keys if k == base or k.startswith(base + "-r")})


def contact_key(tenant_id: str, name: str, company_id: int | None = None) -> str:
    """Creating one contact (for a company when known)."""
    return f"depot-contact-{_digest('contact', tenant_id, company_id, name)}"


def contacts_key(tenant_id: str, bodies: list[dict]) -> str:
    """Creating a batch of contacts (one PUT of up to 50)."""
    return f"depot-contacts-{_digest('contacts', tenant_id, bodies)}"


def link_key(tenant_id: str, autotask_id: int, document_id: str, reference: str) -> str:
    """Writing our mark on a document the bookkeeper linked to an invoice."""
    return f"depot-link-{_digest('link', tenant_id, int(autotask_id), document_id, reference)}"


def send_base(tenant_id: str, how: str, autotask_id: int, invoice_id: str) -> str:
    """Sending one Xero invoice from Xero (``how``: EMAIL or MARK_SENT), before its round."""
    label = "mail" if how.upper() == "EMAIL" else "sent"
    return f"depot-{label}-{_digest('send', tenant_id, how.upper(), int(autotask_id), invoice_id.lower())}"


def send_key(tenant_id: str, how: str, autotask_id: int, invoice_id: str, round_no: int = 0) -> str:
    """The key of one email or mark-as-sent call; a new round after an outcome Xero did not confirm."""
    return _with_round(send_base(tenant_id, how, autotask_id, invoice_id), round_no)


def attachment_key(tenant_id: str, xero_id: str, file_name: str, round_no: int = 0) -> str:
    """Attaching one file to one Xero document (a second round after an unknown outcome counts)."""
    return _with_round(f"depot-attach-{_digest('attach', tenant_id, xero_id, file_name.lower())}", round_no)


__all__ = ["attachment_key", "contact_key", "contacts_key", "create_base", "create_key", "jsonable", "link_key", "round_of",
           "send_base", "send_key", "update_base", "update_key"]
