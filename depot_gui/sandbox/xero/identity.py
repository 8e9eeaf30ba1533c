"""Xero identity: authorize (PKCE, approves at once), token (code + rotating refresh), revocation, connections."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import uuid
from datetime import datetime, timezone
from urllib.parse import parse_qs, urlencode, urlsplit

from depot_gui.sandbox.clock import naive_iso
from depot_gui.sandbox.http.messages import Request, Response
from depot_gui.sandbox.state import secret_hash

IDENTITY_SCOPES = {"openid", "profile", "email", "offline_access"}
SCOPE_PREFIXES = ("accounting.", "payroll.", "files", "assets", "projects", "paymentservices", "bankfeeds",
                  "finance.", "marketplace.", "app.connections")
REFRESH_TOKEN_DAYS = 60


def b64url(data: bytes) -> str:
    """base64url without padding (RFC 7636)."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def problem(status: int, title: str, detail: str, headers: dict | None = None) -> Response:
    """Xero's Problem-style JSON error (401/403, and the 429s with their headers)."""
    return Response.json(status, {"Type": None, "Title": title, "Status": status, "Detail": detail,
                                  "Instance": str(uuid.uuid4()), "Extensions": {}}, headers)


def oauth_error(error: str, status: int = 400, description: str | None = None) -> Response:
    """OAuth token-endpoint error JSON."""
    body = {"error": error}
    if description:
        body["error_description"] = description
    return Response.json(status, body, {"Cache-Control": "no-store", "Pragma": "no-cache"})


def dotnet_utc(dt) -> str:
    """``2026-11-20T09:00:00.0000000`` as /connections shows dates."""
    base = naive_iso(dt).split(".")[0]
    return f"{base}.{dt.microsecond:06d}0"


class XeroIdentity:
    """The identity service and the ``/connections`` endpoints of one Xero app (the scenario's clientId)."""

    def __init__(self, scenario: dict, options: dict) -> None:
        x = scenario["xero"]
        self.client_id = x["clientId"]
        self.tenants = x["tenants"]
        self.options = options
        self.user_id = x.get("userId", "c0ffee00-0000-4000-8000-00000000d3e0")

    @staticmethod
    def initial_state() -> dict:
        """The identity part of a fresh state document."""
        return {"codes": {}, "access": {}, "refresh": {}, "grants": {}, "connections": []}

    @staticmethod
    def matches(req: Request) -> bool:
        """Whether the request is for the identity service (login or token host)."""
        p = req.path.lower().rstrip("/")
        return p == "/identity/connect/authorize" or p.startswith("/connect/")

    def handle(self, req: Request, data: dict, now) -> Response:
        """Answer an identity request."""
        ids = data["identity"]
        p = req.path.lower().rstrip("/")
        if p == "/identity/connect/authorize":
            if req.method != "GET":
                return Response.text(405, "Method Not Allowed")
            return self.authorize(req, ids, now)
        if p == "/connect/token":
            if req.method != "POST":
                return Response.text(405, "Method Not Allowed")
            return self.token(req, ids, now)
        if p == "/connect/revocation":
            if req.method != "POST":
                return Response.text(405, "Method Not Allowed")
            return self.revocation(req, ids, now)
        return Response.text(404, "Not Found")

    # -- authorize -------------------------------------------------------------------------------

    def redirect_ok(self, uri: str) -> bool:
        """Xero's redirect rules: absolute https, or http on localhost (127.0.0.1 per option)."""
        try:
            parts = urlsplit(uri)
        except ValueError:
            return False
        if parts.fragment or not parts.netloc:
            return False
        if parts.scheme == "https":
            return True
        hosts = {"localhost"}
        if self.options.get("redirect_127", "reject") == "accept":
            hosts.add("127.0.0.1")
        return parts.scheme == "http" and (parts.hostname or "") in hosts

    def authorize(self, req: Request, ids: dict, now) -> Response:
        """Approve at once and redirect with ``code`` and ``state`` (errors per OAuth2)."""
        client_id = req.arg("client_id") or ""
        redirect_uri = req.arg("redirect_uri") or ""
        state = req.arg("state")
        if client_id != self.client_id:
            return Response.text(400, "<html><body><h1>Error</h1><p>unauthorized_client: Unknown client or "
                                      "client not enabled</p></body></html>", content_type="text/html; charset=utf-8")
        if not redirect_uri or not self.redirect_ok(redirect_uri):
            return Response.text(400, "<html><body><h1>Error</h1><p>Invalid redirect_uri</p></body></html>",
                                 content_type="text/html; charset=utf-8")

        def back(params: dict) -> Response:
            if state is not None:
                params["state"] = state
            sep = "&" if urlsplit(redirect_uri).query else "?"
            return Response.empty(302, {"Location": redirect_uri + sep + urlencode(params),
                                        "Cache-Control": "no-store"})

        if req.arg("response_type") != "code":
            return back({"error": "unsupported_response_type"})
        scope = " ".join((req.arg("scope") or "").split())
        scopes = scope.split()
        if not scopes or any(s not in IDENTITY_SCOPES and not s.startswith(SCOPE_PREFIXES) for s in scopes):
            return back({"error": "invalid_scope"})
        challenge = req.arg("code_challenge") or ""
        if req.arg("code_challenge_method") != "S256" or not 43 <= len(challenge) <= 128:
            return back({"error": "invalid_request", "error_description": "code_challenge with S256 is required"})
        code = secrets.token_urlsafe(32)
        self.prune(ids, now)
        ids["codes"][secret_hash(code)] = {
            "client_id": client_id, "redirect_uri": redirect_uri, "challenge": challenge, "scope": scope,
            "exp": now.timestamp() + float(self.options.get("code_lifetime_seconds", 300)),
        }
        return back({"code": code, "scope": scope, "session_state": secrets.token_urlsafe(16)})

    # -- token -----------------------------------------------------------------------------------

    def form(self, req: Request) -> dict[str, str]:
        """Form fields of a token/revocation request (client_id may come as Basic auth)."""
        fields = {k: v[0] for k, v in parse_qs(req.body.decode("utf-8", "replace"), keep_blank_values=True).items()}
        auth = req.headers.get("Authorization") or ""
        if auth.lower().startswith("basic ") and "client_id" not in fields:
            try:
                fields["client_id"] = base64.b64decode(auth[6:]).decode().split(":", 1)[0]
            except (ValueError, UnicodeDecodeError):
                pass
        return fields

    def token(self, req: Request, ids: dict, now) -> Response:
        """``POST /connect/token``: authorization_code (PKCE) or refresh_token (rotation + grace)."""
        f = self.form(req)
        if f.get("client_id") != self.client_id:
            return oauth_error("invalid_client")
        grant_type = f.get("grant_type")
        ts = now.timestamp()
        if grant_type == "authorization_code":
            rec = ids["codes"].get(secret_hash(f.get("code", "")))
            if rec is None or rec.get("used") or rec["exp"] < ts:
                return oauth_error("invalid_grant")
            rec["used"] = True  # single use, even when the rest fails
            if f.get("redirect_uri") != rec["redirect_uri"]:
                return oauth_error("invalid_grant", description="redirect_uri does not match")
            verifier = f.get("code_verifier", "")
            if not 43 <= len(verifier) <= 128 or b64url(hashlib.sha256(verifier.encode()).digest()) != rec["challenge"]:
                return oauth_error("invalid_grant", description="code_verifier is not valid")
            grant_id = str(uuid.uuid4())
            event = str(uuid.uuid4())
            ids["grants"][grant_id] = {"auth_event_id": event, "scope": rec["scope"], "revoked": False,
                                       "created": ts}
            self.connect_tenants(ids, event, now)
            return self.issue(req, ids, grant_id, now)
        if grant_type == "refresh_token":
            h = secret_hash(f.get("refresh_token", ""))
            rec = ids["refresh"].get(h)
            if rec is None:
                return oauth_error("invalid_grant")
            grant = ids["grants"].get(rec["grant"])
            if grant is None or grant["revoked"] or rec["exp"] < ts:
                return oauth_error("invalid_grant")
            grace = float(self.options.get("refresh_grace_seconds", 1800))
            if rec.get("superseded_at") is not None and ts - float(rec["superseded_at"]) > grace:
                return oauth_error("invalid_grant")
            if rec.get("superseded_at") is None:
                rec["superseded_at"] = ts
            return self.issue(req, ids, rec["grant"], now)
        return oauth_error("unsupported_grant_type")

    def issue(self, req: Request, ids: dict, grant_id: str, now) -> Response:
        """A new access token (30 min) and, with offline_access, a new refresh token."""
        grant = ids["grants"][grant_id]
        ts = now.timestamp()
        lifetime = int(self.options.get("access_token_seconds", 1800))
        access = self.make_access_token(req, grant, ts, lifetime)
        ids["access"][secret_hash(access)] = {"grant": grant_id, "exp": ts + lifetime}
        body = {"access_token": access, "expires_in": lifetime, "token_type": "Bearer", "scope": grant["scope"]}
        if "offline_access" in grant["scope"].split():
            refresh = secrets.token_hex(32)
            ids["refresh"][secret_hash(refresh)] = {"grant": grant_id, "created": ts, "superseded_at": None,
                                                    "exp": ts + REFRESH_TOKEN_DAYS * 86400}
            body["refresh_token"] = refresh
        if "openid" in grant["scope"].split():
            body["id_token"] = self.jwt(req, {"nbf": int(ts), "exp": int(ts) + 300, "aud": self.client_id,
                                              "sub": self.user_id, "xero_userid": self.user_id})
        return Response.json(200, body, {"Cache-Control": "no-store", "Pragma": "no-cache"})

    def make_access_token(self, req: Request, grant: dict, ts: float, lifetime: int) -> str:
        """JWT-shaped (default) or opaque access token."""
        if self.options.get("token_format", "jwt") == "opaque":
            return secrets.token_urlsafe(48)
        return self.jwt(req, {
            "nbf": int(ts), "exp": int(ts) + lifetime, "iss": f"{req.base_url}/identity",
            "aud": f"{req.base_url}/identity/resources", "client_id": self.client_id, "sub": self.user_id,
            "auth_time": int(grant["created"]), "xero_userid": self.user_id,
            "authentication_event_id": grant["auth_event_id"], "jti": secrets.token_hex(16),
            "scope": grant["scope"].split(),
        })

    @staticmethod
    def jwt(req: Request, claims: dict) -> str:
        """An unsigned-in-spirit JWT (random signature): clients may decode it, never verify it."""
        header = {"alg": "RS256", "kid": "sandbox", "typ": "JWT"}
        return ".".join([b64url(json.dumps(header).encode()), b64url(json.dumps(claims).encode()),
                         b64url(secrets.token_bytes(64))])

    def connect_tenants(self, ids: dict, event: str, now) -> None:
        """Consent connects every scenario tenant (existing connections are refreshed)."""
        stamp = dotnet_utc(now)
        for t in self.tenants:
            conn = next((c for c in ids["connections"] if c["tenantId"] == t["tenantId"]), None)
            if conn is None:
                ids["connections"].append({
                    "id": str(uuid.uuid4()), "authEventId": event, "tenantId": t["tenantId"],
                    "tenantType": t.get("tenantType", "ORGANISATION"), "tenantName": t["tenantName"],
                    "createdDateUtc": stamp, "updatedDateUtc": stamp,
                })
            else:
                conn["authEventId"] = event
                conn["updatedDateUtc"] = stamp

    def revocation(self, req: Request, ids: dict, now) -> Response:
        """``POST /connect/revocation``: revoke the grant behind a token and every connection."""
        f = self.form(req)
        if f.get("client_id") != self.client_id:
            return oauth_error("invalid_client")
        h = secret_hash(f.get("token", ""))
        rec = ids["refresh"].get(h) or ids["access"].get(h)
        if rec is not None:
            grant = ids["grants"].get(rec["grant"])
            if grant is not None:
                grant["revoked"] = True
            ids["connections"] = []
        return Response.empty(200)

    def prune(self, ids: dict, now) -> None:
        """Forget expired codes and tokens so the state stays small."""
        ts = now.timestamp()
        grace = float(self.options.get("refresh_grace_seconds", 1800))
        ids["codes"] = {k: v for k, v in ids["codes"].items() if v["exp"] > ts - 3600}
        ids["access"] = {k: v for k, v in ids["access"].items() if v["exp"] > ts - 3600}
        ids["refresh"] = {k: v for k, v in ids["refresh"].items()
                          if v["exp"] > ts and (v.get("superseded_at") is None or v["superseded_at"] > ts - grace - 3600)}

    # -- bearer checks and /connections ----------------------------------------------------------

    def bearer(self, req: Request, ids: dict, now) -> tuple[dict | None, Response | None]:
        """The grant behind the request's bearer token, or the 401 to send."""
        auth = req.headers.get("Authorization") or ""
        if not auth.lower().startswith("bearer ") or not auth[7:].strip():
            return None, problem(401, "Unauthorized", "AuthenticationUnsuccessful")
        rec = ids["access"].get(secret_hash(auth[7:].strip()))
        if rec is None:
            return None, problem(401, "Unauthorized", "AuthenticationUnsuccessful")
        grant = ids["grants"].get(rec["grant"])
        if rec["exp"] <= now.timestamp():
            at = datetime.fromtimestamp(float(rec["exp"]), timezone.utc).strftime("%m/%d/%Y %H:%M:%S")
            return None, problem(401, "Unauthorized", f"TokenExpired: token expired at {at}")
        if grant is None or grant["revoked"]:
            return None, problem(401, "Unauthorized", "AuthenticationUnsuccessful")
        return grant, None

    def tenant_connected(self, ids: dict, tenant_id: str) -> bool:
        """Whether the app is connected to ``tenant_id``."""
        return any(c["tenantId"].lower() == tenant_id.lower() for c in ids["connections"])

    def connections(self, req: Request, data: dict, now, extra_headers: dict) -> Response:
        """``GET /connections`` and ``DELETE /connections/{id}`` (path in any case)."""
        ids = data["identity"]
        _, fail = self.bearer(req, ids, now)
        if fail:
            return fail
        segs = [s for s in req.path.split("/") if s]
        if len(segs) == 1:
            if req.method != "GET":
                return Response.text(405, "Method Not Allowed")
            event = req.arg("authEventId", ci=True)
            rows = [c for c in ids["connections"] if event is None or c["authEventId"] == event]
            return Response.json(200, rows, extra_headers)
        if len(segs) == 2 and req.method == "DELETE":
            before = len(ids["connections"])
            ids["connections"] = [c for c in ids["connections"] if c["id"].lower() != segs[1].lower()]
            if len(ids["connections"]) == before:
                return Response.text(404, "Not Found", extra_headers)
            return Response.empty(204, extra_headers)
        return Response.text(405 if len(segs) == 2 else 404, "Not Found", extra_headers)

    def revoke_connection(self, ids: dict, tenant_id: str | None = None) -> int:
        """Test hook: disconnect one tenant (or all); returns how many connections went."""
        before = len(ids["connections"])
        ids["connections"] = [c for c in ids["connections"]
                              if tenant_id is not None and c["tenantId"].lower() != tenant_id.lower()]
        return before - len(ids["connections"])
