"""Build the Autotask and Xero clients: from the keyring (real) or the sandbox."""

from __future__ import annotations

import secrets as pysecrets
import threading
import time
from dataclasses import dataclass, field, replace
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx2

from depot_gui.autotask.client import AutotaskClient
from depot_gui.autotask.models import AutotaskCredentials
from depot_gui.store.db import Store
from depot_gui.store.publisher import xero_client_id
from depot_gui.store.secrets import SecretStore
from depot_gui.xero import oauth
from depot_gui.xero.client import XeroClient

from depot_gui.sync.cancel import CancelToken

SANDBOX_ROOT = "http://sandbox.invalid"

# Non-secret connection settings (settings table) and secret names (keyring only).
K_AT_USER, K_XERO_CLIENT, K_XERO_TENANT, K_XERO_TENANT_NAME = (
    "conn.autotask_username", "conn.xero_client_id", "conn.xero_tenant_id", "conn.xero_tenant_name",
)
S_AT_SECRET, S_AT_CODE, S_XERO_TOKENS = "autotask-secret", "autotask-integration-code", "xero-tokens"


class WaitRelay:
    """Routes the clients' waits to the operation running in the calling thread.

    Each engine operation registers its progress callback and cancel token for its own
    thread; a client's rate-limit or retry pause is then reported as progress and ends at
    once (raising Cancelled) when the user cancels.
    """

    def __init__(self) -> None:
        self._local = threading.local()

    @contextmanager
    def listening(self, listener: Callable[[str, float], None], cancel: CancelToken | None = None) -> Iterator[None]:
        """While inside, this thread's waits go to ``listener`` and obey ``cancel``."""
        previous = (getattr(self._local, "listener", None), getattr(self._local, "cancel", None))
        self._local.listener, self._local.cancel = listener, cancel
        try:
            yield
        finally:
            self._local.listener, self._local.cancel = previous

    def carry(self) -> Callable[[], AbstractContextManager[None]]:
        """This thread's listener and cancel token, to install in a helper thread (``with relay.carry()():``)."""
        listener, cancel = getattr(self._local, "listener", None), getattr(self._local, "cancel", None)
        if listener is None:
            return nullcontext
        return lambda: self.listening(listener, cancel)

    def __call__(self, message: str, seconds: float) -> None:
        listener = getattr(self._local, "listener", None)
        if listener is not None:
            listener(message, seconds)

    def sleep(self, seconds: float) -> None:
        """The clients' sleep: cut short by the running operation's cancel token."""
        cancel = getattr(self._local, "cancel", None)
        if cancel is None:
            time.sleep(seconds)
        else:
            cancel.sleep(seconds)


class NotConnected(Exception):
    """Setup has not been done (or was removed); the message says how to do it.

    str() names the command (the CLI); ``user_message`` says the same for the window.
    """

    def __init__(self, message: str, user_message: str = "") -> None:
        super().__init__(message)
        self.user_message = user_message or message


class MemoryTokenStore:
    """Tokens kept in memory only (sandbox sessions; a sign-in not yet committed)."""

    def __init__(self) -> None:
        self._tokens: oauth.TokenSet | None = None

    def load(self) -> oauth.TokenSet | None:
        return self._tokens

    def save(self, tokens: oauth.TokenSet) -> None:
        self._tokens = tokens

    def clear(self) -> None:
        self._tokens = None


class KeyringTokenStore:
    """Xero tokens in the OS keyring, written whole on each rotation."""

    def __init__(self, secrets: SecretStore) -> None:
        self.secrets = secrets

    def load(self) -> oauth.TokenSet | None:
        data = self.secrets.get_json(S_XERO_TOKENS)
        return oauth.TokenSet.from_dict(data) if data else None

    def save(self, tokens: oauth.TokenSet) -> None:
        self.secrets.set_json(S_XERO_TOKENS, tokens.to_dict())

    def clear(self) -> None:
        self.secrets.delete(S_XERO_TOKENS)


@dataclass
class Connections:
    """Connected clients plus who/where, shared by the engine and the UI."""

    autotask: AutotaskClient
    xero: XeroClient
    api_user: str
    tenant_id: str
    tenant_name: str = ""
    actor: str = ""
    sandbox: Any = None
    extra: dict = field(default_factory=dict)
    # Where the clients report waits ("Waiting for Xero rate limit", seconds); the engine
    # running now points this at its progress callback so the user sees the wait.
    waits: WaitRelay = field(default_factory=lambda: WaitRelay())
    # Every organisation the Xero sign-in reached (GET /connections: tenantId, tenantName), and how to make
    # a client for one of them (same token; its own limits). None/empty: only ``tenant_id`` is known.
    tenants: list[dict] = field(default_factory=list)
    xero_factory: Callable[[str], XeroClient] | None = None
    sign_in: oauth.TokenManager | None = None  # the Xero sign-in's tokens (Settings › Connections shows and ends it)
    _views: dict = field(default_factory=dict, repr=False)

    def close(self) -> None:
        for client in (self.autotask, self.xero, *(v.xero for v in self._views.values() if v.xero is not self.xero)):
            close = getattr(client, "close", None)
            if close:
                close()

    def organisations(self) -> list[dict]:
        """The organisations the sign-in reached ({"tenantId", "tenantName"}; read once when not known yet)."""
        if not self.tenants:
            self.tenants = [t for t in self.xero.connections() if t.get("tenantId")] or [
                {"tenantId": self.tenant_id, "tenantName": self.tenant_name}]
        return self.tenants

    def for_tenant(self, tenant_id: str) -> "Connections":
        """The same connections pointed at another organisation (its own Xero client, limits and cache)."""
        if not tenant_id or tenant_id.lower() == (self.tenant_id or "").lower():
            return self
        key = tenant_id.lower()
        if key not in self._views:
            if self.xero_factory is None:
                raise NotConnected("Only one Xero organisation is connected; connect Xero again to reach the others.")
            name = next((t.get("tenantName", "") for t in self.organisations()
                         if str(t.get("tenantId", "")).lower() == key), "")
            view = replace(self, xero=self.xero_factory(tenant_id), tenant_id=tenant_id, tenant_name=name,
                           extra=self.extra, _views=self._views)
            self._views[key] = view
        return self._views[key]

    def views(self) -> list["Connections"]:
        """These connections and those pointed at the other organisations so far (``for_tenant``), this first."""
        return [self, *(v for v in self._views.values() if v is not self)]

    @property
    def zone_name(self) -> str:
        zone = getattr(self.autotask, "zone", None)
        return getattr(zone, "zone_name", "") if zone else ""


def sandbox_pkce_tokens(
    client_id: str, root: str, transport: httpx2.BaseTransport | None, store: oauth.TokenStore,
    scopes: str = oauth.DEFAULT_SCOPES,
) -> oauth.TokenManager:
    """Run the real PKCE flow against the sandbox (which approves at once) without a browser."""
    verifier = oauth.new_verifier()
    state = pysecrets.token_urlsafe(16)
    redirect = "http://localhost:8765/callback"  # Xero (and the sandbox) accept http only on localhost
    url = oauth.build_authorize_url(
        client_id, redirect, scopes, state, oauth.code_challenge(verifier), login_root=root
    )
    with httpx2.Client(transport=transport, follow_redirects=False, timeout=30) as http:
        resp = http.get(url)
    location = resp.headers.get("location", "")
    query = parse_qs(urlsplit(location).query)
    if resp.status_code not in (302, 303) or query.get("state", [""])[0] != state:
        raise NotConnected("The sandbox's Xero login did not redirect back with a code.")
    tokens = oauth.exchange_code(
        client_id, query["code"][0], redirect, verifier, identity_root=root, transport=transport
    )
    store.save(tokens)
    return oauth.TokenManager(client_id, store, identity_root=root, transport=transport)


def sandbox_connections(sandbox, store: Store, *, sleep=None, timeout: float = 30.0) -> Connections:
    """Clients wired to the sandbox (in-process, or served by a child: its ``root``), connected with the
    scenario's credentials.

    ``sleep`` replaces the clients' waits (tests); ``timeout`` is their per-request timeout.
    """
    return scenario_connections(
        sandbox.scenario_path, getattr(sandbox, "root", SANDBOX_ROOT), sandbox.transport(), sleep=sleep, timeout=timeout, sandbox=sandbox,
        attachments=store.settings().attach_autotask_pdf,
    )


def sandbox_client_id(sandbox) -> str:
    """The Xero app client id the sandbox's scenario registers ("" when it names none)."""
    return sandbox.scenario["xero"].get("clientId") or ""  # loaded and validated by the sandbox


def scenario_connections(
    scenario_path, root: str, transport: httpx2.BaseTransport | None = None, *, sleep=None, timeout: float = 30.0,
    sandbox=None, attachments: bool = False,
) -> Connections:
    """Clients for a sandbox at ``root`` (in-process transport, or a real loopback server); ``attachments``
    asks Xero's attachments permission too (as the setup does when Autotask's PDF is attached)."""
    from depot_gui.sandbox import load_scenario

    relay = WaitRelay()
    waits: dict[str, Any] = {"on_wait": relay, "sleep": sleep if sleep is not None else relay.sleep}
    scenario = sandbox.scenario if sandbox is not None else load_scenario(scenario_path)  # loaded once
    user = scenario["autotask"]["apiUser"]
    autotask = AutotaskClient(
        AutotaskCredentials(user["userName"], user["secret"], user["integrationCode"]),
        zone_root=root, transport=transport, timeout=timeout, **waits,
    )
    autotask.discover_zone()
    client_id = scenario["xero"].get("clientId", "")
    manager = sandbox_pkce_tokens(client_id, root, transport, MemoryTokenStore(),
                                  oauth.scopes_for(attachments=attachments))
    def make_xero(tenant_id: str | None) -> XeroClient:
        return XeroClient(manager.access_token, tenant_id, api_root=root, transport=transport, timeout=timeout, **waits)

    xero = make_xero(None)
    tenants = xero.connections()
    if not tenants:
        raise NotConnected("The sandbox's Xero login returned no organisation.")
    xero.tenant_id = tenants[0]["tenantId"]
    return Connections(
        autotask, xero, user["userName"], tenants[0]["tenantId"], tenants[0].get("tenantName", ""),
        actor="sandbox", sandbox=sandbox, waits=relay, tenants=list(tenants), xero_factory=make_xero, sign_in=manager,
    )


def saved_connections(store: Store, secrets: SecretStore | None = None) -> Connections:
    """Clients for the real services, with what the setup wizard saved."""
    secrets = secrets or SecretStore()
    raw = store.raw_settings()
    username = raw.get(K_AT_USER, "")
    secret = secrets.get(S_AT_SECRET) if username else None
    code = secrets.get(S_AT_CODE) if username else None
    if not (username and secret and code):
        raise NotConnected(
            "Autotask is not connected yet: run the setup wizard in Depot GUI, or `depot-sync connect autotask`.",
            "Autotask is not connected yet: open Settings › Connections and run the setup.",
        )
    tenant = raw.get(K_XERO_TENANT, "")
    token_store = KeyringTokenStore(secrets)
    if not tenant or token_store.load() is None:
        raise NotConnected(
            "Xero is not connected yet: run the setup wizard in Depot GUI, or `depot-sync connect xero`.",
            "Xero is not connected yet: open Settings › Connections and sign in to Xero.",
        )
    relay = WaitRelay()
    autotask = AutotaskClient(AutotaskCredentials(username, secret, code), on_wait=relay, sleep=relay.sleep)
    autotask.discover_zone()
    manager = oauth.TokenManager(raw.get(K_XERO_CLIENT) or xero_client_id() or "", token_store)
    def make_xero(tenant_id: str) -> XeroClient:
        return XeroClient(manager.access_token, tenant_id, on_wait=relay, sleep=relay.sleep)

    return Connections(
        autotask, make_xero(tenant), username, tenant,
        raw.get(K_XERO_TENANT_NAME, ""), actor=username, waits=relay, xero_factory=make_xero, sign_in=manager,
    )
