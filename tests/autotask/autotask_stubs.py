"""Stub-transport helpers for AutotaskClient tests."""

from __future__ import annotations

import json
from collections.abc import Callable

import httpx2

from depot_gui.autotask import AutotaskClient, AutotaskCredentials, Zone

SECRET = "Sup3r-S3cret-Value!"
CREDS = AutotaskCredentials("api@example.test", SECRET, "INTEGRATION-CODE-27-CHARS-X")
HOST = "ws5.example.test"
BASE = f"https://{HOST}/ATServicesRest/V1.0/"
ZONE = Zone(name="Z5", url=f"https://{HOST}/ATServicesRest/", web_url="", ci=7, api_base=BASE)
DATE = "Fri, 31 May 2024 12:00:00 GMT"


def reply(status: int = 200, body: object = None, headers: dict | None = None, text: str | None = None):
    """An httpx2.Response with a JSON (or raw text) body and a Date header."""
    hdrs = {"Date": DATE, **(headers or {})}
    if text is not None:
        return httpx2.Response(status, text=text, headers=hdrs)
    return httpx2.Response(status, content=json.dumps(body if body is not None else {}), headers=hdrs)


class Recorder:
    """Wraps a handler, recording every request it saw."""

    def __init__(self, handler: Callable[[httpx2.Request], httpx2.Response]) -> None:
        self.handler = handler
        self.requests: list[httpx2.Request] = []

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        request.read()
        self.requests.append(request)
        return self.handler(request)


def make_client(handler, *, zone: Zone | None = ZONE, **kwargs):
    """Client on a MockTransport with recorded sleeps/waits and no jitter."""
    rec = Recorder(handler)
    sleeps: list[float] = []
    waits: list[tuple[str, float]] = []
    client = AutotaskClient(
        CREDS,
        zone_root="https://bootstrap.example.test",
        transport=httpx2.MockTransport(rec),
        zone=zone,
        sleep=sleeps.append,
        on_wait=lambda msg, secs: waits.append((msg, secs)),
        jitter=lambda delay: 0.0,
        **kwargs,
    )
    client.rec, client.sleeps, client.waits = rec, sleeps, waits  # type: ignore[attr-defined]
    return client


def page(items: list, next_url: str | None = None) -> dict:
    """A query answer envelope."""
    return {
        "items": items,
        "pageDetails": {
            "count": len(items),
            "requestCount": 500,
            "prevPageUrl": None,
            "nextPageUrl": next_url,
        },
    }
