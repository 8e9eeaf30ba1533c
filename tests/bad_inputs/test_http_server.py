"""Catalogue: `sandbox serve` answers malformed requests as the real front ends do, and keeps its state."""

from __future__ import annotations

import json
import logging
import socket
import time

import pytest

from depot_gui.sandbox import Sandbox

from .conftest import DEMO, Before


@pytest.fixture
def served(tmp_path):
    """(base host:port, data dir) of a sandbox served on loopback with its state in tmp_path/sandbox."""
    sandbox = Sandbox.open(DEMO, state_dir=tmp_path / "sandbox")
    server = sandbox.serve("127.0.0.1", 0)
    yield server.port, tmp_path
    sandbox.close()


def _exchange(port: int, raw: bytes, *, read: bool = True) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(raw)
        if not read:
            return b""
        data = b""
        while True:
            try:
                chunk = s.recv(65536)
            except (ConnectionResetError, TimeoutError):
                break
            if not chunk:
                break
            data += chunk
        return data


def _status(answer: bytes) -> int:
    line = answer.split(b"\r\n", 1)[0]
    assert line.startswith(b"HTTP/1."), answer[:200]
    return int(line.split()[1])


GET = b"GET /api.xro/2.0/Organisation HTTP/1.1\r\nHost: 127.0.0.1\r\n"
POST = b"POST /ATServicesRest/V1.0/Invoices/query HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"


@pytest.mark.parametrize(
    ("raw", "status"),
    [
        (POST + b"Content-Length: abc\r\n\r\n{}", 400),
        (POST + b"Content-Length: -5\r\n\r\n{}", 400),
        (POST + b"Content-Length: 2\r\nContent-Length: 7\r\n\r\n{}", 400),
        (POST + b"Content-Length: \xd9\xa2\r\n\r\n{}", 400),  # a non-ASCII digit
        (POST + b"Content-Length: 99999999999\r\n\r\n{}", 413),
        (POST + b"Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n", 400),
        (POST + b"Transfer-Encoding: chunked\r\n\r\n" + b"F" * 40 + b"\r\n{}\r\n0\r\n\r\n", 400),
        (POST + b"Transfer-Encoding: chunked\r\n\r\nFFFFFFFF\r\n{}\r\n0\r\n\r\n", 413),
        (POST + b"Transfer-Encoding: chunked\r\n\r\n2\r\n{}XX0\r\n\r\n", 400),
        (POST + b"Transfer-Encoding: gzip\r\n\r\n{}", 400),
        (POST + b"\r\n{}", 411),
        (b"GET /api.xro/2.0/Organisation HTTP/1.1\r\n\r\n", 400),
        (b"GET /api.xro/2.0/Organisation HTTP/1.1\r\nHost: exa mple\r\n\r\n", 400),
        (b"GET /api.xro/2.0/Organisation HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400),
        (b"GET /api.xro/2.0/Organisation HTTP/1.1\r\nHost: 127.0.0.1:99999\r\n\r\n", 400),
        (b"GET /" + b"a" * 70000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 414),
        (GET + b"X-Long: " + b"a" * 70000 + b"\r\n\r\n", 431),
        (GET + b"".join(b"X-H%d: 1\r\n" % i for i in range(120)) + b"\r\n", 431),
        (b"BREW /coffee HTCPCP/1.0\r\n\r\n", 400),
    ],
    ids=[
        "content-length-text", "content-length-negative", "content-length-twice", "content-length-arabic-digit",
        "content-length-huge", "chunk-size-not-hex", "chunk-size-too-long", "chunk-too-big", "chunk-terminator",
        "transfer-encoding-gzip", "post-without-length", "no-host", "host-with-space", "two-hosts", "host-port-range",
        "uri-too-long", "header-too-long", "too-many-headers", "bad-request-line",
    ],
)
def test_malformed_framing_gets_the_real_status(served, raw, status, capfd):
    port, data_dir = served
    before = Before(data_dir)
    assert _status(_exchange(port, raw)) == status
    before.assert_unchanged()
    assert "Traceback" not in capfd.readouterr().err


def test_client_hanging_up_is_one_line_at_most(served, capfd, caplog):
    port, data_dir = served
    before = Before(data_dir)
    caplog.set_level(logging.DEBUG, logger="depot_gui.sandbox")
    for _ in range(3):  # half a body, then gone
        _exchange(port, POST + b"Content-Length: 500\r\n\r\n{\"filter\"", read=False)
    for _ in range(3):  # half a chunked body, then gone
        _exchange(port, POST + b"Transfer-Encoding: chunked\r\n\r\n40\r\n{", read=False)
    time.sleep(0.5)
    assert "Traceback" not in capfd.readouterr().err
    assert len(caplog.records) <= 6
    before.assert_unchanged()
    assert _status(_exchange(port, GET + b"Connection: close\r\n\r\n")) == 401  # still serving


def test_out_of_range_amount_is_a_validation_error(served):
    port, data_dir = served
    body = json.dumps({"Invoices": [{"Type": "ACCREC", "Contact": {"Name": "X"}, "InvoiceNumber": "BIG-1",
                                     "LineItems": [{"Description": "a", "Quantity": "1e400", "UnitAmount": 5,
                                                    "AccountCode": "200"}]}]}).encode()
    before = Before(data_dir)
    raw = (b"PUT /api.xro/2.0/Invoices HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer nope\r\n"
           b"Content-Type: application/json\r\nConnection: close\r\nContent-Length: %d\r\n\r\n" % len(body)) + body
    assert _status(_exchange(port, raw)) == 401  # refused before any validation: no token
    assert Before(data_dir).xero == before.xero


def test_damaged_state_file_is_an_error_naming_it(cli, tmp_path):
    state = tmp_path / "data" / "sandbox" / "state.json"
    state.parent.mkdir(parents=True)
    state.write_bytes(b'{"version": 1, "scenario_hash": "ab')  # cut short
    before = Before(tmp_path / "data")
    ran = cli("--data-dir", tmp_path / "data", "--sandbox", DEMO, "audit")
    assert ran.code == 2
    assert ran.line == (
        f"depot-sync: the sandbox state file {state} is damaged (not valid JSON); move it aside to start the "
        "sandbox again from the scenario (what the app created in the sandbox is then gone)"
    )
    ran = cli("--data-dir", tmp_path / "data", "sandbox", "serve", "--scenario", DEMO)
    assert ran.code == 2
    assert ran.line.startswith(f"depot-sync: the sandbox state file {state} is damaged (not valid JSON)")
    before.assert_unchanged()
    assert state.read_bytes() == b'{"version": 1, "scenario_hash": "ab'


@pytest.mark.parametrize("port", ["70000", "-1", "eighty"])
def test_serve_port_out_of_range(cli, tmp_path, port):
    ran = cli("sandbox", "serve", "--scenario", DEMO, "--port", port)
    assert ran.code == 2
    assert ran.line.startswith("depot-sync sandbox serve: argument --port: ")
    assert "is not a port number; use 0-65535 (0 = any free port)" in ran.line
