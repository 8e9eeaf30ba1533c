"""HTTP plumbing shared by the simulated services: request/response types and JSON on the wire."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

_encode_str = json.encoder.encode_basestring_ascii  # type: ignore[attr-defined]
_DECIMAL_MARK = "\x00decimal:"
_MARK_TEXT = '"\\u0000decimal:'  # how the C encoder writes a marked string's start


def dumps(obj: object) -> str:
    """JSON text where Decimals are written as plain JSON numbers (never strings, never floats).

    The C encoder does the work: each Decimal becomes a marked string, and the marks are then
    replaced by the number's digits. When the count of replaced marks is not the count of
    Decimals (a string that happened to look like a mark), or the C encoder refuses something,
    the exact pure-Python encoder below answers instead.
    """
    decimals = [0]

    def number(o: object) -> str:
        if isinstance(o, Decimal):
            if not o.is_finite():
                raise ValueError(f"cannot encode {o!r} as JSON")
            decimals[0] += 1
            digits = str(o)
            return _DECIMAL_MARK + (format(o, "f") if "E" in digits else digits)
        raise TypeError(f"cannot encode {type(o).__name__} as JSON")

    try:
        text = json.JSONEncoder(separators=(",", ":"), default=number).encode(obj)
    except TypeError:
        text = None
    if text is not None:
        if not decimals[0]:
            return text
        parts = text.split(_MARK_TEXT)
        if len(parts) - 1 == decimals[0]:  # each mark is a number's digits, then the string's closing quote
            out = [parts[0]]
            for part in parts[1:]:
                end = part.index('"')
                out += (part[:end], part[end + 1:])
            return "".join(out)
    out: list[str] = []
    _encode(obj, out.append)
    return "".join(out)


def _encode(o: object, w) -> None:
    """Append the JSON form of ``o`` through ``w``."""
    if o is None:
        w("null")
    elif o is True:
        w("true")
    elif o is False:
        w("false")
    elif isinstance(o, str):
        w(_encode_str(o))
    elif isinstance(o, int):
        w(int.__repr__(o))
    elif isinstance(o, Decimal):
        if not o.is_finite():
            raise ValueError(f"cannot encode {o!r} as JSON")
        w(format(o, "f"))
    elif isinstance(o, float):
        w(repr(o))
    elif isinstance(o, dict):
        w("{")
        first = True
        for k, v in o.items():
            if not first:
                w(",")
            first = False
            w(_encode_str(str(k)))
            w(":")
            _encode(v, w)
        w("}")
    elif isinstance(o, (list, tuple)):
        w("[")
        for i, v in enumerate(o):
            if i:
                w(",")
            _encode(v, w)
        w("]")
    else:
        raise TypeError(f"cannot encode {type(o).__name__} as JSON")


def loads(data: bytes | str) -> object:
    """Parse JSON with every non-integer number as Decimal."""
    return json.loads(data, parse_float=Decimal)


MAX_NUMBER = Decimal(10) ** 13  # beyond any real amount, quantity or id


def out_of_range(value: object, depth: int = 0) -> object | None:
    """The first number in ``value`` that no real request carries (not finite, or |x| >= 10^13), or None."""
    if depth > 64:
        return None
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        for v in value:
            bad = out_of_range(v, depth + 1)
            if bad is not None:
                return bad
        return None
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        number = Decimal(value)
        if not number.is_finite() or abs(number) >= MAX_NUMBER:
            return value
    return None


class Headers:
    """Case-insensitive header lookup over the pairs a client sent."""

    def __init__(self, items=()) -> None:
        if isinstance(items, dict):
            items = items.items()
        self._items = [(str(k), str(v)) for k, v in items]
        self._lower = {k.lower(): v for k, v in self._items}

    def get(self, name: str, default: str | None = None) -> str | None:
        """The value of header ``name`` (any case), or ``default``."""
        return self._lower.get(name.lower(), default)

    def __contains__(self, name: str) -> bool:
        return name.lower() in self._lower

    def items(self) -> list[tuple[str, str]]:
        """All header pairs as sent."""
        return list(self._items)


@dataclass
class Request:
    """One HTTP request as the sandbox sees it."""

    method: str
    url: str
    headers: Headers
    body: bytes = b""
    read_timeout: float | None = None
    element_limit: int | None = None  # partial_commit: apply only the first K documents of the body
    changed: list = field(default_factory=list)  # places of the records the answer changed (state.mark)

    def __post_init__(self) -> None:
        parts = urlsplit(self.url)
        self.method = self.method.upper()
        self.scheme = parts.scheme or "http"
        self.netloc = parts.netloc or (self.headers.get("host") or "sandbox.invalid")
        self.path = parts.path or "/"
        self.query_string = parts.query
        self.query = parse_qs(parts.query, keep_blank_values=True)

    @property
    def base_url(self) -> str:
        """``scheme://host[:port]`` the client used to reach us."""
        return f"{self.scheme}://{self.netloc}"

    def arg(self, name: str, default: str | None = None, *, ci: bool = False) -> str | None:
        """First value of query parameter ``name`` (optionally matched case-insensitively)."""
        if name in self.query:
            return self.query[name][0]
        if ci:
            low = name.lower()
            for k, v in self.query.items():
                if k.lower() == low:
                    return v[0]
        return default

    def json(self) -> object:
        """The body parsed as JSON (Decimal numbers); raises ValueError when it is not JSON."""
        if not self.body.strip():
            raise ValueError("empty body")
        try:
            return loads(self.body.decode("utf-8-sig"))
        except RecursionError:
            raise ValueError("the body is nested too deeply") from None


@dataclass
class Response:
    """What the sandbox answers: status, headers and body bytes."""

    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""

    @classmethod
    def json(cls, status: int, payload: object, headers: dict[str, str] | None = None,
             content_type: str = "application/json; charset=utf-8") -> "Response":
        """A JSON response (Decimals as numbers)."""
        h = {"Content-Type": content_type}
        h.update(headers or {})
        return cls(status, h, dumps(payload).encode("utf-8"))

    @classmethod
    def text(cls, status: int, text: str, headers: dict[str, str] | None = None,
             content_type: str = "text/plain; charset=utf-8") -> "Response":
        """A plain-text (or HTML) response."""
        h = {"Content-Type": content_type}
        h.update(headers or {})
        return cls(status, h, text.encode("utf-8"))

    @classmethod
    def empty(cls, status: int, headers: dict[str, str] | None = None) -> "Response":
        """A response without a body."""
        return cls(status, dict(headers or {}), b"")

    def to_dict(self) -> dict:
        """JSON-able form (for the idempotency cache)."""
        return {"status": self.status, "headers": dict(self.headers), "body": self.body.decode("utf-8")}

    @classmethod
    def from_dict(cls, d: dict) -> "Response":
        """Inverse of :meth:`to_dict`."""
        return cls(int(d["status"]), dict(d["headers"]), d["body"].encode("utf-8"))


class SandboxFault(Exception):
    """Raised by ``Sandbox.handle`` when the answer must not arrive like a normal response."""

    def __init__(self, kind: str, response: Response | None = None) -> None:
        super().__init__(kind)
        self.kind = kind
        self.response = response


class ConnectionDropped(SandboxFault):
    """Close the connection without answering (nothing applied)."""

    def __init__(self) -> None:
        super().__init__("drop")


class NoAnswer(SandboxFault):
    """The request was applied but no answer is sent (the client times out)."""

    def __init__(self, kind: str = "timeout_after_commit", response: Response | None = None) -> None:
        super().__init__(kind, response)
