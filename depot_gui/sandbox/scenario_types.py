"""Scenario records typed as Autotask serves them: a documented field's value has that field's dataType.

The scenario describes an Autotask tenant in the REST API's wire form, and the real API serves each
documented field in one JSON type (reference: autotask-api.md §3, ``entityInformation/fields``):
``string`` fields as JSON strings, ``integer``/``long`` as whole numbers, ``double`` as numbers,
``boolean`` as ``true``/``false``; any field may be null. A value Autotask could never serve (a
``companyName`` of ``12345``, an ``isActive`` of ``"yes"``) is a broken scenario, not something to
guess about: the sandbox would otherwise serve a type the app never meets for real.
"""

from __future__ import annotations

import json
from decimal import Decimal

from depot_gui.sandbox.autotask.meta import FIELDS

FIELD_TYPES: dict[str, dict[str, str]] = {
    entity: dict(spec.split(":") for spec in specs.split()) for entity, specs in FIELDS.items()
}
_WORDS = {"string": "a string", "integer": "a whole number", "long": "a whole number", "double": "a JSON number",
          "boolean": "true or false"}


def wrong_type(entity: str, field: str, value: object) -> str | None:
    """What is wrong with ``value`` for a documented ``entity.field`` (None when Autotask could serve it)."""
    typ = FIELD_TYPES.get(entity, {}).get(field)
    if value is None or typ is None or typ == "datetime":  # datetimes are checked by name elsewhere
        return None
    if typ == "string":
        ok = isinstance(value, str)
    elif typ in ("integer", "long"):
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif typ == "double":
        ok = isinstance(value, (int, Decimal, float)) and not isinstance(value, bool)
    elif typ == "boolean":
        ok = isinstance(value, bool)
    else:
        ok = True
    if ok:
        return None
    return f"must be {_WORDS.get(typ, typ)} or null: Autotask serves {entity}.{field} as {typ}, got {json_kind(value)} {show(value)}"


def json_kind(v: object) -> str:
    """JSON type name of a parsed value, for messages."""
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, (int, Decimal, float)):
        return "number"
    if isinstance(v, str):
        return "string"
    if isinstance(v, list):
        return "array"
    return "object"


def show(v: object) -> str:
    """Short display of a bad value."""
    text = json.dumps(v, default=str)
    return text if len(text) <= 40 else text[:37] + "..."
