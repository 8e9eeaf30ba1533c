"""Xero identity: PKCE authorize/token, refresh rotation with grace, revocation, connections, bearer checks."""

from __future__ import annotations

import base64
import json
from urllib.parse import parse_qs, urlsplit

import pytest

from .helpers import CLIENT_ID, REDIRECT, TENANT, authorize, client, code_from, connect, pkce_pair, xero_headers


def token(c, **form):
    return c.post("/connect/token", data=dict({"client_id": CLIENT_ID}, **form))


def test_authorize_redirects_at_once_with_code_and_state(demo):
    c = client(demo)
    _, challenge = pkce_pair()
    r = authorize(c, challenge, state="st8")
    assert r.status_code == 302
    loc = urlsplit(r.headers["location"])
    assert f"{loc.scheme}://{loc.netloc}{loc.path}" == REDIRECT
    params = parse_qs(loc.query)
    assert params["state"] == ["st8"] and params["code"][0]


@pytest.mark.parametrize("over,status,error", [
    ({"client_id": "other"}, 400, None),
    ({"redirect_uri": "http://evil.example/cb"}, 400, None),
    ({"code_challenge_method": "plain"}, 302, "invalid_request"),
    ({"response_type": "token"}, 302, "unsupported_response_type"),
    ({"scope": "accounting.transactions bogus.scope"}, 302, "invalid_scope"),
])
def test_authorize_errors(demo, over, status, error):
    _, challenge = pkce_pair()
    r = authorize(client(demo), challenge, **over)
    assert r.status_code == status
    if error:
        assert parse_qs(urlsplit(r.headers["location"]).query)["error"] == [error]


def test_127_redirect_option(demo):
    _, challenge = pkce_pair()
    c = client(demo)
    assert authorize(c, challenge, redirect_uri="http://127.0.0.1:8765/cb").status_code == 400
    demo.set_option("redirect_127", "accept")
    assert authorize(c, challenge, redirect_uri="http://127.0.0.1:8765/cb").status_code == 302


def test_code_exchange_checks_verifier_and_is_single_use(demo):
    c = client(demo)
    verifier, challenge = pkce_pair()
    code = code_from(authorize(c, challenge))
    bad = token(c, grant_type="authorization_code", code=code, redirect_uri=REDIRECT, code_verifier="x" * 50)
    assert bad.status_code == 400 and bad.json()["error"] == "invalid_grant"
    code = code_from(authorize(c, challenge))
    ok = token(c, grant_type="authorization_code", code=code, redirect_uri=REDIRECT, code_verifier=verifier)
    body = ok.json()
    assert ok.status_code == 200 and body["expires_in"] == 1800 and body["token_type"] == "Bearer"
    assert body["refresh_token"] and body["access_token"].count(".") == 2
    claims = json.loads(base64.urlsafe_b64decode(body["access_token"].split(".")[1] + "=="))
    assert claims["client_id"] == CLIENT_ID and claims["exp"] - claims["nbf"] == 1800
    again = token(c, grant_type="authorization_code", code=code, redirect_uri=REDIRECT, code_verifier=verifier)
    assert again.status_code == 400 and again.json() == {"error": "invalid_grant"}


def test_code_expires_after_five_minutes(demo):
    c = client(demo)
    verifier, challenge = pkce_pair()
    code = code_from(authorize(c, challenge))
    demo.advance_clock(301)
    r = token(c, grant_type="authorization_code", code=code, redirect_uri=REDIRECT, code_verifier=verifier)
    assert r.json() == {"error": "invalid_grant"}


def test_wrong_client_and_grant_type(demo):
    c = client(demo)
    assert c.post("/connect/token", data={"client_id": "nope", "grant_type": "refresh_token"}).json() == {
        "error": "invalid_client"}
    assert token(c, grant_type="password").json() == {"error": "unsupported_grant_type"}


def test_refresh_rotation_grace_then_invalid_grant(demo):
    c = client(demo)
    first = connect(c)
    r1 = token(c, grant_type="refresh_token", refresh_token=first["refresh_token"])
    assert r1.status_code == 200 and r1.json()["refresh_token"] != first["refresh_token"]
    demo.advance_clock(29 * 60)
    again = token(c, grant_type="refresh_token", refresh_token=first["refresh_token"])
    assert again.status_code == 200  # the previous token still works inside the 30-minute grace
    demo.advance_clock(2 * 60)
    late = token(c, grant_type="refresh_token", refresh_token=first["refresh_token"])
    assert late.status_code == 400 and late.json() == {"error": "invalid_grant"}
    fresh = token(c, grant_type="refresh_token", refresh_token=again.json()["refresh_token"])
    assert fresh.status_code == 200


def test_access_token_expires_after_30_minutes(demo):
    c = client(demo)
    tok = connect(c)["access_token"]
    h = xero_headers(tok)
    assert c.get("/api.xro/2.0/Organisation", headers=h).status_code == 200
    demo.advance_clock(1801)
    r = c.get("/api.xro/2.0/Organisation", headers=h)
    assert r.status_code == 401
    body = r.json()
    assert body["Title"] == "Unauthorized" and body["Status"] == 401 and body["Detail"].startswith("TokenExpired: ")
    assert body["Type"] is None


def test_unknown_bearer_and_tenant_problems(demo):
    c = client(demo)
    tok = connect(c)["access_token"]
    assert c.get("/api.xro/2.0/Invoices", headers=xero_headers("garbage")).status_code == 401
    r = c.get("/api.xro/2.0/Invoices", headers={"Authorization": f"Bearer {tok}"})
    assert r.status_code == 403 and r.json()["Title"] == "Forbidden"
    r = c.get("/api.xro/2.0/Invoices", headers=xero_headers(tok, "00000000-0000-4000-8000-000000000000"))
    assert r.status_code == 403
    r = c.get("/api.xro/2.0/Invoices", headers={"Authorization": f"Bearer {tok}", "XERO-TENANT-ID": TENANT})
    assert r.status_code == 200


def test_connections_any_case_and_delete(demo):
    c = client(demo)
    tok = connect(c)["access_token"]
    auth = {"Authorization": f"Bearer {tok}"}
    conns = c.get("/Connections", headers=auth).json()
    assert len(conns) == 1
    conn = conns[0]
    assert set(conn) == {"id", "authEventId", "tenantId", "tenantType", "tenantName", "createdDateUtc",
                         "updatedDateUtc"}
    assert conn["tenantId"] == TENANT and conn["tenantType"] == "ORGANISATION"
    r = c.get("/connections", headers=auth)
    assert r.json() == conns and "x-appminlimit-remaining" in r.headers and "x-minlimit-remaining" not in r.headers
    assert c.get("/connections", params={"authEventId": "nope"}, headers=auth).json() == []
    assert c.delete(f"/connections/{conn['id']}", headers=auth).status_code == 204
    assert c.delete(f"/connections/{conn['id']}", headers=auth).status_code == 404
    assert c.get("/api.xro/2.0/Invoices", headers=xero_headers(tok)).status_code == 403
    assert c.get("/connections").status_code == 401


def test_revoke_connection_hook(demo):
    c = client(demo)
    tok = connect(c)["access_token"]
    assert demo.revoke_connection(TENANT) == 1
    assert c.get("/api.xro/2.0/Organisation", headers=xero_headers(tok)).status_code == 403
    connect(c)  # consenting again reconnects
    assert c.get("/api.xro/2.0/Organisation", headers=xero_headers(tok)).status_code == 200


def test_revocation_kills_grant(demo):
    c = client(demo)
    tokens = connect(c)
    r = c.post("/connect/revocation", data={"token": tokens["refresh_token"], "client_id": CLIENT_ID})
    assert r.status_code == 200 and r.content == b""
    assert token(c, grant_type="refresh_token", refresh_token=tokens["refresh_token"]).json() == {
        "error": "invalid_grant"}
    assert c.get("/api.xro/2.0/Organisation", headers=xero_headers(tokens["access_token"])).status_code == 401


def test_tokens_stored_only_as_hashes(tmp_path):
    from depot_gui.sandbox import Sandbox

    from .helpers import DEMO
    sb = Sandbox.open(DEMO, tmp_path)
    c = client(sb)
    tokens = connect(c)
    journal = (tmp_path / "state.journal").read_text()
    assert '"refresh":{"' in journal  # the sign-in's changes are there, as hashes
    sb.save()
    for text in (journal, (tmp_path / "state.json").read_text()):
        assert tokens["access_token"] not in text and tokens["refresh_token"] not in text
        assert "sandbox-secret" not in text
