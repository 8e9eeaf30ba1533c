"""One-shot loopback HTTP receiver for the OAuth redirect (``http://localhost:PORT/callback``)."""

from __future__ import annotations

import hmac
from html import escape
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, urlsplit

from depot_gui.xero.errors import XeroLoginCancelled, XeroLoginError, XeroLoginTimeout

CALLBACK_PATH = "/callback"
_PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>Depot GUI</title></head>
<body style="font-family:sans-serif;margin:3em"><h1>{title}</h1><p>{text}</p></body></html>"""
SUCCESS_TEXT = "You can close this window and return to Depot GUI."


# What an OAuth error code on the callback means for the user (RFC 6749 §4.1.2.1).
_ERROR_MEANING = {
    "access_denied": "access was not allowed in Xero (Cancel or Deny was pressed)",
    "unauthorized_client": "Xero does not accept this client id for a desktop sign-in: check that the app is a "
                           "\"Mobile or desktop app\" (PKCE) and that the client id is the app's",
    "invalid_client": "Xero does not know this client id: check it against the app's Configuration page",
    "invalid_request": "Xero refused the request: check that the app's redirect URI is exactly the one shown",
    "invalid_scope": "Xero refused the access Depot GUI asks for (scopes)",
    "server_error": "Xero had a problem on its side",
    "temporarily_unavailable": "Xero is busy or down for a moment",
}


def callback_error(code: str, description: str = "") -> XeroLoginError:
    """The sign-in error Xero sent back on the redirect, as one sentence (code and description kept)."""
    meaning = _ERROR_MEANING.get(code, "Xero did not complete the sign-in")
    said = f"{code}: {description}" if description else code
    return XeroLoginError(
        f"Xero sign-in did not complete: {meaning} ({said[:300]}). Click 'Connect to Xero…' to try again.",
        detail=code,
    )


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:  # noqa: N802 (http.server naming)
        parts = urlsplit(self.path)
        if parts.path != self.server.callback_path:
            self._page(404, "Not found", "This address is only used to finish signing in to Xero.")
            return
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        outcome = self.server.receiver._accept(query)
        if isinstance(outcome, XeroLoginError):
            self._page(400, "Sign-in did not complete", outcome.user_message + " You can close this window.")
        else:
            self._page(200, "Connected to Xero", SUCCESS_TEXT)

    def _page(self, status: int, title: str, text: str) -> None:
        body = _PAGE.format(title=escape(title), text=escape(text)).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Silence the default stderr access log (it would print the code)."""


class _Server(HTTPServer):
    receiver: LoopbackReceiver
    callback_path: str


class LoopbackReceiver:
    """Binds 127.0.0.1:port (0 = any free port) and waits for exactly one GET /callback."""

    def __init__(
        self,
        expected_state: str,
        port: int = 0,
        *,
        host: str = "127.0.0.1",
        path: str = CALLBACK_PATH,
        redirect_host: str = "localhost",
    ) -> None:
        self.expected_state = expected_state
        self._server = _Server((host, port), _Handler)
        self._server.receiver = self
        self._server.callback_path = path
        self._server.timeout = 0.1
        self._path = path
        self._redirect_host = redirect_host
        self._cancelled = threading.Event()
        self._result: tuple[str, str] | XeroLoginError | None = None

    @property
    def port(self) -> int:
        """The port actually bound."""
        return int(self._server.server_address[1])

    @property
    def redirect_uri(self) -> str:
        """The redirect URI to register with Xero and send in the authorize URL."""
        return f"http://{self._redirect_host}:{self.port}{self._path}"

    def wait(self, timeout: float = 300.0) -> tuple[str, str]:
        """Serve until the callback arrives; return (code, state) or raise a XeroLoginError."""
        deadline = time.monotonic() + timeout
        try:
            while self._result is None:
                if self._cancelled.is_set():
                    raise XeroLoginCancelled()
                if time.monotonic() >= deadline:
                    raise XeroLoginTimeout()
                self._server.handle_request()
        finally:
            self.close()
        if isinstance(self._result, XeroLoginError):
            raise self._result
        return self._result

    def cancel(self) -> None:
        """Stop waiting (from any thread); ``wait`` raises XeroLoginCancelled."""
        self._cancelled.set()

    def close(self) -> None:
        """Release the port."""
        self._server.server_close()

    def __enter__(self) -> LoopbackReceiver:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _accept(self, query: dict[str, str]) -> tuple[str, str] | XeroLoginError:
        state = query.get("state", "")
        if "error" in query and (not state or hmac.compare_digest(state.encode(), self.expected_state.encode())):
            # Xero's answer to this sign-in (or one it could not tie to it): say so at once, not after the timeout.
            outcome: tuple[str, str] | XeroLoginError = callback_error(query["error"], query.get("error_description", ""))
        elif not hmac.compare_digest(state.encode(), self.expected_state.encode()):
            outcome = XeroLoginError(
                "The Xero sign-in answer did not match this request (state mismatch): start "
                "Connect Xero again.",
                detail="state mismatch",
            )
        elif not query.get("code"):
            outcome = XeroLoginError(detail="callback without code")
        else:
            outcome = (query["code"], state)
        self._result = outcome
        return outcome
