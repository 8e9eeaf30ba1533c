"""AutotaskClient: zone discovery, authenticated queries with paging, retries, typed errors."""

from __future__ import annotations

import re
import random
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx2

from depot_gui.autotask._mapping import Retry, error_text, map_error, network_error, transient_error, zone_error
from depot_gui.core import wire as _wire
from depot_gui.autotask.errors import (
    AutotaskError,
    AutotaskProtocolError,
    AutotaskQueryError,
    AutotaskServerError,
)
from depot_gui.autotask.models import AutotaskCredentials, Zone, url_origin

DEFAULT_ZONE_ROOT = "https://webservices.autotask.net"
MAX_RECORDS = 500
IN_BATCH_SIZE = 500
MATCH_ALL: dict[str, Any] = {"op": "exist", "field": "id"}

_ENTITY_RE = re.compile(r"^[A-Za-z][A-Za-z0-9]*$")

OnWait = Callable[[str, float], None]


def random_jitter(delay: float) -> float:
    """Random extra wait of up to a quarter of a back-off delay, so parallel clients spread out."""
    return random.uniform(0.0, delay / 4)


# Autotask serves at most 3 requests at once per integration code and endpoint (entity); more is
# refused with Itgenatr005, which the client waits out and retries.
THREADS_PER_ENDPOINT = 3


class AutotaskClient:
    """Synchronous Autotask REST client; safe to share between threads."""

    def __init__(
        self,
        credentials: AutotaskCredentials,
        *,
        zone_root: str = DEFAULT_ZONE_ROOT,
        transport: httpx2.BaseTransport | None = None,
        timeout: float = 30.0,
        on_wait: OnWait | None = None,
        sleep: Callable[[float], None] = time.sleep,
        max_attempts: int = 5,
        jitter: _wire.Jitter = random_jitter,
        zone: Zone | None = None,
        max_retry_after: float = 600.0,
        per_entity_concurrency: int = THREADS_PER_ENDPOINT,
    ) -> None:
        self.credentials = credentials
        self.zone_root = zone_root.rstrip("/")
        self.zone: Zone | None = zone
        self.server_date: datetime | None = None
        self.calls = 0
        self._on_wait = on_wait
        self._sleep = sleep
        self._max_attempts = max(1, max_attempts)
        self._jitter = jitter
        self._max_retry_after = max_retry_after
        self._per_entity = max(1, per_entity_concurrency)
        self._http = httpx2.Client(transport=transport, timeout=timeout, follow_redirects=False)
        self._state_lock = threading.Lock()
        self._zone_lock = threading.Lock()
        self._entity_locks: dict[str, threading.BoundedSemaphore] = {}

    # -- lifecycle -------------------------------------------------------------------------

    def close(self) -> None:
        """Close the underlying HTTP connection pool."""
        self._http.close()

    def __enter__(self) -> AutotaskClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"AutotaskClient(user={self.credentials.username!r}, zone={self.zone!r})"

    # -- public API ------------------------------------------------------------------------

    def discover_zone(self) -> Zone:
        """Ask zoneInformation (without credentials) where this API user's tenant lives."""
        url = f"{self.zone_root}/atservicesrest/v1.0/zoneInformation"
        params = {"user": self.credentials.username}
        try:
            data = self._call("GET", url, entity=None, auth=False, params=params)
        except AutotaskQueryError as exc:
            if "zone information" in exc.detail.lower() or not self.credentials.username:
                raise zone_error(self.credentials.username, exc.detail, exc.status) from None
            raise
        try:
            zone = Zone.from_json(data)
        except (KeyError, TypeError, ValueError) as exc:
            raise AutotaskProtocolError(
                "Autotask's zone lookup returned no usable address: try again, and report it "
                "if it keeps happening.",
                detail=str(exc),
            ) from None
        with self._state_lock:
            self.zone = zone
        return zone

    def query(
        self,
        entity: str,
        filters: Sequence[dict],
        *,
        include_fields: Sequence[str] | None = None,
    ) -> list[dict]:
        """Run ``POST {Entity}/query`` and follow every nextPageUrl (POSTing the same body)."""
        return list(self.iter_query(entity, filters, include_fields=include_fields))

    def iter_query(
        self,
        entity: str,
        filters: Sequence[dict],
        *,
        include_fields: Sequence[str] | None = None,
    ) -> Iterator[dict]:
        """Yield the items of a query page by page."""
        body: dict[str, Any] = {"filter": list(filters) or [dict(MATCH_ALL)], "MaxRecords": MAX_RECORDS}
        if include_fields:
            body["IncludeFields"] = list(include_fields)
        url = self._url(entity, "query")
        seen: set[str] = set()
        while True:
            data = self._call("POST", url, entity=entity, json_body=body)
            items = data.get("items")
            if not isinstance(items, list):
                raise self._protocol(f"{entity} query answer has no 'items' list")
            yield from items
            details = data.get("pageDetails") or {}
            next_url = details.get("nextPageUrl") if isinstance(details, dict) else None
            if not next_url:
                return
            url = self._checked_next_url(url, str(next_url), seen)

    def query_in(
        self,
        entity: str,
        field: str,
        values: Iterable[Any],
        *,
        extra: Sequence[dict] = (),
        include_fields: Sequence[str] | None = None,
    ) -> list[dict]:
        """Query ``field in values``, split into batches of at most 500 values per query."""
        unique = list(dict.fromkeys(values))
        results: list[dict] = []
        for start in range(0, len(unique), IN_BATCH_SIZE):
            batch = unique[start : start + IN_BATCH_SIZE]
            filters = [*extra, {"op": "in", "field": field, "value": batch}]
            results.extend(self.query(entity, filters, include_fields=include_fields))
        return results

    def get(self, entity: str, id: int) -> dict | None:
        """Fetch one record by id; a 404 or ``{"item": null}`` both mean None."""
        data = self._call("GET", self._url(entity, str(int(id))), entity=entity, allow_404=True)
        if data is None:
            return None
        item = data.get("item")
        if item is not None and not isinstance(item, dict):
            raise self._protocol(f"{entity}/{id} answer has a non-object 'item'")
        return item

    def count(self, entity: str, filters: Sequence[dict]) -> int:
        """Count matching records with ``query/count``."""
        body = {"filter": list(filters) or [dict(MATCH_ALL)]}
        data = self._call("POST", self._url(entity, "query/count"), entity=entity, json_body=body)
        try:
            return int(data["queryCount"])
        except (KeyError, TypeError, ValueError):
            raise self._protocol(f"{entity} count answer has no queryCount") from None

    def entity_information(self, entity: str) -> dict:
        """Return the ``info`` object of ``{Entity}/entityInformation`` (incl. userAccessFor*)."""
        data = self._call("GET", self._url(entity, "entityInformation"), entity=entity)
        info = data.get("info")
        if not isinstance(info, dict):
            raise self._protocol(f"{entity} entityInformation answer has no 'info'")
        return info

    def entity_fields(self, entity: str) -> list[dict]:
        """Return ``fields`` of ``{Entity}/entityInformation/fields`` (picklists included)."""
        data = self._call("GET", self._url(entity, "entityInformation/fields"), entity=entity)
        fields = data.get("fields")
        if not isinstance(fields, list):
            raise self._protocol(f"{entity} field information has no 'fields' list")
        return fields

    def patch(self, entity: str, fields: dict) -> int:
        """Sparse update ``PATCH {Entity}`` (``fields`` must hold "id"); returns itemId."""
        if "id" not in fields:
            raise ValueError("patch() needs the record's 'id' in fields")
        data = self._call("PATCH", self._url(entity), entity=entity, json_body=fields, read=False)
        try:
            return int(data["itemId"])
        except (KeyError, TypeError, ValueError):
            raise self._protocol(f"{entity} PATCH answer has no itemId") from None

    def threshold_information(self) -> dict:
        """Current request-threshold usage (externalRequestThreshold, currentTimeframeRequestCount...)."""
        return self._call("GET", self._url("ThresholdInformation"), entity="ThresholdInformation")

    def ping(self) -> dict:
        """A cheap authenticated call proving zone, credentials and integration code work."""
        return self.threshold_information()

    # -- URL building ----------------------------------------------------------------------

    def _base(self) -> str:
        zone = self.zone
        if zone is None:
            with self._zone_lock:
                zone = self.zone or self.discover_zone()
        return zone.api_base

    def _url(self, entity: str, suffix: str = "") -> str:
        if not _ENTITY_RE.match(entity):
            raise ValueError(f"not an Autotask entity name: {entity!r}")
        return self._base() + entity + (f"/{suffix}" if suffix else "")

    def _checked_next_url(self, current: str, next_url: str, seen: set[str]) -> str:
        absolute = urljoin(current, next_url)
        assert self.zone is not None
        if url_origin(absolute) != self.zone.origin:
            raise AutotaskProtocolError(
                "Autotask sent a paging link to a different server, so Depot GUI stopped "
                "rather than send the API credentials there: report this to support.",
                detail=f"nextPageUrl host {urlsplit(absolute).netloc!r}",
            )
        if absolute in seen:
            raise self._protocol("Autotask returned the same nextPageUrl twice (endless paging)")
        seen.add(absolute)
        return absolute

    # -- sending ---------------------------------------------------------------------------

    def _headers(self, auth: bool) -> dict[str, str]:
        headers = {"Accept": "application/json", "Content-Type": "application/json"}
        if auth:
            creds = self.credentials
            headers |= {
                "ApiIntegrationCode": creds.integration_code,
                "UserName": creds.username,
                "Secret": creds.secret,
            }
        return headers

    @contextmanager
    def _entity_slot(self, entity: str | None) -> Iterator[None]:
        if entity is None:
            yield
            return
        key = entity.lower()
        with self._state_lock:
            sem = self._entity_locks.setdefault(key, threading.BoundedSemaphore(self._per_entity))
        with sem:
            yield

    def _call(
        self,
        method: str,
        url: str,
        *,
        entity: str | None,
        json_body: Any = None,
        params: dict | None = None,
        auth: bool = True,
        read: bool = True,
        allow_404: bool = False,
    ) -> Any:
        """Send with retries; return parsed JSON (None for an allowed 404) or raise AutotaskError."""
        content = _wire.dumps(json_body) if json_body is not None else None
        rezoned = False
        attempt = 0
        while True:
            attempt += 1
            try:
                resp = self._send(method, url, entity, content, params, auth)
                if resp.status_code == 401 and auth and not rezoned:
                    rezoned = True
                    moved = self._moved_url(url)
                    if moved:
                        url = moved
                        attempt -= 1
                        continue
                return self._handle(resp, entity, read=read, allow_404=allow_404)
            except httpx2.TransportError as exc:
                error = network_error(exc, url, self._scrub)
                if (
                    not read
                    or attempt >= self._max_attempts
                    or isinstance(exc, (httpx2.UnsupportedProtocol, httpx2.LocalProtocolError))
                ):
                    raise error from None
                self._wait(_wire.backoff_delay(attempt, self._jitter), "Autotask did not answer; retrying")
            except Retry as retry:
                if attempt >= self._max_attempts:
                    raise retry.error from None
                delay = retry.retry_after
                if delay is None:
                    delay = _wire.backoff_delay(attempt, self._jitter)
                elif delay > self._max_retry_after:
                    raise retry.error from None
                self._wait(delay, retry.message)

    def _send(
        self,
        method: str,
        url: str,
        entity: str | None,
        content: str | None,
        params: dict | None,
        auth: bool,
    ) -> httpx2.Response:
        with self._state_lock:
            self.calls += 1
        with self._entity_slot(entity):
            resp = self._http.request(
                method, url, content=content, params=params, headers=self._headers(auth)
            )
        resp.read()
        date = _wire.parse_http_date(resp.headers.get("Date"))
        if date is not None:
            with self._state_lock:
                self.server_date = date
        return resp

    def _moved_url(self, url: str) -> str | None:
        """After a 401, re-check the zone once (tenant moved); return the rewritten URL if it moved."""
        old = self.zone
        if old is None or not url.lower().startswith(old.api_base.lower()):
            return None
        try:
            new = self.discover_zone()
        except AutotaskError:
            with self._state_lock:
                self.zone = old
            return None
        if new.api_base == old.api_base:
            return None
        return new.api_base + url[len(old.api_base) :]

    def _wait(self, seconds: float, message: str) -> None:
        if self._on_wait is not None:
            self._on_wait(message, seconds)
        self._sleep(seconds)

    def _handle(self, resp: httpx2.Response, entity: str | None, *, read: bool, allow_404: bool) -> Any:
        status = resp.status_code
        if 200 <= status < 300:
            return self._json(resp)
        if status == 404 and allow_404:
            return None
        text = self._scrub(error_text(resp))
        retry_after = _wire.parse_retry_after(resp.headers.get("Retry-After"), self.server_date or datetime.now(timezone.utc))
        transient = transient_error(status, text)
        if transient is not None:
            message, error = transient
            if read or not isinstance(error, AutotaskServerError):
                raise Retry(message, error, retry_after)
            raise error
        raise map_error(status, text, entity, self.credentials.username)

    def _json(self, resp: httpx2.Response) -> Any:
        try:
            data = _wire.loads(resp.content)
        except (ValueError, UnicodeDecodeError):
            raise self._protocol(f"HTTP {resp.status_code} body is not JSON") from None
        if not isinstance(data, dict):
            raise self._protocol("JSON answer is not an object")
        return data

    def _scrub(self, text: str) -> str:
        """Server text without our secret or integration code in it."""
        for value in (self.credentials.secret, self.credentials.integration_code):
            if value:
                text = text.replace(value, "***")
        return text

    def _protocol(self, detail: str) -> AutotaskProtocolError:
        return AutotaskProtocolError(detail=self._scrub(detail))
