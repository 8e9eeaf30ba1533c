"""Autotask query bodies: case-insensitive keys, the 13 filter operators, groups, UDFs, paging."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Callable

from depot_gui.sandbox.autotask.meta import EntityMeta
from depot_gui.sandbox.autotask.field_types import STRING_TYPES, ConversionError, convert
from depot_gui.sandbox.clock import parse_iso

MAX_PAGE = 500
COMPARISON_OPS = ("eq", "noteq", "gt", "gte", "lt", "lte")
STRING_OPS = ("beginsWith", "endsWith", "contains")
ALL_OPS = COMPARISON_OPS + STRING_OPS + ("exist", "notExist", "in", "notIn", "and", "or")
_MISSING = object()

Predicate = Callable[[dict], bool]


class QueryError(Exception):
    """An invalid query; the API answers HTTP 500 with ``{"errors": [message]}``."""


@dataclass
class Query:
    """A parsed query body."""

    predicate: Predicate
    max_records: int
    include_fields: list[str] | None
    body: dict


def ci_get(d: dict, key: str, default=None):
    """Look up ``key`` in ``d`` ignoring case."""
    if key in d:
        return d[key]
    low = key.lower()
    for k, v in d.items():
        if isinstance(k, str) and k.lower() == low:
            return v
    return default


def parse_query(body: object, meta: EntityMeta, *, missing_value: str = "zero", in_limit: int | None = 500,
                empty_filter: str = "error") -> Query:
    """Validate and compile a query body for ``meta``'s entity."""
    if not isinstance(body, dict):
        raise QueryError("The query body must be a JSON object with a filter.")
    raw_max = ci_get(body, "MaxRecords")
    if raw_max is None:
        max_records = MAX_PAGE
    else:
        try:
            if isinstance(raw_max, bool):
                raise ValueError
            max_records = int(str(raw_max))
        except ValueError:
            raise QueryError("maxCountOfRecordsToReturn must be between 1 and 500") from None
        if not 1 <= max_records <= MAX_PAGE:
            raise QueryError("maxCountOfRecordsToReturn must be between 1 and 500")
    include = ci_get(body, "IncludeFields")
    include_fields = None
    if include:
        if not isinstance(include, list):
            raise QueryError("IncludeFields must be an array of field names.")
        include_fields = []
        for name in include:
            canon = meta.field(name)
            if canon is None:
                raise QueryError(f"Unable to find {name} in the {meta.name} Entity.")
            if canon not in include_fields:
                include_fields.append(canon)
    filters = ci_get(body, "filter")
    if filters is None:
        filters = []
    if not isinstance(filters, list):
        filters = [filters]
    if not filters and empty_filter == "error":
        raise QueryError("Query filter is required: send at least one filter condition.")
    compiler = _Compiler(meta, missing_value)
    preds = [compiler.compile(f) for f in filters]
    if in_limit is not None and compiler.or_count > in_limit:
        raise QueryError(f"Invalid query syntax. Queries are limited to {in_limit} or fewer 'OR' conditions.")
    if compiler.udf_count > 1:
        raise QueryError("Only one user-defined field may be used in a query.")
    return Query(lambda row: all(p(row) for p in preds), max_records, include_fields, body)


class _Compiler:
    """Turns filter items into predicates, checking fields, operators and values."""

    def __init__(self, meta: EntityMeta, missing_value: str) -> None:
        self.meta = meta
        self.missing_value = missing_value
        self.or_count = 0
        self.udf_count = 0

    def compile(self, item: object) -> Predicate:
        """Predicate for one filter item or group."""
        if not isinstance(item, dict):
            raise QueryError("Each filter must be an object with op, field and value.")
        op = ci_get(item, "op")
        if not isinstance(op, str) or op not in ALL_OPS:
            if isinstance(op, str) and op.lower() in {o.lower() for o in ALL_OPS}:
                op = next(o for o in ALL_OPS if o.lower() == op.lower())
            else:
                raise QueryError(f"Unable to find the operator '{op}'. Valid operators are: {', '.join(ALL_OPS)}.")
        if op in ("and", "or"):
            items = ci_get(item, "items")
            if not isinstance(items, list) or not items:
                raise QueryError(f"The '{op}' grouping must contain at least one filter in items.")
            preds = [self.compile(i) for i in items]
            if op == "or":
                self.or_count = max(self.or_count, len(preds))
                return lambda row: any(p(row) for p in preds)
            return lambda row: all(p(row) for p in preds)
        field_name = ci_get(item, "field")
        if not isinstance(field_name, str) or not field_name:
            raise QueryError(f"The '{op}' filter needs a field.")
        udf = ci_get(item, "udf") is True
        if udf:
            self.udf_count += 1
            canon = next((u for u in self.meta.udf_names if u.lower() == field_name.lower()), None)
            if canon is None:
                raise QueryError(f"Unable to find {field_name} in the {self.meta.name} Entity.")
            getter = _udf_getter(canon)
            typ = "string"
        else:
            canon = self.meta.field(field_name)
            if canon is None:
                raise QueryError(f"Unable to find {field_name} in the {self.meta.name} Entity.")
            if not self.meta.queryable(canon):
                raise QueryError(f"The field {canon} in the {self.meta.name} Entity cannot be used in a query.")
            getter = (lambda c: lambda row: row.get(c))(canon)
            typ = self.meta.types[canon]
        value = ci_get(item, "value", _MISSING)
        if op == "exist":
            return lambda row: getter(row) not in (None, "")
        if op == "notExist":
            return lambda row: getter(row) in (None, "")
        if op in STRING_OPS and typ not in STRING_TYPES:
            raise QueryError(f"The '{op}' operator can only be used with string fields; field {canon} "
                             f"in the {self.meta.name} Entity is of type {typ}.")
        if op in ("in", "notIn"):
            if value is _MISSING:  # a client dropped a falsy (empty) list
                values = []
            elif isinstance(value, list):
                values = value
            else:
                raise QueryError(f"The '{op}' operator requires an array of values for field {canon} "
                                 f"in the {self.meta.name} Entity.")
            self.or_count = max(self.or_count, len(values))
            keys = {_key(self.coerce(v, typ, canon)) for v in values}
            if op == "in":
                return lambda row: _key(_norm(getter(row), typ)) in keys
            return lambda row: _key(_norm(getter(row), typ)) not in keys
        if value is _MISSING:
            value = None if self.missing_value == "null" else _zero(typ)
        if op in STRING_OPS:
            if value is None:
                return lambda row: False
            needle = self.coerce(value, typ, canon)
            test = {"beginsWith": str.startswith, "endsWith": str.endswith,
                    "contains": lambda a, b: b in a}[op]
            return lambda row: (getter(row) is not None and test(_text(getter(row)).lower(), needle))
        target = self.coerce(value, typ, canon) if value is not None else None
        return _comparison(op, getter, typ, target)

    def coerce(self, value: object, typ: str, field: str) -> object:
        """A filter value in comparable form for the field's type, or the API's conversion error.

        One path (:func:`~.autotask_types.convert`) for every operator: numbers become Decimals,
        datetimes naive UTC, strings lower case; None (null) stays None.
        """
        if value is None:
            return None
        try:
            v = convert(value, typ)
        except ConversionError:
            raise QueryError(f"Unable to convert value '{value}' to type {typ} for field {field} "
                             f"in the {self.meta.name} Entity.") from None
        if isinstance(v, bool):
            return v
        if isinstance(v, int):
            return Decimal(v)
        if isinstance(v, datetime):
            return v.replace(tzinfo=None)
        if isinstance(v, str):
            return v.lower()
        return v


def _udf_getter(name: str) -> Callable[[dict], object]:
    """Reads one UDF's value from a row's ``userDefinedFields``."""
    def get(row: dict) -> object:
        for u in row.get("userDefinedFields") or []:
            if str(u.get("name", "")).lower() == name.lower():
                return u.get("value")
        return None
    return get


def _zero(typ: str) -> object:
    """What a falsy value that a client dropped most likely was."""
    return {"boolean": False, "string": "", "datetime": None}.get(typ, 0)


def _text(v: object) -> str:
    """A row value as text (Decimals without exponent)."""
    if isinstance(v, Decimal):
        return format(v, "f")
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def _norm(v: object, typ: str) -> object:
    """A row value in comparable form for its type."""
    if v is None:
        return None
    if typ in ("integer", "long", "double"):
        if isinstance(v, bool):
            return Decimal(int(v))
        try:
            return Decimal(str(v))
        except InvalidOperation:
            return None
    if typ == "boolean":
        return bool(v)
    if typ == "datetime":
        try:
            return parse_iso(str(v)).replace(tzinfo=None)
        except ValueError:
            return None
    return _text(v).lower()


def _key(v: object) -> object:
    """Hashable key: Decimals normalised so 5 == 5.0."""
    if isinstance(v, Decimal):
        return ("n", v.normalize())
    return v


def _comparison(op: str, getter, typ: str, target: object) -> Predicate:
    """Predicate for eq/noteq/gt/gte/lt/lte against ``target`` (None = null)."""
    if target is None:
        if op == "eq":
            return lambda row: getter(row) is None
        if op == "noteq":
            return lambda row: getter(row) is not None
        return lambda row: False
    def test(row: dict) -> bool:
        v = _norm(getter(row), typ)
        if v is None:
            return op == "noteq"
        try:
            if op == "eq":
                return v == target
            if op == "noteq":
                return v != target
            if op == "gt":
                return v > target
            if op == "gte":
                return v >= target
            if op == "lt":
                return v < target
            return v <= target
        except TypeError:
            return False
    return test
