"""Xero OAuth: PKCE vector, authorize URL, token calls, TokenManager rotation, loopback receiver."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import httpx2
import pytest

from depot_gui.xero import XeroAuthError, XeroLoginCancelled, XeroLoginError, XeroLoginTimeout
from depot_gui.xero.oauth import (
    DEFAULT_SCOPES,
    LoopbackReceiver,
    TokenManager,
    TokenSet,
    build_authorize_url,
    code_challenge,
    exchange_code,
    new_state,
    new_verifier,
    refresh,
    revoke,
)

T0 = datetime(2024, 5, 31, 12, 0, tzinfo=UTC)
ID_ROOT = "https://identity.xero.test"


class FakeStore:
    """In-memory TokenStore recording every save."""

    def __init__(self, tokens: TokenSet | None = None) -> None:
        self.tokens = tokens
        self.saved: list[TokenSet] = []

    def load(self) -> TokenSet | None:
        return self.tokens

    def save(self, tokens: TokenSet) -> None:
        self.saved.append(tokens)
        self.tokens = tokens

    def clear(self) -> None:
        self.tokens = None


def test_pkce_rfc7636_appendix_b():
    # RFC 7636 appendix B reads "...RWbuGJSstw-cM"; the task brief's "...RWbuEJSUtw-cM" is a typo.
    verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    assert code_challenge(verifier) == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"


def test_new_verifier_is_valid_and_random():
    a, b = new_verifier(), new_verifier()
    assert a != b and 43 <= len(a) <= 128
    assert code_challenge(a)
    for bad in ["short", "x" * 129, "a" * 42 + "!"]:
        with pytest.raises(ValueError):
            code_challenge(bad)
    assert new_state() != new_state()


def test_authorize_url():
    url = build_authorize_url(
        "CID", "http://localhost:5000/callback", DEFAULT_SCOPES, "st8", "chal", "https://login.xero.test"
    )
    parts = urlsplit(url)
    assert (
        f"{parts.scheme}://{parts.netloc}{parts.path}" == "https://login.xero.test/identity/connect/authorize"
    )
    q = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert q == {
        "response_type": "code",
        "client_id": "CID",
        "redirect_uri": "http://localhost:5000/callback",
        "scope": "offline_access accounting.invoices accounting.contacts accounting.settings.read",
        "state": "st8",
        "code_challenge": "chal",
        "code_challenge_method": "S256",
    }
    assert "%20" in url and "+" not in url
    assert "scope=a%20b" in build_authorize_url("c", "r", ["a", "b"], "s", "x")


def token_endpoint(answers, seen):
    def handler(req):
        req.read()
        seen.append((str(req.url), {k: v[0] for k, v in parse_qs(req.content.decode()).items()}, req.headers))
        status, body = answers.pop(0)
        return httpx2.Response(status, json=body)

    return httpx2.MockTransport(handler)


def test_exchange_refresh_revoke_forms():
    seen: list = []
    transport = token_endpoint(
        [
            (
                200,
                {"access_token": "A1", "refresh_token": "R1", "expires_in": 1800, "scope": "offline_access"},
            ),
            (200, {"access_token": "A2", "refresh_token": "R2", "expires_in": 1800}),
            (200, {}),
        ],
        seen,
    )
    tokens = exchange_code(
        "CID",
        "CODE",
        "http://localhost:1/callback",
        "V" * 43,
        identity_root=ID_ROOT,
        transport=transport,
        clock=lambda: T0,
    )
    assert tokens.access_token == "A1" and tokens.expires_at == T0 + timedelta(seconds=1800)
    assert seen[0][0] == f"{ID_ROOT}/connect/token"
    assert seen[0][1] == {
        "grant_type": "authorization_code",
        "client_id": "CID",
        "code": "CODE",
        "redirect_uri": "http://localhost:1/callback",
        "code_verifier": "V" * 43,
    }
    assert "authorization" not in {k.lower() for k in seen[0][2]}
    new = refresh("CID", "R1", identity_root=ID_ROOT, transport=transport, clock=lambda: T0)
    assert (new.access_token, new.refresh_token) == ("A2", "R2")
    assert seen[1][1] == {"grant_type": "refresh_token", "client_id": "CID", "refresh_token": "R1"}
    revoke("CID", "R2", identity_root=ID_ROOT, transport=transport)
    assert seen[2][0] == f"{ID_ROOT}/connect/revocation" and seen[2][1] == {"token": "R2", "client_id": "CID"}


def test_tokenset_repr_redacts():
    tokens = TokenSet("ACCESS-SECRET", "REFRESH-SECRET", T0, "s")
    assert "SECRET" not in repr(tokens) and "SECRET" not in str(tokens)
    assert TokenSet.from_dict(tokens.to_dict()) == tokens


class Clock:
    def __init__(self, now):
        self.now = now

    def __call__(self):
        return self.now


def test_token_manager_refreshes_60s_early_and_persists_rotation_first():
    store = FakeStore(TokenSet("A1", "R1", T0 + timedelta(minutes=30)))
    clock = Clock(T0)
    seen: list = []
    order: list[str] = []

    class OrderedStore(FakeStore):
        def save(self, tokens):
            order.append(f"save {tokens.refresh_token}")
            super().save(tokens)

    store = OrderedStore(store.tokens)
    transport = token_endpoint(
        [(200, {"access_token": "A2", "refresh_token": "R2", "expires_in": 1800})], seen
    )
    manager = TokenManager("CID", store, ID_ROOT, transport, clock)
    assert manager() == "A1" and seen == []
    clock.now = T0 + timedelta(minutes=29, seconds=1)  # 59 s before expiry
    token = manager.access_token()
    order.append(f"got {token}")
    assert token == "A2"
    assert order == ["save R2", "got A2"]
    assert store.tokens.refresh_token == "R2" and len(seen) == 1
    assert manager() == "A2" and len(seen) == 1


def test_token_manager_invalid_grant_means_reconnect():
    store = FakeStore(TokenSet("A1", "R1", T0))
    transport = token_endpoint([(400, {"error": "invalid_grant"})], [])
    manager = TokenManager("CID", store, ID_ROOT, transport, Clock(T0))
    with pytest.raises(XeroAuthError) as info:
        manager()
    assert "reconnect Xero in Settings › Connections" in info.value.user_message


def test_token_manager_not_connected():
    with pytest.raises(XeroAuthError):
        TokenManager("CID", FakeStore(None), ID_ROOT, None, Clock(T0))()


def test_token_manager_uses_tokens_another_process_rotated():
    store = FakeStore(TokenSet("A1", "R1", T0))
    manager = TokenManager("CID", store, ID_ROOT, token_endpoint([], []), Clock(T0 - timedelta(hours=1)))
    assert manager() == "A1"
    store.tokens = TokenSet("A9", "R9", T0 + timedelta(hours=1))  # rotated elsewhere
    manager._clock = Clock(T0)
    assert manager() == "A9"


def test_token_manager_retries_failed_save():
    class FlakyStore(FakeStore):
        fail = True

        def save(self, tokens):
            if self.fail:
                self.fail = False
                raise OSError("keyring locked")
            super().save(tokens)

    store = FlakyStore(TokenSet("A1", "R1", T0))
    transport = token_endpoint([(200, {"access_token": "A2", "refresh_token": "R2", "expires_in": 1800})], [])
    manager = TokenManager("CID", store, ID_ROOT, transport, Clock(T0))
    with pytest.raises(OSError):
        manager()
    assert manager() == "A2" and store.tokens.refresh_token == "R2"


def _browser(url: str, result: dict) -> None:
    result["response"] = httpx2.get(url, timeout=5, trust_env=False)


def run_callback(receiver: LoopbackReceiver, query: str):
    result: dict = {}
    thread = threading.Thread(
        target=_browser, args=(f"http://127.0.0.1:{receiver.port}/callback?{query}", result)
    )
    thread.start()
    try:
        outcome = receiver.wait(timeout=5)
    finally:
        thread.join(5)
    return outcome, result["response"]


def test_loopback_receiver_returns_code():
    receiver = LoopbackReceiver("good-state", port=0)
    assert receiver.redirect_uri == f"http://localhost:{receiver.port}/callback"
    outcome, response = run_callback(receiver, "code=abc123&state=good-state&scope=x")
    assert outcome == ("abc123", "good-state")
    assert response.status_code == 200
    assert "You can close this window and return to Depot GUI" in response.text


def test_loopback_receiver_state_mismatch():
    receiver = LoopbackReceiver("good-state")
    with pytest.raises(XeroLoginError) as info:
        run_callback(receiver, "code=abc&state=evil")
    assert "state mismatch" in info.value.user_message


def test_loopback_receiver_ignores_other_paths_and_reports_denial():
    receiver = LoopbackReceiver("s1")
    result: dict = {}

    def browser():
        result["favicon"] = httpx2.get(
            f"http://127.0.0.1:{receiver.port}/favicon.ico", timeout=5, trust_env=False
        )
        result["cb"] = httpx2.get(
            f"http://127.0.0.1:{receiver.port}/callback?error=access_denied&state=s1",
            timeout=5,
            trust_env=False,
        )

    thread = threading.Thread(target=browser)
    thread.start()
    with pytest.raises(XeroLoginError) as info:
        receiver.wait(timeout=5)
    thread.join(5)
    assert result["favicon"].status_code == 404 and result["cb"].status_code == 400
    assert "access_denied" in info.value.user_message


def test_loopback_receiver_timeout_and_cancel():
    receiver = LoopbackReceiver("s")
    with pytest.raises(XeroLoginTimeout):
        receiver.wait(timeout=0.3)
    receiver = LoopbackReceiver("s")
    threading.Timer(0.2, receiver.cancel).start()
    with pytest.raises(XeroLoginCancelled):
        receiver.wait(timeout=5)
