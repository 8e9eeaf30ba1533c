"""The real in-process sandbox transport, seen from the wire: every Xero write's body and headers.

``Wire`` forwards every request unchanged to the sandbox and keeps what the app sent, so a test
can assert on the body of a PUT (which invoices it carried) and on the headers (keys,
If-Modified-Since). ``before_put`` lets a test act in Xero right before a PUT lands (another
desk, another app), through the same sandbox.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

import httpx2

from depot_gui.sync.session.connections import SANDBOX_ROOT, scenario_connections
from depot_gui.sync.session.session import Session


@dataclass
class Sent:
    method: str
    resource: str  # "Invoices", "Invoices/<id>", "Accounts", ...
    headers: dict
    body: dict | None
    status: int | None = None

    @property
    def numbers(self) -> list[str]:
        key = self.resource.split("/")[0]
        return [d.get("InvoiceNumber") or d.get("CreditNoteNumber") for d in (self.body or {}).get(key, [])]


class Wire(httpx2.BaseTransport):
    def __init__(self, inner: httpx2.BaseTransport) -> None:
        self.inner = inner
        self.sent: list[Sent] = []
        self.before_put: Callable[[httpx2.Request], None] | None = None

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        request.read()
        path = request.url.path
        if "/api.xro/2.0/" in path:
            body = json.loads(request.content) if request.content else None
            sent = Sent(request.method, path.split("/api.xro/2.0/", 1)[1], dict(request.headers), body)
            self.sent.append(sent)
            if request.method == "PUT" and self.before_put is not None:
                hook, self.before_put = self.before_put, None
                hook(request)
            response = self.inner.handle_request(request)
            sent.status = response.status_code
            return response
        return self.inner.handle_request(request)

    def puts(self, resource: str = "Invoices") -> list[Sent]:
        """The app's own PUTs (its keys start with ``depot-``) to ``resource``."""
        return [s for s in self.sent if s.method == "PUT" and s.resource == resource
                and s.headers.get("idempotency-key", "").startswith("depot-")]

    def side_request(self, like: httpx2.Request, body: dict, key: str) -> httpx2.Response:
        """Another writer's PUT to the same resource (same credentials), straight to the sandbox."""
        headers = {k: v for k, v in like.headers.items() if k.lower() not in ("content-length", "idempotency-key")}
        headers["Idempotency-Key"] = key
        other = httpx2.Request(like.method, like.url, headers=headers, content=json.dumps(body).encode())
        other.read()
        response = self.inner.handle_request(other)
        response.read()
        return response


def open_desk(data_dir, scenario, sandbox=None) -> tuple[Session, Wire]:
    """A session whose clients talk to the sandbox through a ``Wire`` (waits skipped).

    The clients' waits and the syncer's between look-ups after a write without an answer (0.5 s, then
    2 s) are skipped: the in-process sandbox has applied a write before it answers, so the look-ups find
    the same with or without them, only later (7.5 s of the suite's time)."""
    session = Session.open(data_dir, scenario)
    sb = sandbox or session.sandbox
    wire = Wire(sb.transport())
    session._conn = scenario_connections(sb.scenario_path, SANDBOX_ROOT, wire, sleep=lambda s: None, sandbox=sb,
                                         attachments=session.store.settings().attach_autotask_pdf)
    make = session.syncer

    def syncer(*args, **kwargs):
        made = make(*args, **kwargs)
        made.reconciler.sleep = lambda seconds: None
        return made

    session.syncer = syncer
    return session, wire


def live(session, number: str) -> list[dict]:
    return [d for d in session.sandbox.state()["xero"]["Invoices"]
            if d["InvoiceNumber"] == number and d["Status"] != "DELETED"]
