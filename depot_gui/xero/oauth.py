"""Xero OAuth 2.0 for a desktop app: PKCE, token exchange/refresh/revoke, rotating TokenManager."""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Protocol
from urllib.parse import quote, urlencode

import httpx2

from depot_gui.core import wire as _wire
from depot_gui.xero._mapping import transport_error
from depot_gui.xero.errors import RECONNECT, XeroAuthError, XeroError, XeroProtocolError, XeroServerError
from depot_gui.xero.loopback import LoopbackReceiver

__all__ = [
    "DEFAULT_IDENTITY_ROOT",
    "DEFAULT_LOGIN_ROOT",
    "DEFAULT_SCOPES",
    "LoopbackReceiver",
    "TokenManager",
    "TokenSet",
    "TokenStore",
    "build_authorize_url",
    "code_challenge",
    "exchange_code",
    "new_state",
    "new_verifier",
    "refresh",
    "revoke",
]

DEFAULT_LOGIN_ROOT = "https://login.xero.com"
DEFAULT_IDENTITY_ROOT = "https://identity.xero.com"
DEFAULT_SCOPES = "offline_access accounting.invoices accounting.contacts accounting.settings.read"
ATTACHMENTS_SCOPE = "accounting.attachments"  # attaching Autotask's invoice PDF to the Xero invoice


def scopes_for(*, attachments: bool) -> str:
    """The scopes to ask for: the defaults, plus Xero's attachments permission only when files are attached."""
    return f"{DEFAULT_SCOPES} {ATTACHMENTS_SCOPE}" if attachments else DEFAULT_SCOPES
REFRESH_MARGIN = 60.0

_VERIFIER_RE = re.compile(r"^[A-Za-z0-9\-._~]{43,128}$")

Clock = Callable[[], datetime]


def _utcnow() -> datetime:
    return datetime.now(UTC)


# -- PKCE ---------------------------------------------------------------------------------------


def new_verifier() -> str:
    """A fresh 86-character PKCE code verifier (RFC 7636 unreserved characters only)."""
    return secrets.token_urlsafe(64)


def code_challenge(verifier: str) -> str:
    """The S256 challenge: base64url(SHA-256(verifier)) without padding."""
    if not _VERIFIER_RE.match(verifier):
        raise ValueError("a PKCE verifier is 43-128 characters of A-Z a-z 0-9 - . _ ~")
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def new_state() -> str:
    """An unguessable ``state`` value guarding the redirect against CSRF."""
    return secrets.token_urlsafe(24)


def build_authorize_url(
    client_id: str,
    redirect_uri: str,
    scopes: str | Sequence[str],
    state: str,
    challenge: str,
    login_root: str = DEFAULT_LOGIN_ROOT,
) -> str:
    """The browser URL that starts the Xero sign-in and consent (PKCE, S256)."""
    scope = scopes if isinstance(scopes, str) else " ".join(scopes)
    query = urlencode(
        {
            "response_type": "code",
            "client_id": client_id,
            "redirect_uri": redirect_uri,
            "scope": scope,
            "state": state,
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        },
        quote_via=quote,
    )
    return f"{login_root.rstrip('/')}/identity/connect/authorize?{query}"


# -- tokens -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TokenSet:
    """An access token, its rotating refresh token, expiry (aware UTC) and granted scope."""

    access_token: str = field(repr=False)
    refresh_token: str = field(repr=False)
    expires_at: datetime
    scope: str = ""

    def __repr__(self) -> str:
        expires = self.expires_at.isoformat()
        return f"TokenSet(access_token='***', refresh_token='***', expires_at={expires!r}, scope={self.scope!r})"

    __str__ = __repr__

    def expires_within(self, seconds: float, now: datetime) -> bool:
        """True if the access token is expired or will be within ``seconds``."""
        return self.expires_at - timedelta(seconds=seconds) <= now

    def to_dict(self) -> dict:
        """Plain JSON-serialisable form for a secret store."""
        return {
            "access_token": self.access_token,
            "refresh_token": self.refresh_token,
            "expires_at": self.expires_at.isoformat(),
            "scope": self.scope,
        }

    @classmethod
    def from_dict(cls, data: dict) -> TokenSet:
        """Inverse of ``to_dict``."""
        expires = datetime.fromisoformat(data["expires_at"])
        if expires.tzinfo is None:
            expires = expires.replace(tzinfo=UTC)
        return cls(data["access_token"], data["refresh_token"], expires, data.get("scope", ""))


class TokenStore(Protocol):
    """Where the current TokenSet is persisted (the keyring in the app)."""

    def load(self) -> TokenSet | None: ...

    def save(self, tokens: TokenSet) -> None: ...

    def clear(self) -> None: ...


def _token_call(
    identity_root: str,
    path: str,
    form: dict[str, str],
    transport: httpx2.BaseTransport | None,
    timeout: float,
) -> httpx2.Response:
    url = f"{identity_root.rstrip('/')}{path}"
    with httpx2.Client(transport=transport, timeout=timeout) as http:
        try:
            return http.post(url, data=form, headers={"Accept": "application/json"})
        except httpx2.TransportError as exc:
            secrets_in_form = [
                v for k, v in form.items() if k in ("code", "code_verifier", "refresh_token", "token")
            ]

            def scrub(text: str) -> str:
                for value in secrets_in_form:
                    text = text.replace(value, "***")
                return text

            raise transport_error(exc, url, write=False, scrub=scrub) from None


def _token_error(resp: httpx2.Response) -> XeroError:
    try:
        data = _wire.loads(resp.content)
    except (ValueError, UnicodeDecodeError):
        data = {}
    code = str(data.get("error", "")) if isinstance(data, dict) else ""
    if code == "invalid_grant":
        return XeroAuthError(
            f"Xero no longer accepts Depot GUI's sign-in (it expired, was revoked or was used elsewhere): {RECONNECT}.",
            status=resp.status_code,
            detail=code,
        )
    if code in ("invalid_client", "unauthorized_client"):
        return XeroAuthError(
            f"Xero does not recognise this app's client id: check the Xero app settings, then {RECONNECT}.",
            status=resp.status_code,
            detail=code,
        )
    if resp.status_code >= 500 or resp.status_code == 429:
        return XeroServerError(
            f"Xero's sign-in service is unavailable (HTTP {resp.status_code}): try again in a few minutes.",
            status=resp.status_code,
        )
    return XeroAuthError(status=resp.status_code, detail=code or f"HTTP {resp.status_code}")


def _token_set(resp: httpx2.Response, now: datetime, previous_refresh: str = "") -> TokenSet:
    if resp.status_code != 200:
        raise _token_error(resp)
    try:
        data = _wire.loads(resp.content)
        access = data["access_token"]
        expires_in = float(data.get("expires_in", 1800))
    except (ValueError, UnicodeDecodeError, KeyError, TypeError):
        raise XeroProtocolError(detail="token answer lacks access_token") from None
    refresh_token = data.get("refresh_token") or previous_refresh
    return TokenSet(access, refresh_token, now + timedelta(seconds=expires_in), str(data.get("scope", "")))


def exchange_code(
    client_id: str,
    code: str,
    redirect_uri: str,
    verifier: str,
    *,
    identity_root: str = DEFAULT_IDENTITY_ROOT,
    transport: httpx2.BaseTransport | None = None,
    timeout: float = 30.0,
    clock: Clock = _utcnow,
) -> TokenSet:
    """Trade the one-time authorization code (plus PKCE verifier) for tokens."""
    form = {
        "grant_type": "authorization_code",
        "client_id": client_id,
        "code": code,
        "redirect_uri": redirect_uri,
        "code_verifier": verifier,
    }
    return _token_set(_token_call(identity_root, "/connect/token", form, transport, timeout), clock())


def refresh(
    client_id: str,
    refresh_token: str,
    *,
    identity_root: str = DEFAULT_IDENTITY_ROOT,
    transport: httpx2.BaseTransport | None = None,
    timeout: float = 30.0,
    clock: Clock = _utcnow,
) -> TokenSet:
    """Use the refresh token once; the answer carries a new (rotated) refresh token."""
    form = {"grant_type": "refresh_token", "client_id": client_id, "refresh_token": refresh_token}
    resp = _token_call(identity_root, "/connect/token", form, transport, timeout)
    return _token_set(resp, clock(), refresh_token)


def revoke(
    client_id: str,
    token: str,
    *,
    identity_root: str = DEFAULT_IDENTITY_ROOT,
    transport: httpx2.BaseTransport | None = None,
    timeout: float = 30.0,
) -> None:
    """Revoke a refresh token (removes all of this user's connections to the app)."""
    form = {"token": token, "client_id": client_id}
    resp = _token_call(identity_root, "/connect/revocation", form, transport, timeout)
    if resp.status_code != 200:
        raise _token_error(resp)


class TokenManager:
    """Hands out a valid access token, refreshing (and persisting the rotation) under a lock."""

    def __init__(
        self,
        client_id: str,
        store: TokenStore,
        identity_root: str = DEFAULT_IDENTITY_ROOT,
        transport: httpx2.BaseTransport | None = None,
        clock: Clock = _utcnow,
        *,
        refresh_margin: float = REFRESH_MARGIN,
        timeout: float = 30.0,
    ) -> None:
        self.client_id = client_id
        self._store = store
        self._identity_root = identity_root
        self._transport = transport
        self._clock = clock
        self._margin = refresh_margin
        self._timeout = timeout
        self._lock = threading.Lock()
        self._tokens: TokenSet | None = None
        self._unsaved: TokenSet | None = None

    def __repr__(self) -> str:
        return f"TokenManager(client_id={self.client_id!r}, tokens={self._tokens!r})"

    def __call__(self) -> str:
        """Same as ``access_token()`` so the manager can be passed to XeroClient as ``token``."""
        return self.access_token()

    def access_token(self) -> str:
        """A token valid for at least ``refresh_margin`` seconds; refreshes and persists if needed."""
        with self._lock:
            if self._unsaved is not None:
                self._persist(self._unsaved)
            tokens = self._tokens or self._store.load()
            if tokens is None:
                raise XeroAuthError(f"Depot GUI is not connected to Xero: {RECONNECT}.")
            if tokens.expires_within(self._margin, self._clock()):
                tokens = self._refreshed(tokens)
            self._tokens = tokens
            return tokens.access_token

    def current(self) -> TokenSet | None:
        """The tokens now held (read from the store when not loaded yet), or None when signed out."""
        with self._lock:
            return self._unsaved or self._tokens or self._store.load()

    def disconnect(self) -> None:
        """Revoke the refresh token (best effort) and forget the tokens."""
        with self._lock:
            tokens = self._tokens or self._store.load()
            self._tokens = self._unsaved = None
            self._store.clear()
        if tokens is not None:
            try:
                revoke(
                    self.client_id,
                    tokens.refresh_token,
                    identity_root=self._identity_root,
                    transport=self._transport,
                    timeout=self._timeout,
                )
            except XeroError:
                pass

    def _refreshed(self, tokens: TokenSet) -> TokenSet:
        stored = self._store.load()
        if stored is not None and stored.refresh_token != tokens.refresh_token:
            # Another process rotated the tokens: use its set if still fresh, else refresh from it.
            tokens = stored
            if not tokens.expires_within(self._margin, self._clock()):
                return tokens
        new = refresh(
            self.client_id,
            tokens.refresh_token,
            identity_root=self._identity_root,
            transport=self._transport,
            timeout=self._timeout,
            clock=self._clock,
        )
        self._persist(new)
        return new

    def _persist(self, tokens: TokenSet) -> None:
        """Save before anyone may use the new access token; keep it pending if saving fails."""
        self._tokens = tokens
        self._unsaved = tokens
        self._store.save(tokens)
        self._unsaved = None
