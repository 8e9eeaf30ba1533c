"""Scenario records typed as Autotask serves them: a documented field's value has that field's dataType.

The scenario describes an Autotask tenant in the REST API's wire form, and the real API serves each
documented field in one JSON type (reference: autotask-api.md §3, ``entityInformation/fields``):
``string`` fields as JSON strings, ``integer``/``long`` as whole numbers, ``double`` as numbers,
``boolean`` as ``true``/``false``; any field may be null. A value Autotask could never serve (a
``companyName`` of ``12345``, an ``isActive`` of ``"yes"``) is a broken scenario, not something to
guess about: the sandbox would otherwise serve a type the app never meets for real.
"""

from __future__ import annotations

from decimal import Decimal

from depot_gui.sandbox.autotask.meta import _FIELDS

FIELD_TYPES: dict[str, dict[str, str]] = {
    entity: dict(spec.split(":") for spec in specs.split()) for entity, specs in _FIELDS.items()
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
    return (f"must be {_WORDS.get(typ, typ)} or null: Autotask serves {entity}.{field} as {typ}, got "
            f"{_json_kind(value)}")


def _json_kind(v: object) -> str:
    """JSON type name and a short display of a bad value."""
    import json

    if isinstance(v, bool):
        kind = "boolean"
    elif isinstance(v, (int, Decimal, float)):
        kind = "number"
    elif isinstance(v, str):
        kind = "string"
    elif isinstance(v, list):
        kind = "array"
    else:
        kind = "object"
    text = json.dumps(v, default=str)
    return f"{kind} {text if len(text) <= 40 else text[:37] + '...'}"
