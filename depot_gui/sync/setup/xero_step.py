"""Setup step 3: Xero (PKCE sign-in, organisations, the sandbox's stand-in browser, messages)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

import httpx2

from depot_gui.xero import oauth
from depot_gui.xero.errors import XeroAuthError, XeroError, XeroLoginError

from depot_gui.sync.setup.common import BIND_HOST, DEFAULT_CALLBACK_PORT, REDIRECT_HOST, Endpoints


@dataclass(frozen=True)
class Organisation:
    """One entry of Xero's /connections."""

    tenant_id: str
    name: str
    connection_id: str = ""
    base_currency: str = ""  # "" when Xero did not say

    def label(self) -> str:
        """"Acme MSP Pty Ltd · base currency AUD" (the currency left out when unknown)."""
        return f"{self.name} \u00b7 base currency {self.base_currency}" if self.base_currency else self.name


class XeroLogin:
    """One PKCE sign-in: binds the loopback receiver, builds the browser URL, trades the code.

    Create it on the UI thread, open ``url`` in the browser, then call ``finish()`` off it.
    """

    def __init__(self, endpoints: Endpoints, client_id: str, port: int = DEFAULT_CALLBACK_PORT,
                 scopes: str = oauth.DEFAULT_SCOPES) -> None:
        if not client_id.strip():
            raise XeroLoginError(
                "This copy of Depot GUI has no Xero app client id. Register a \"Mobile or desktop app\" "
                "at developer.xero.com and enter its client id.", detail="no client id",
            )
        self.endpoints = endpoints
        self.client_id = client_id.strip()
        self._verifier = oauth.new_verifier()
        state = oauth.new_state()
        try:
            self.receiver = oauth.LoopbackReceiver(state, port, host=BIND_HOST, redirect_host=REDIRECT_HOST)
        except OSError:
            raise XeroLoginError(
                f"Port {port} on this computer is already in use, so Xero cannot send you back to Depot "
                "GUI. Close the other program using it (or another Depot GUI window) and try again.",
                detail="port in use",
            ) from None
        self.redirect_uri = self.receiver.redirect_uri
        self.url = oauth.build_authorize_url(
            self.client_id, self.redirect_uri, scopes, state, oauth.code_challenge(self._verifier),
            login_root=endpoints.xero_login_root,
        )

    def finish(self, token_store: oauth.TokenStore, timeout: float = 300.0) -> oauth.TokenSet:
        """Wait for the one redirect, check ``state``, exchange the code, save the tokens."""
        code, _state = self.receiver.wait(timeout)
        tokens = oauth.exchange_code(
            self.client_id, code, self.redirect_uri, self._verifier,
            identity_root=self.endpoints.xero_identity_root, transport=self.endpoints.transport,
        )
        token_store.save(tokens)
        return tokens

    def cancel(self) -> None:
        self.receiver.cancel()


def fetch_organisations(endpoints: Endpoints, token: Callable[[], str]) -> list[Organisation]:
    """The organisations this sign-in may use (raises XeroError, e.g. XeroAuthError when revoked)."""
    with endpoints.xero(token, None) as xero:
        rows = xero.connections()
    return [
        Organisation(str(r.get("tenantId")), str(r.get("tenantName") or r.get("tenantId")), str(r.get("id") or ""),
                     base_currency(endpoints, token, str(r.get("tenantId"))))
        for r in rows
        if str(r.get("tenantType") or "ORGANISATION").upper() == "ORGANISATION"
    ]


def base_currency(endpoints: Endpoints, token: Callable[[], str], tenant_id: str) -> str:
    """The organisation's base currency (GET /Organisation), "" when Xero would not say; a refused
    sign-in (XeroAuthError) still raises."""
    try:
        with endpoints.xero(token, tenant_id) as xero:
            return str(xero.organisation().get("BaseCurrency") or "").upper()
    except XeroAuthError:
        raise
    except XeroError:
        return ""


def sandbox_browser(transport: httpx2.BaseTransport) -> Callable[[str], None]:
    """A stand-in browser for sandbox sessions: the sandbox's authorize page approves at once;
    follow its redirect to the app's loopback receiver over real HTTP (in a thread, like a browser)."""

    def visit(url: str) -> None:
        with httpx2.Client(transport=transport, follow_redirects=False, timeout=30) as http:
            resp = http.get(url)
        location = resp.headers.get("location", "")
        if resp.status_code in (301, 302, 303, 307) and location:
            try:
                httpx2.get(location, timeout=30, trust_env=False)
            except httpx2.HTTPError:
                pass

    def open_url(url: str) -> None:
        threading.Thread(target=visit, args=(url,), daemon=True, name="sandbox-browser").start()

    return open_url


def xero_problem_message(exc: XeroError) -> str:
    """Message for the Xero page; a refused/revoked sign-in says to connect again."""
    if isinstance(exc, XeroAuthError):
        return (
            "Xero no longer accepts Depot GUI's connection (it was disconnected in Xero, revoked, or "
            "unused for 60 days). Click 'Connect to Xero' to sign in again."
        )
    return exc.user_message
