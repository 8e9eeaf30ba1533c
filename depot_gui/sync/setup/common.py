"""Setup constants, the wizard's pages, and where the services are (Endpoints, keyring_problem)."""

from __future__ import annotations

import enum
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx2

from depot_gui.autotask.client import DEFAULT_ZONE_ROOT, AutotaskClient
from depot_gui.autotask.models import AutotaskCredentials
from depot_gui.store.publisher import xero_client_id
from depot_gui.store.secrets import SecretStore, SecretStoreUnavailable
from depot_gui.xero import oauth
from depot_gui.xero.client import DEFAULT_API_ROOT, XeroClient

from depot_gui.sync.mapping.keys import CONTACT_RULES, K_MAPPING_ACCOUNTS, K_MAPPING_TAX_TYPES, K_MAPPING_TRACKING  # noqa: F401 (re-exported)
from depot_gui.sync.session.connections import S_AT_SECRET, SANDBOX_ROOT, sandbox_client_id

DEFAULT_CALLBACK_PORT = 8765  # must match a redirect URI registered for the Xero app
BIND_HOST = "127.0.0.1"
# The receiver listens on 127.0.0.1 but the redirect URI says "localhost": Xero documents
# http://localhost redirects and reportedly refuses http://127.0.0.1 (xero-api.md §1.2).
REDIRECT_HOST = "localhost"
AUTOTASK_USER_PATH = (
    "Admin › Organization Settings & Users › Resources/Users (HR) › Resources/Users"
)


class Page(enum.Enum):
    """The wizard's pages, in order."""

    AUTOTASK = 0
    LOB = 1
    XERO = 2
    MAPPING = 3
    SUMMARY = 4


# -- where the services are ----------------------------------------------------------------------


@dataclass
class Endpoints:
    """Roots and transport for both services: the real ones, or the sandbox (in-process or served)."""

    autotask_root: str = DEFAULT_ZONE_ROOT
    xero_api_root: str = DEFAULT_API_ROOT
    xero_login_root: str = oauth.DEFAULT_LOGIN_ROOT
    xero_identity_root: str = oauth.DEFAULT_IDENTITY_ROOT
    transport: httpx2.BaseTransport | None = None
    sandbox: bool = False
    # The build's registered Xero app (publisher.json or DEPOT_XERO_CLIENT_ID); "" when it has none.
    default_client_id: str = field(default_factory=lambda: xero_client_id() or "")
    max_attempts: int = 2
    sleep: Callable[[float], None] = time.sleep
    timeout: float = 20.0

    @classmethod
    def single_root(cls, root: str, transport: httpx2.BaseTransport | None = None, **kw: Any) -> Endpoints:
        """Every service under one base URL (the sandbox, in-process or on loopback)."""
        root = root.rstrip("/")
        return cls(root, root, root, root, transport, sandbox=True, **kw)

    @classmethod
    def for_session(cls, session: Any) -> Endpoints:
        """The real services, or the session's sandbox (in-process, or served by a child process)."""
        sandbox = getattr(session, "sandbox", None)
        if sandbox is None:
            return cls()
        return cls.single_root(getattr(sandbox, "root", SANDBOX_ROOT), sandbox.transport(), default_client_id=sandbox_client_id(sandbox))

    def autotask(self, username: str, secret: str, code: str) -> AutotaskClient:
        """An Autotask client that fails fast (the user is waiting on a setup page)."""
        return AutotaskClient(
            AutotaskCredentials(username, secret, code),
            zone_root=self.autotask_root,
            transport=self.transport,
            timeout=self.timeout,
            max_attempts=self.max_attempts,
            sleep=self.sleep,
        )

    def xero(self, token: Callable[[], str], tenant_id: str | None) -> XeroClient:
        return XeroClient(
            token, tenant_id, api_root=self.xero_api_root, transport=self.transport,
            timeout=self.timeout, max_attempts=self.max_attempts, sleep=self.sleep,
        )

    def token_manager(self, client_id: str, store: oauth.TokenStore, clock: oauth.Clock | None = None) -> oauth.TokenManager:
        kw = {"clock": clock} if clock is not None else {}
        return oauth.TokenManager(
            client_id, store, identity_root=self.xero_identity_root, transport=self.transport, **kw
        )


def keyring_problem(secrets: SecretStore) -> str | None:
    """None when the OS keyring works; otherwise the message saying how to get one."""
    try:
        secrets.get(S_AT_SECRET)
    except SecretStoreUnavailable as exc:
        return str(exc)
    return None
