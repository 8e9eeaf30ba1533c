"""Scenario files (../shared/specs/scenario.md): parse with Decimal numbers, strip comments, validate."""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from decimal import Decimal
from pathlib import Path

from depot_gui.sandbox.clock import is_iso_datetime, parse_iso
from depot_gui.sandbox.scenario_types import json_kind as _kind, show as _show, wrong_type
from depot_gui.sandbox.scenario_xero import XeroSection

API_NAMES = ("autotask", "xero", "identity")
FAULT_KINDS = ("status", "timeout_after_commit", "drop", "delay", "partial_commit")
# Autotask fields that are money / numbers on the wire: a string there is a broken scenario.
NUMERIC_FIELDS = {
    "invoiceTotal", "totalTaxValue", "extendedPrice", "taxDollars", "totalAmount", "rate",
    "quantity", "ourCost", "internalCurrencyExtendedPrice", "internalCurrencyRate",
    "internalCurrencyTaxDollars", "internalCurrencyTotalAmount", "taxRate", "unitPrice",
    "unitCost", "paymentDueInDays",
}
# Bounds checked before anything else reads the file: no real scenario nests deeper, and no real
# amount, quantity or id comes near these (Xero's own amounts stop well below 10^13).
MAX_DEPTH = 32
MAX_NUMBER = Decimal(10) ** 13
MAX_DECIMALS = 12


class ScenarioError(Exception):
    """A scenario file that breaks the format; ``str()`` names the file, the JSON path and the problem."""

    def __init__(self, file: str | Path, path: str, problem: str) -> None:
        self.file = str(file)
        self.path = path
        self.problem = problem
        super().__init__(f"{self.file}: {path}: {problem}")


def strip_comments(value: object) -> object:
    """Drop every object key starting with ``_``, at any depth."""
    if isinstance(value, dict):
        return {k: strip_comments(v) for k, v in value.items() if not str(k).startswith("_")}
    if isinstance(value, list):
        return [strip_comments(v) for v in value]
    return value


def scenario_hash(path: str | Path) -> str:
    """SHA-256 of the scenario file's bytes (state resets when it changes)."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def load_scenario(path: str | Path) -> dict:
    """Parse (Decimal numbers) and validate a scenario file, or raise ScenarioError."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise ScenarioError(p, "$", f"cannot read the file ({exc.strerror or exc})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ScenarioError(p, "$", "the file is not UTF-8 text") from None
    try:
        data = json.loads(text, parse_float=Decimal, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise ScenarioError(p, "$", f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
    except RecursionError:
        raise ScenarioError(p, "$", f"nested deeper than {MAX_DEPTH} levels") from None
    except ValueError as exc:  # an integer of thousands of digits, NaN or Infinity
        why = str(exc)
        if "integer string conversion" in why:  # Python's own limit, said in words a person can act on
            why = "a number with thousands of digits, beyond any real amount"
        raise ScenarioError(p, "$", f"not a usable number: {why[:80]}") from None
    check_bounds(p, data)
    data = strip_comments(data)
    Validator(p).scenario(data)
    if "name" not in data:
        data["name"] = p.stem
    return data


def _no_constant(name: str) -> object:
    raise ValueError(f"{name} is not a JSON number")


def check_bounds(file: str | Path, data: object) -> None:
    """ScenarioError for nesting deeper than MAX_DEPTH or a number no real invoice has (walks without recursion)."""
    stack: list[tuple[object, str, int]] = [(data, "$", 1)]
    while stack:
        value, path, depth = stack.pop()
        if isinstance(value, (dict, list)):
            if depth > MAX_DEPTH:
                raise ScenarioError(file, path if len(path) < 60 else path[:57] + "...", f"nested deeper than {MAX_DEPTH} levels")
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for k, v in items:
                stack.append((v, f"{path}.{k}" if isinstance(value, dict) else f"{path}[{k}]", depth + 1))
        elif isinstance(value, (int, Decimal)) and not isinstance(value, bool):
            number = Decimal(value)
            if not number.is_finite() or abs(number) >= MAX_NUMBER:
                raise ScenarioError(file, path, f"the number {_show(value)} is beyond any real amount (at most {MAX_NUMBER:,.0f})")
            if number.as_tuple().exponent < -MAX_DECIMALS:  # type: ignore[operator]
                raise ScenarioError(file, path, f"the number {_show(value)} has more than {MAX_DECIMALS} decimals")


class Validator:
    """Walks a parsed scenario and raises ScenarioError at the first problem."""

    def __init__(self, file: Path) -> None:
        self.file = file

    def fail(self, path: str, problem: str) -> None:
        """Raise the error for ``path``."""
        raise ScenarioError(self.file, path, problem)

    def obj(self, v: object, path: str) -> dict:
        """Require a JSON object."""
        if not isinstance(v, dict):
            self.fail(path, f"must be an object, got {_kind(v)}")
        return v  # type: ignore[return-value]

    def arr(self, v: object, path: str) -> list:
        """Require a JSON array."""
        if not isinstance(v, list):
            self.fail(path, f"must be an array, got {_kind(v)}")
        return v  # type: ignore[return-value]

    def string(self, d: dict, key: str, path: str, *, required: bool = True, nonempty: bool = True) -> None:
        """Require ``d[key]`` to be a (non-empty) string."""
        if key not in d:
            if required:
                self.fail(path, f'missing required key "{key}"')
            return
        v = d[key]
        if not isinstance(v, str):
            self.fail(f"{path}.{key}", f"must be a string, got {_kind(v)} {_show(v)}")
        if nonempty and not v.strip():
            self.fail(f"{path}.{key}", "must not be empty")

    def integer(self, d: dict, key: str, path: str, *, required: bool = True, minimum: int | None = None) -> None:
        """Require ``d[key]`` to be an integer."""
        if key not in d:
            if required:
                self.fail(path, f'missing required key "{key}"')
            return
        v = d[key]
        if isinstance(v, bool) or not isinstance(v, int):
            self.fail(f"{path}.{key}", f"must be an integer, got {_kind(v)} {_show(v)}")
        if minimum is not None and v < minimum:
            self.fail(f"{path}.{key}", f"must be at least {minimum}, got {v}")

    def number(self, d: dict, key: str, path: str, *, required: bool = True, nullable: bool = False) -> None:
        """Require ``d[key]`` to be a JSON number."""
        if key not in d:
            if required:
                self.fail(path, f'missing required key "{key}"')
            return
        v = d[key]
        if v is None and nullable:
            return
        if isinstance(v, bool) or not isinstance(v, (int, Decimal, float)):
            self.fail(f"{path}.{key}", f"must be a JSON number, got {_kind(v)} {_show(v)}")

    def uuid_str(self, d: dict, key: str, path: str, *, required: bool = True) -> None:
        """Require ``d[key]`` to be a UUID string."""
        self.string(d, key, path, required=required)
        if key in d:
            try:
                uuid.UUID(d[key])
            except ValueError:
                self.fail(f"{path}.{key}", f"must be a UUID, got {_show(d[key])}")

    # -- sections ---------------------------------------------------------------------------

    def scenario(self, data: object) -> None:
        """Top level."""
        d = self.obj(data, "$")
        self.string(d, "name", "$", required=False)
        self.string(d, "description", "$", required=False, nonempty=False)
        if "now" not in d:
            self.fail("$", 'missing required key "now"')
        if not is_iso_datetime(d["now"]):
            self.fail("$.now", f"must be an ISO-8601 UTC datetime such as \"2026-11-20T09:00:00Z\", got {_show(d['now'])}")
        try:
            parse_iso(d["now"])
        except ValueError:
            self.fail("$.now", f"is not a valid datetime: {_show(d['now'])}")
        for key in ("autotask", "xero"):
            if key not in d:
                self.fail("$", f'missing required key "{key}"')
        self.autotask(self.obj(d["autotask"], "$.autotask"))
        self.xero(self.obj(d["xero"], "$.xero"))
        if "faults" in d:
            for i, f in enumerate(self.arr(d["faults"], "$.faults")):
                self.fault(f, f"$.faults[{i}]")
        if "latency" in d:
            self.latency(self.obj(d["latency"], "$.latency"))

    def latency(self, lat: dict) -> None:
        """``latency``: seconds each service's answers take (``autotask``, ``xero``)."""
        for key, v in lat.items():
            if key not in ("autotask", "xero"):
                self.fail(f"$.latency.{key}", 'only "autotask" and "xero" have a latency')
            self.number(lat, key, "$.latency")
            if not 0 <= v <= 60:
                self.fail(f"$.latency.{key}", f"must be seconds from 0 to 60, got {_show(v)}")

    def autotask(self, a: dict) -> None:
        """The ``autotask`` section."""
        if "apiUser" not in a:
            self.fail("$.autotask", 'missing required key "apiUser"')
        u = self.obj(a["apiUser"], "$.autotask.apiUser")
        for key in ("userName", "secret", "integrationCode"):
            self.string(u, key, "$.autotask.apiUser")
        self.integer(u, "resourceID", "$.autotask.apiUser")
        ents = self.obj(a.get("entities", {}), "$.autotask.entities")
        for name, rows in ents.items():
            base = f"$.autotask.entities.{name}"
            if not re.match(r"^[A-Za-z][A-Za-z0-9]*$", name):
                self.fail(base, "entity names are the REST API's own names, e.g. \"BillingItems\"")
            seen: set[int] = set()
            for i, row in enumerate(self.arr(rows, base)):
                self.record(row, f"{base}[{i}]", seen, name)
        self.currencies(ents)
        billing_ids = {r["id"] for r in ents.get("BillingItems", [])}
        for i, p in enumerate(self.arr(a.get("pending", []), "$.autotask.pending")):
            path = f"$.autotask.pending[{i}]"
            self.obj(p, path)
            self.integer(p, "billingItemID", path)
            self.integer(p, "visibleAfterQueries", path, minimum=0)
            if p["billingItemID"] not in billing_ids:
                self.fail(f"{path}.billingItemID", f"no BillingItems record has id {p['billingItemID']}")
        for i, e in enumerate(self.arr(a.get("restrictedEntities", []), "$.autotask.restrictedEntities")):
            if not isinstance(e, str):
                self.fail(f"$.autotask.restrictedEntities[{i}]", f"must be an entity name string, got {_kind(e)}")

    def currencies(self, ents: dict) -> None:
        """Multi-currency: ISO codes, exactly one internal currency, companies naming a listed currency."""
        rows = ents.get("Currencies", [])
        base = "$.autotask.entities.Currencies"
        for i, row in enumerate(rows):
            if not isinstance(row.get("name"), str) or not re.fullmatch(r"[A-Z]{3}", row["name"]):
                self.fail(f"{base}[{i}].name", "must be the ISO 4217 code (e.g. \"NZD\"), as Autotask's "
                                               f"Currencies.name is, got {_show(row.get('name'))}")
        if not rows:
            return  # no Currencies rows: every company is in the organisation's base currency
        internal = [r["id"] for r in rows if r.get("isInternalCurrency") is True]
        if len(internal) != 1:
            self.fail(base, f"exactly one currency must have isInternalCurrency true, found {len(internal)}")
        ids = {r["id"] for r in rows}
        for i, company in enumerate(ents.get("Companies", [])):
            cid = company.get("currencyID")
            if cid is not None and cid not in ids:
                self.fail(f"$.autotask.entities.Companies[{i}].currencyID", f"no Currencies record has id {cid}")

    def record(self, row: object, path: str, seen: set[int], entity: str = "") -> None:
        """One Autotask entity record (documented fields typed as Autotask serves them)."""
        r = self.obj(row, path)
        self.integer(r, "id", path)
        if r["id"] in seen:
            self.fail(f"{path}.id", f"duplicate id {r['id']}")
        seen.add(r["id"])
        for key, v in r.items():
            if key in NUMERIC_FIELDS and v is not None and (isinstance(v, bool) or not isinstance(v, (int, Decimal))):
                self.fail(f"{path}.{key}", f"must be a JSON number (money is a number on the wire), got {_kind(v)} {_show(v)}")
            problem = wrong_type(entity, key, v)
            if problem:
                self.fail(f"{path}.{key}", problem)
            if (key.endswith(("DateTime", "Date")) and key != "date") and v is not None:
                if not is_iso_datetime(v):
                    self.fail(f"{path}.{key}", f"must be an ISO-8601 datetime string or null, got {_show(v)}")
        if "userDefinedFields" in r:
            for j, udf in enumerate(self.arr(r["userDefinedFields"], f"{path}.userDefinedFields")):
                self.obj(udf, f"{path}.userDefinedFields[{j}]")
                self.string(udf, "name", f"{path}.userDefinedFields[{j}]")

    def xero(self, x: dict) -> None:
        """The ``xero`` section (its own module)."""
        XeroSection(self).check(x)

    def fault(self, f: object, path: str) -> None:
        """One fault injection."""
        d = self.obj(f, path)
        if d.get("api") not in API_NAMES:
            self.fail(f"{path}.api", f"must be one of {', '.join(API_NAMES)}, got {_show(d.get('api'))}")
        self.string(d, "method", path, required=False)
        self.string(d, "path", path, required=False)
        if "path" in d:
            try:
                re.compile(d["path"])
            except re.error as exc:
                self.fail(f"{path}.path", f"is not a valid regular expression: {exc}")
        self.integer(d, "nth", path, required=False, minimum=1)
        self.integer(d, "times", path, required=False, minimum=1)
        if d.get("kind") not in FAULT_KINDS:
            self.fail(f"{path}.kind", f"must be one of {', '.join(FAULT_KINDS)}, got {_show(d.get('kind'))}")
        if d["kind"] == "status":
            self.integer(d, "status", path)
            if not 100 <= d["status"] <= 599:
                self.fail(f"{path}.status", f"must be an HTTP status code, got {d['status']}")
            self.number(d, "retryAfter", path, required=False)
        if d["kind"] == "delay":
            self.number(d, "seconds", path)
            if d["seconds"] < 0:
                self.fail(f"{path}.seconds", "must not be negative")
        if d["kind"] == "partial_commit":
            self.integer(d, "elements", path, minimum=0)
