"""Loopback HTTP server (ThreadingHTTPServer, daemon threads) in front of ``Sandbox.handle``."""

from __future__ import annotations

import logging
import select
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from depot_gui.sandbox.http.framing import BadFraming, ClientGone, check_host, read_body
from depot_gui.sandbox.http.messages import ConnectionDropped, NoAnswer
from depot_gui.sandbox.state import StateDamaged

log = logging.getLogger("depot_gui.sandbox.http.server")


class _Server(ThreadingHTTPServer):
    """ThreadingHTTPServer whose per-connection errors are one log line, never a traceback."""

    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, TimeoutError)):
            log.info("sandbox: client %s:%s hung up (%s)", client_address[0], client_address[1], type(exc).__name__)
        else:
            log.error("sandbox: connection from %s:%s failed: %s: %s", client_address[0], client_address[1],
                      type(exc).__name__, exc)


class _Handler(BaseHTTPRequestHandler):
    """Turns each HTTP request into a ``Sandbox.handle`` call."""

    protocol_version = "HTTP/1.1"
    server_version = "DepotSandbox/1.0"
    default_request_version = "HTTP/1.0"  # an unreadable request line still gets a status line, not HTTP/0.9
    timeout = 60  # a client that sends nothing for a minute is dropped (no thread held forever)
    # TCP_NODELAY, as real front ends set: the status line and headers, then the body, are two writes, and
    # with Nagle's algorithm the body waited for the client's delayed ACK: 40 ms per request on a kept-alive
    # connection (a 6-invoice demo audit took 0.7 s over loopback instead of 0.05 s)
    disable_nagle_algorithm = True

    def _refuse(self, status: int, reason: str) -> None:
        """Answer a request that cannot be read (as a real front end would) and close."""
        body = f"{status} {reason}\n".encode()
        self.close_connection = True
        self.send_response_only(status, reason)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)

    def _serve(self) -> None:
        """Handle any method."""
        sandbox = self.server.sandbox  # type: ignore[attr-defined]
        try:
            host = check_host(self.headers.get_all("Host") or [], self.request_version == "HTTP/1.1")
            body = read_body(self.command, self.headers, self.rfile)
        except BadFraming as exc:
            self._refuse(exc.status, exc.reason)
            return
        except ClientGone:
            self.close_connection = True
            return
        host = host or "%s:%d" % self.server.server_address[:2]
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
        except StateDamaged as exc:
            log.error("%s", exc)
            self._refuse(500, "Sandbox state damaged")
            return
        except Exception as exc:  # noqa: BLE001 - a bug or an unforeseen value: an answer, never a dropped socket
            log.error("sandbox: %s %s failed: %s: %s", self.command, self.path[:200], type(exc).__name__, exc)
            self._refuse(500, "Internal Server Error")
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
        self.httpd = _Server((host, port), _Handler)
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
