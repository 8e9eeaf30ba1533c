"""Shared helpers for the sandbox tests: clients, credentials, the Xero PKCE dance."""

from __future__ import annotations

import base64
import hashlib
import secrets
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx2

REPO = Path(__file__).resolve().parents[2]
SCENARIOS = REPO / "tests" / "scenarios"
DEMO = SCENARIOS / "demo.json"  # the five-invoice demo (tests/conftest.py)
AT_HEADERS = {"ApiIntegrationCode": "SANDBOXINTEGRATIONCODE00001", "UserName": "depot.api@acme-msp.example",
              "Secret": "sandbox-secret"}
CLIENT_ID = "SANDBOXXEROCLIENTID"
TENANT = "3f1c2a7e-5b0d-4c39-9a43-2f1e8d6b7c10"
REDIRECT = "http://localhost:8765/callback"
SCOPE = "offline_access accounting.invoices accounting.contacts accounting.settings.read"


def client(sandbox, base_url: str = "http://sandbox.invalid", **kw) -> httpx2.Client:
    """An httpx2 client on the in-process transport."""
    return httpx2.Client(transport=sandbox.transport(), base_url=base_url, **kw)


def pkce_pair() -> tuple[str, str]:
    """(verifier, S256 challenge)."""
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def authorize(c: httpx2.Client, challenge: str, state: str = "xyz", **over) -> httpx2.Response:
    """GET the authorize endpoint (no redirect following)."""
    params = {"response_type": "code", "client_id": CLIENT_ID, "redirect_uri": REDIRECT, "scope": SCOPE,
              "state": state, "code_challenge": challenge, "code_challenge_method": "S256"}
    params.update(over)
    return c.get("/identity/connect/authorize", params=params, follow_redirects=False)


def code_from(resp: httpx2.Response) -> str:
    """The ``code`` in an authorize redirect."""
    return parse_qs(urlsplit(resp.headers["location"]).query)["code"][0]


def connect(c: httpx2.Client, **over) -> dict:
    """Run the whole PKCE flow (``over``: authorize parameters, e.g. ``scope``); returns the token response JSON."""
    verifier, challenge = pkce_pair()
    code = code_from(authorize(c, challenge, **over))
    r = c.post("/connect/token", data={"grant_type": "authorization_code", "client_id": CLIENT_ID, "code": code,
                                       "redirect_uri": REDIRECT, "code_verifier": verifier})
    assert r.status_code == 200, r.text
    return r.json()


def xero_headers(token: str, tenant: str = TENANT) -> dict:
    """Bearer + tenant headers."""
    return {"Authorization": f"Bearer {token}", "xero-tenant-id": tenant, "Accept": "application/json"}


def bookkeeper(sandbox, tenant: str = TENANT) -> httpx2.Client:
    """A bookkeeper's own Xero session on the organisation (a second sign-in): their changes, such as
    ``POST /Invoices/{id}`` with ``{"Status": "DELETED"}`` or new ``LineItems``, go through the API."""
    c = client(sandbox)
    c.headers.update(xero_headers(connect(c)["access_token"], tenant))
    return c
