"""Rows read back from the database, validated: a damaged value is a ValueError naming it."""

from __future__ import annotations

import json
import re
import sqlite3
from decimal import Decimal, InvalidOperation

from depot_gui.core.payments import PAYMENT_STATES
from depot_gui.core.settings import SettingError, Settings

from depot_gui.store.records import BadStoredSetting, InvoiceRow

_STATUS = re.compile(r"^[a-z_]{1,32}$")


def codes(text: object) -> list[str]:
    """A JSON list of cause codes."""
    try:
        value = json.loads(str(text))
    except ValueError:
        raise ValueError(f"causes {str(text)[:40]!r} is not JSON") from None
    if not isinstance(value, list) or not all(isinstance(c, str) for c in value):
        raise ValueError(f"causes {str(text)[:40]!r} is not a list of codes")
    return value


def money(name: str, value: object) -> str:
    """A stored amount: text that is a finite decimal number."""
    try:
        if not isinstance(value, str) or not Decimal(value).is_finite():
            raise InvalidOperation
    except InvalidOperation:
        raise ValueError(f"{name} {str(value)[:40]!r} is not an amount") from None
    return value


def text(name: str, value: object, *, nullable: bool = False) -> str | None:
    if value is None and nullable:
        return None
    if not isinstance(value, str):
        raise ValueError(f"{name} {value!r} is not text")
    return value


def invoice_row(r: sqlite3.Row) -> InvoiceRow:
    """The InvoiceRow of one ``invoices`` row; ValueError naming the first damaged value."""
    if not isinstance(r["autotask_id"], int):
        raise ValueError(f"autotask_id {r['autotask_id']!r} is not a whole number")
    status = text("status", r["status"])
    if not _STATUS.match(status or ""):
        raise ValueError(f"status {str(status)[:40]!r} is not a status")
    return InvoiceRow(
        r["autotask_id"], text("invoice_number", r["invoice_number"]), text("company", r["company"]),
        text("invoice_date", r["invoice_date"], nullable=True), money("autotask_total", r["autotask_total"]),
        money("xero_total", r["xero_total"]), money("difference", r["difference"]),
        money("rounding_line", r["rounding_line"]), status, codes(r["causes"]),
        text("explanation", r["explanation"]), text("xero_invoice_id", r["xero_invoice_id"], nullable=True),
        text("xero_status", r["xero_status"], nullable=True), text("synced_at", r["synced_at"], nullable=True),
        bool(r["voided"]), text("audited_at", r["audited_at"]),
        tuple(codes(r["unchecked_json"] or "[]")) if "unchecked_json" in r.keys() else (),
        payment_state_of(r["payment_state"]) if "payment_state" in r.keys() else None,
        optional_text("currency", r, 3), optional_text("organisation", r, 255),
        tuple(codes(r["warnings_json"] or "[]")) if "warnings_json" in r.keys() else (),
        sent_how_of(r["sent_how"]) if "sent_how" in r.keys() else "",
        text("online_url", r["online_url"], nullable=True) if "online_url" in r.keys() else None,
    )


def sent_how_of(value: object) -> str:
    """How an invoice was sent from Xero: email, mark_sent, or '' (NULL: nothing recorded)."""
    if value is None:
        return ""
    if value not in ("", "email", "mark_sent"):
        raise ValueError(f"sent_how {str(value)[:40]!r} is not a way of sending")
    return str(value)


def optional_text(name: str, r: sqlite3.Row, longest: int) -> str:
    """A short text kept inside the result JSON ("" when absent); ValueError when it is not text."""
    value = r[name] if name in r.keys() else None
    if value is None:
        return ""
    if not isinstance(value, str) or len(value) > longest:
        raise ValueError(f"{name} {str(value)[:40]!r} is not a {name}")
    return value


def payment_state_of(value: object) -> str | None:
    """A stored payment state: one of core.payments.PAYMENT_STATES or NULL (ValueError otherwise)."""
    if value is None:
        return None
    if value not in PAYMENT_STATES:
        raise ValueError(f"payment_state {str(value)[:40]!r} is not a payment state")
    return str(value)


def settings_from(raw: dict[str, str], changes: dict[str, str]) -> Settings:
    """Stored texts with ``changes`` applied, strictly parsed (BadStoredSetting names a bad stored value)."""
    texts = {**raw, **changes}
    try:
        return Settings.from_texts(texts, strict=True)
    except SettingError as exc:
        key = exc.key
        raise BadStoredSetting(key, str(texts.get(key, "")), str(exc)) from None
