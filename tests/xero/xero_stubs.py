"""Stub-transport helpers for XeroClient / OAuth tests."""

from __future__ import annotations

import json

import httpx2

from depot_gui.xero import XeroClient

ROOT = "https://api.xero.test"
TENANT = "11111111-2222-3333-4444-555555555555"
TOKEN = "eyJ-access-token-SECRET-abc123"
DATE = "Fri, 31 May 2024 12:00:00 GMT"


def reply(status: int = 200, body: object = None, headers: dict | None = None, text: str | None = None):
    """An httpx2.Response with a JSON (or raw text) body and a Date header."""
    hdrs = {"Date": DATE, **(headers or {})}
    if text is not None:
        return httpx2.Response(status, text=text, headers=hdrs)
    return httpx2.Response(status, content=json.dumps(body if body is not None else {}), headers=hdrs)


def sequence(*answers):
    """Handler giving answers in order (exceptions raised); records requests on .requests."""
    queue = list(answers)

    def handler(req: httpx2.Request):
        req.read()
        handler.requests.append(req)
        item = queue.pop(0)
        if isinstance(item, Exception):
            raise item
        return item(req) if callable(item) else item

    handler.requests = []
    return handler


def make_client(handler, **kwargs) -> XeroClient:
    """XeroClient on a MockTransport with recorded sleeps/waits and no jitter."""
    sleeps: list[float] = []
    waits: list[tuple[str, float]] = []
    client = XeroClient(
        lambda: TOKEN,
        TENANT,
        api_root=ROOT,
        transport=httpx2.MockTransport(handler),
        sleep=sleeps.append,
        on_wait=lambda msg, secs: waits.append((msg, secs)),
        jitter=lambda delay: 0.0,
        **kwargs,
    )
    client.sleeps, client.waits, client.handler = sleeps, waits, handler  # type: ignore[attr-defined]
    return client
