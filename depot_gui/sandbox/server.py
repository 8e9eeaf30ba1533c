"""Loopback HTTP server (ThreadingHTTPServer, daemon threads) in front of ``Sandbox.handle``."""

from __future__ import annotations

import select
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from .http import ConnectionDropped, NoAnswer


class _Handler(BaseHTTPRequestHandler):
    """Turns each HTTP request into a ``Sandbox.handle`` call."""

    protocol_version = "HTTP/1.1"
    server_version = "DepotSandbox/1.0"

    def _read_body(self) -> bytes:
        """The request body (Content-Length or chunked)."""
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    self.rfile.readline()
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            return b"".join(chunks)
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _serve(self) -> None:
        """Handle any method."""
        sandbox = self.server.sandbox  # type: ignore[attr-defined]
        body = self._read_body()
        host = self.headers.get("Host") or "%s:%d" % self.server.server_address[:2]
        url = f"http://{host}{self.path}"
        try:
            resp = sandbox.handle(self.command, url, list(self.headers.items()), body)
        except ConnectionDropped:
            self._close()
            return
        except NoAnswer:
            self._hold(float(sandbox.options.get("hold_seconds", 120)))
            self._close()
            return
        self.send_response_only(resp.status)
        for k, v in resp.headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(resp.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(resp.body)

    def _hold(self, seconds: float) -> None:
        """Keep the connection open without answering until the client gives up (or we stop)."""
        stop = self.server.stopping  # type: ignore[attr-defined]
        deadline = time.monotonic() + seconds
        while not stop.is_set() and time.monotonic() < deadline:
            try:
                ready, _, _ = select.select([self.connection], [], [], 0.05)
                if ready and not self.connection.recv(65536):
                    return  # client closed its end
            except OSError:
                return

    def _close(self) -> None:
        """Close the connection with no response."""
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _serve

    def log_message(self, format: str, *args) -> None:  # noqa: A002
        """Quiet: the sandbox keeps its own request log."""


class SandboxServer:
    """A running loopback server: ``.base_url``, ``.shutdown()``; usable as a context manager."""

    def __init__(self, sandbox, host: str, port: int) -> None:
        self.httpd = ThreadingHTTPServer((host, port), _Handler)
        self.httpd.daemon_threads = True
        self.httpd.sandbox = sandbox  # type: ignore[attr-defined]
        self.httpd.stopping = threading.Event()  # type: ignore[attr-defined]
        self.host = host
        self.port = self.httpd.server_address[1]
        shown = f"[{host}]" if ":" in host else host
        self.base_url = f"http://{shown}:{self.port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.1},
                                       name=f"sandbox-server-{self.port}", daemon=True)
        self.thread.start()

    def shutdown(self) -> None:
        """Stop serving and release held connections."""
        self.httpd.stopping.set()  # type: ignore[attr-defined]
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)

    def __enter__(self) -> "SandboxServer":
        return self

    def __exit__(self, *exc) -> None:
        self.shutdown()


def start_server(sandbox, host: str = "127.0.0.1", port: int = 0) -> SandboxServer:
    """Start serving ``sandbox`` in a background thread."""
    return SandboxServer(sandbox, host, port)
