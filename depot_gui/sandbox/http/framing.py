"""HTTP/1.1 request framing as the real services' front ends enforce it (RFC 9112).

``read_body`` and ``check_host`` raise ``BadFraming(status, reason)`` for a request a real
server refuses before it reaches the application: 400 (bad Content-Length, bad chunk, bad or
missing Host), 411 (a body method without a length), 413 (a body beyond the limit). A client
that hangs up mid-body is ``ClientGone``: nothing is answered and nothing is applied.
"""

from __future__ import annotations

import re

MAX_BODY = 10 * 1024 * 1024          # far above any real invoice batch; Xero's own cap is lower
MAX_CHUNK_LINE = 1024
BODY_METHODS = ("POST", "PUT", "PATCH")
_HOST = re.compile(r"^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._~%!$&'()*+,;=-]+)(:\d{1,5})?$")


class BadFraming(Exception):
    """The request cannot be read as HTTP/1.1: answer ``status`` and close."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


class ClientGone(Exception):
    """The client closed the connection before its request was complete."""


def check_host(values: list[str], http11: bool) -> str | None:
    """The one Host header's value; BadFraming for none (HTTP/1.1), several or a malformed one."""
    if not values:
        if http11:
            raise BadFraming(400, "Missing Host header")
        return None
    if len(values) > 1:
        raise BadFraming(400, "Multiple Host headers")
    host = values[0].strip()
    match = _HOST.match(host)
    if not match or (match.group(2) and int(match.group(2)[1:]) > 65535):
        raise BadFraming(400, "Invalid Host header")
    return host


def read_body(method: str, headers, rfile) -> bytes:
    """The request body per Transfer-Encoding / Content-Length, within MAX_BODY."""
    te = [v.strip().lower() for v in ",".join(headers.get_all("Transfer-Encoding") or []).split(",") if v.strip()]
    if te:
        if te != ["chunked"]:
            raise BadFraming(400, "Unsupported Transfer-Encoding")
        return _chunked(rfile)
    lengths = headers.get_all("Content-Length") or []
    if not lengths:
        if method in BODY_METHODS:
            raise BadFraming(411, "Length Required")
        return b""
    values = {v.strip() for v in ",".join(lengths).split(",")}
    if len(values) != 1 or not next(iter(values)).isdigit() or not next(iter(values)).isascii():
        raise BadFraming(400, "Bad Content-Length")
    length = int(next(iter(values)))
    if length > MAX_BODY:
        raise BadFraming(413, "Request Entity Too Large")
    body = rfile.read(length) if length else b""
    if len(body) < length:
        raise ClientGone()
    return body


def _chunked(rfile) -> bytes:
    chunks, total = [], 0
    while True:
        line = rfile.readline(MAX_CHUNK_LINE + 1)
        if not line:
            raise ClientGone()
        if len(line) > MAX_CHUNK_LINE:
            raise BadFraming(400, "Chunk size line too long")
        size_text = line.split(b";", 1)[0].strip()
        if not size_text or len(size_text) > 16 or not re.fullmatch(rb"[0-9A-Fa-f]+", size_text):
            raise BadFraming(400, "Bad chunk size")
        size = int(size_text, 16)
        if size == 0:
            break
        total += size
        if total > MAX_BODY:
            raise BadFraming(413, "Request Entity Too Large")
        data = rfile.read(size)
        if len(data) < size:
            raise ClientGone()
        chunks.append(data)
        if rfile.readline(MAX_CHUNK_LINE + 1) not in (b"\r\n", b"\n"):
            raise BadFraming(400, "Bad chunk terminator")
    while True:  # trailer section, ended by an empty line
        line = rfile.readline(MAX_CHUNK_LINE + 1)
        if not line:
            raise ClientGone()
        if line in (b"\r\n", b"\n"):
            break
    return b"".join(chunks)
