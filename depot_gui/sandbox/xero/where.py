"""Xero's ``where`` filter language (a LINQ-like subset): ==, !=, <, >, &&, ||, AND, OR, !, (), methods."""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Callable

from depot_gui.sandbox.clock import parse_any_date

_TOKEN = re.compile(r"""\s*(?:
    (?P<str>"(?:[^"\\]|\\.)*")
  | (?P<num>-?\d+(?:\.\d+)?)
  | (?P<op>==|!=|>=|<=|&&|\|\||[<>!(),.])
  | (?P<id>[A-Za-z_][A-Za-z0-9_]*)
)""", re.VERBOSE)


class WhereError(ValueError):
    """A ``where`` expression Xero could not parse."""


def tokenize(text: str) -> list[tuple[str, str]]:
    """Split an expression into (kind, text) tokens."""
    out, pos = [], 0
    text = text.strip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise WhereError(f"Unexpected character at position {pos} in where clause: {text[pos:pos + 10]!r}")
        pos = m.end()
        kind = m.lastgroup
        value = m.group(kind)
        if kind == "id" and value.upper() in ("AND", "OR"):
            out.append(("op", "&&" if value.upper() == "AND" else "||"))
        elif kind == "id" and value.upper() == "NOT":
            out.append(("op", "!"))
        else:
            out.append((kind, value))
        while pos < len(text) and text[pos].isspace():
            pos += 1
    return out


def compile_where(text: str) -> Callable[[dict], bool]:
    """Predicate over a Xero record for ``text``; raises WhereError."""
    parser = _Parser(tokenize(text))
    node = parser.expr()
    if parser.pos != len(parser.tokens):
        raise WhereError(f"Unexpected token {parser.tokens[parser.pos][1]!r} in where clause")
    return lambda rec: bool(_truth(node(rec)))


def _truth(v: object) -> bool:
    """Boolean value of a sub-expression."""
    return bool(v) and v is not None


class _Parser:
    """Recursive-descent parser producing closures."""

    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens = tokens
        self.pos = 0

    def peek(self) -> tuple[str, str] | None:
        """The next token."""
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self, text: str | None = None) -> tuple[str, str]:
        """Consume a token (optionally requiring its text)."""
        tok = self.peek()
        if tok is None or (text is not None and tok[1] != text):
            raise WhereError(f"Expected {text or 'a value'} in where clause")
        self.pos += 1
        return tok

    def expr(self):
        """or-expression."""
        left = self.conj()
        while self.peek() == ("op", "||"):
            self.take()
            right = self.conj()
            left = (lambda a, b: lambda r: _truth(a(r)) or _truth(b(r)))(left, right)
        return left

    def conj(self):
        """and-expression."""
        left = self.unary()
        while self.peek() == ("op", "&&"):
            self.take()
            right = self.unary()
            left = (lambda a, b: lambda r: _truth(a(r)) and _truth(b(r)))(left, right)
        return left

    def unary(self):
        """``!x``, ``(x)`` or a comparison."""
        if self.peek() == ("op", "!"):
            self.take()
            inner = self.unary()
            return lambda r: not _truth(inner(r))
        left = self.operand()
        tok = self.peek()
        if tok and tok[0] == "op" and tok[1] in ("==", "!=", ">", "<", ">=", "<="):
            self.take()
            right = self.operand()
            return (lambda op, a, b: lambda r: _compare(op, a(r), b(r)))(tok[1], left, right)
        return left

    def operand(self):
        """A literal, a parenthesised expression, or a field path with optional method calls."""
        tok = self.take()
        kind, text = tok
        if kind == "op" and text == "(":
            inner = self.expr()
            self.take(")")
            return inner
        if kind == "str":
            value = _unescape(text)
            return lambda r: value
        if kind == "num":
            value = Decimal(text)
            return lambda r: value
        if kind != "id":
            raise WhereError(f"Unexpected {text!r} in where clause")
        low = text.lower()
        if low in ("true", "false"):
            value = low == "true"
            return lambda r: value
        if low == "null":
            return lambda r: None
        if low == "guid" and self.peek() == ("op", "("):
            self.take("(")
            value = _unescape(self.take()[1]).lower()
            self.take(")")
            return lambda r: value
        if low == "datetime" and self.peek() == ("op", "("):
            self.take("(")
            parts = [int(self.take()[1])]
            while self.peek() == ("op", ","):
                self.take()
                parts.append(int(self.take()[1]))
            self.take(")")
            try:
                value = datetime(*parts)
            except (TypeError, ValueError):
                raise WhereError("Invalid DateTime(...) in where clause") from None
            return lambda r: value
        path = [text]
        calls: list[tuple[str, list]] = []
        while self.peek() == ("op", "."):
            self.take()
            name = self.take()[1]
            if self.peek() == ("op", "("):
                self.take("(")
                args = []
                while self.peek() != ("op", ")"):
                    args.append(self.operand())
                    if self.peek() == ("op", ","):
                        self.take()
                self.take(")")
                calls.append((name.lower(), args))
            elif calls:
                raise WhereError("Unexpected member access after a method call")
            else:
                path.append(name)

        def resolve(rec: dict):
            v: object = rec
            for p in path:
                if isinstance(v, dict):
                    v = next((val for k, val in v.items() if k.lower() == p.lower()), None)
                else:
                    v = None
            for name, args in calls:
                arg = args[0](rec) if args else None
                s = "" if v is None else str(v)
                if name == "contains":
                    v = str(arg).lower() in s.lower()
                elif name == "startswith":
                    v = s.lower().startswith(str(arg).lower())
                elif name == "endswith":
                    v = s.lower().endswith(str(arg).lower())
                elif name == "tolower":
                    v = s.lower()
                elif name == "toupper":
                    v = s.upper()
                else:
                    raise WhereError(f"Unsupported method {name} in where clause")
            return v
        return resolve


def _unescape(text: str) -> str:
    """Strip quotes and backslash escapes from a string literal."""
    return re.sub(r"\\(.)", r"\1", text[1:-1])


def _compare(op: str, a: object, b: object) -> bool:
    """Compare two values the way Xero's filter does (strings case-insensitively)."""
    if isinstance(a, datetime) or isinstance(b, datetime):
        a, b = _as_dt(a), _as_dt(b)
    elif isinstance(a, Decimal) or isinstance(b, Decimal):
        a, b = _as_num(a), _as_num(b)
    elif isinstance(a, str) and isinstance(b, str):
        a, b = a.lower(), b.lower()
    if op == "==":
        return a == b
    if op == "!=":
        return a != b
    if a is None or b is None:
        return False
    try:
        return {">": a > b, "<": a < b, ">=": a >= b, "<=": a <= b}[op]  # type: ignore[operator]
    except TypeError:
        return False


def _as_dt(v: object) -> datetime | None:
    """A value as a naive UTC datetime."""
    if isinstance(v, datetime):
        return v.replace(tzinfo=None)
    if isinstance(v, str):
        try:
            return parse_any_date(v).replace(tzinfo=None)
        except ValueError:
            return None
    return None


def _as_num(v: object) -> Decimal | None:
    """A value as Decimal."""
    if isinstance(v, bool) or v is None:
        return None
    try:
        return Decimal(str(v))
    except InvalidOperation:
        return None
