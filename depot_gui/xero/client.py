"""XeroClient: Accounting API reads and writes over httpx2, with rate-limit waits and typed errors."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Iterable
from datetime import datetime, timezone
from typing import Any
from urllib.parse import quote

import httpx2

from depot_gui.core import wire as _wire
from depot_gui.xero._mapping import body_json, element_errors, status_error, transport_error
from depot_gui.xero.bulk import XeroBulk
from depot_gui.xero.finishing import XeroFinishing
from depot_gui.xero.query import check_idempotency_key, where_equals
from depot_gui.xero.throttle import Throttle, note_limits
from depot_gui.xero.dates import parse_xero_date, parse_xero_datetime
from depot_gui.xero.errors import (
    XeroError,
    XeroForbiddenError,
    XeroNotFoundError,
    XeroProtocolError,
    XeroValidationError,
)

__all__ = ["DEFAULT_API_ROOT", "XeroClient", "parse_xero_date", "parse_xero_datetime"]

DEFAULT_API_ROOT = "https://api.xero.com"
NUMBERS_PER_CALL = 40
PAGE_SIZE = 100
RATE_LIMIT_WAIT = "Waiting for Xero rate limit"
PACING_WAIT = "Xero allows 60 calls a minute; waiting"  # our own pacing, before Xero has to say 429
LIMIT_HEADERS = ("X-DayLimit-Remaining", "X-MinLimit-Remaining", "X-AppMinLimit-Remaining")

OnWait = Callable[[str, float], None]


def random_jitter(delay: float) -> float:
    """Random extra wait of up to a quarter of a back-off delay, so parallel clients spread out."""
    return random.uniform(0.0, delay / 4)


class XeroClient:
    """Synchronous Xero Accounting client for one tenant; safe to share between threads.

    ``bulk`` holds the month-end calls whose count does not grow per invoice (``xero.bulk``);
    ``finishing`` the steps after a sync: attachments, email, mark sent, online link (``xero.finishing``)."""

    def __init__(
        self,
        token: Callable[[], str],
        tenant_id: str | None,
        *,
        api_root: str = DEFAULT_API_ROOT,
        transport: httpx2.BaseTransport | None = None,
        timeout: float = 30.0,
        on_wait: OnWait | None = None,
        sleep: Callable[[float], None] = time.sleep,
        max_attempts: int = 5,
        jitter: _wire.Jitter = random_jitter,
        max_retry_after: float = 600.0,
        throttle: Throttle | None = None,
    ) -> None:
        self.tenant_id = tenant_id
        # Xero's 5-concurrent / 60-per-minute limits, kept before Xero has to answer 429.
        self.throttle = throttle or Throttle()
        self.api_root = api_root.rstrip("/")
        self.server_date: datetime | None = None
        self.calls = 0
        self.limits: dict[str, str] = {}
        self._token = token
        self._on_wait = on_wait
        self._sleep = sleep
        self._max_attempts = max(1, max_attempts)
        self._jitter = jitter
        self._max_retry_after = max_retry_after
        self._http = httpx2.Client(transport=transport, timeout=timeout, follow_redirects=False)
        self._lock = threading.Lock()
        self._last_token = ""
        self.bulk = XeroBulk(self)
        self.finishing = XeroFinishing(self)

    def close(self) -> None:
        """Close the underlying HTTP connection pool."""
        self._http.close()

    def __enter__(self) -> XeroClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"XeroClient(tenant_id={self.tenant_id!r}, api_root={self.api_root!r})"

    # -- identity / settings ------------------------------------------------------------------

    def connections(self) -> list[dict]:
        """Organisations this token may use (``GET /connections``; no tenant header)."""
        data = self._request("GET", f"{self.api_root}/connections", tenant=False, what="the connections")
        if not isinstance(data, list):
            raise XeroProtocolError(detail="/connections did not return a list")
        return data

    def organisation(self) -> dict:
        """The connected organisation (name, base currency, country, tax settings)."""
        return self._first(self.get("Organisation", "Organisations"), "the organisation")

    def currencies(self) -> list[dict]:
        """The currencies the organisation has added (``GET /Currencies``; the base one included)."""
        return self.get("Currencies", "Currencies")

    def accounts(self) -> list[dict]:
        """The chart of accounts."""
        return self.get("Accounts", "Accounts")

    def tax_rates(self) -> list[dict]:
        """Tax rates (TaxType codes, effective rates, CanApplyToRevenue...)."""
        return self.get("TaxRates", "TaxRates")

    def tracking_categories(self) -> list[dict]:
        """Active tracking categories with their active options (``GET /TrackingCategories``)."""
        return self.get("TrackingCategories", "TrackingCategories")

    # -- contacts -----------------------------------------------------------------------------

    def find_contacts(self, *, name: str | None = None, account_number: str | None = None) -> list[dict]:
        """Contacts whose Name and/or AccountNumber equal the given values exactly."""
        if name is None and account_number is None:
            raise ValueError("find_contacts() needs a name or an account_number")
        clause = (
            where_equals("Name", name)
            if name is not None
            else where_equals("AccountNumber", account_number or "")
        )
        found = self.get("Contacts", "Contacts", {"where": clause})
        if name is not None and account_number is not None:
            found = [c for c in found if c.get("AccountNumber") == account_number]
        return found

    def create_contact(self, contact: dict, idempotency_key: str) -> dict:
        """Create one contact (``PUT /Contacts``)."""
        return self._write("PUT", "Contacts", "Contacts", contact, idempotency_key, unitdp=False)

    # -- invoices -----------------------------------------------------------------------------

    def invoices_by_number(self, numbers: Iterable[str], include_deleted: bool = False) -> list[dict]:
        """Non-deleted invoices with these InvoiceNumbers, ≤40 numbers per call, unit amounts at 4 dp
        (deleted ones too with ``include_deleted``: a write path needs to see its deleted drafts)."""
        wanted = [n for n in dict.fromkeys(numbers) if n]
        plain = [n for n in wanted if "," not in n]
        found: list[dict] = []
        for start in range(0, len(plain), NUMBERS_PER_CALL):
            chunk = plain[start : start + NUMBERS_PER_CALL]
            params = {"InvoiceNumbers": ",".join(chunk), "unitdp": "4"}
            if not include_deleted:
                params["where"] = 'Status!="DELETED"'
            found.extend(self.get_pages("Invoices", "Invoices", params))
        for number in (n for n in wanted if "," in n):
            params = {"where": where_equals("InvoiceNumber", number), "unitdp": "4"}
            found.extend(self.get_pages("Invoices", "Invoices", params))
        return [inv for inv in found if include_deleted or inv.get("Status") != "DELETED"]

    def invoices_by_ids(self, invoice_ids: Iterable[str]) -> list[dict]:
        """Invoices with these InvoiceIDs, any status, ≤40 ids per call (``GET /Invoices?IDs=``).

        Unpaged, so Xero answers without line items: what payments back needs (Status,
        AmountPaid, AmountDue, DueDate, FullyPaidOnDate, Reference) at 1 call per 40 invoices.
        """
        wanted = [i for i in dict.fromkeys(str(i) for i in invoice_ids if i) if "," not in i]
        found: list[dict] = []
        for start in range(0, len(wanted), NUMBERS_PER_CALL):
            found.extend(self.get("Invoices", "Invoices", {"IDs": ",".join(wanted[start : start + NUMBERS_PER_CALL])}))
        return found

    def get_invoice(self, invoice_id: str) -> dict:
        """One invoice by InvoiceID, unit amounts at 4 dp (XeroNotFoundError if absent)."""
        path = f"Invoices/{quote(str(invoice_id), safe='')}"
        return self._first(self.get(path, "Invoices", {"unitdp": "4"}), f"invoice {invoice_id}")

    def create_invoice(self, invoice: dict, idempotency_key: str) -> dict:
        """Create one invoice (``PUT /Invoices?unitdp=4``); never retried except after a 429."""
        return self._write("PUT", "Invoices", "Invoices", invoice, idempotency_key)

    def update_invoice(self, invoice_id: str, invoice: dict, idempotency_key: str) -> dict:
        """Update one invoice (``POST /Invoices/{id}?unitdp=4``)."""
        path = f"Invoices/{quote(str(invoice_id), safe='')}"
        return self._write("POST", path, "Invoices", invoice, idempotency_key)

    # -- credit notes -------------------------------------------------------------------------

    def create_credit_note(self, note: dict, idempotency_key: str) -> dict:
        """Create one credit note (``PUT /CreditNotes?unitdp=4``)."""
        return self._write("PUT", "CreditNotes", "CreditNotes", note, idempotency_key)

    def update_credit_note(self, credit_note_id: str, note: dict, idempotency_key: str) -> dict:
        """Update one credit note (``POST /CreditNotes/{id}?unitdp=4``)."""
        path = f"CreditNotes/{quote(str(credit_note_id), safe='')}"
        return self._write("POST", path, "CreditNotes", note, idempotency_key)

    # -- limits -------------------------------------------------------------------------------

    @property
    def day_remaining(self) -> int | None:
        """Calls left today for this organisation, from the last answer's ``X-DayLimit-Remaining``."""
        return _int(self.limits.get("X-DayLimit-Remaining"))

    @property
    def minute_remaining(self) -> int | None:
        """Calls left this minute, from the last answer's ``X-MinLimit-Remaining``."""
        return _int(self.limits.get("X-MinLimit-Remaining"))

    # -- calls the bulk lookups and creates are made of --------------------------------------

    def get(self, path: str, key: str, params: dict | None = None, headers: dict | None = None) -> list[dict]:
        """``GET`` one unpaged list; the records under ``key``."""
        data = self._request("GET", self._url(path), params=params, headers=headers, what=path)
        return self._records(data, key)

    def call(self, method: str, path: str, *, body: Any = None, raw: bytes | None = None, headers: dict | None = None,
             params: dict | None = None, idempotency_key: str | None = None) -> Any:
        """One call under the retry policy (``raw``: bytes sent as they are); the JSON answer, {} when empty."""
        return self._request(method, self._url(path), params=params, body=body, raw=raw, key=idempotency_key,
                             headers=headers, what=path)

    def put_records(self, key: str, records: list[dict], idempotency_key: str, params: dict) -> list[dict]:
        """``PUT /{key}`` of several records under one Idempotency-Key; Xero's answer, one element each."""
        check_idempotency_key(idempotency_key)
        data = self._request("PUT", self._url(key), params=params, body={key: records}, key=idempotency_key, what=key)
        return self._records(data, key)

    def get_pages(self, path: str, key: str, params: dict, headers: dict | None = None) -> list[dict]:
        """All pages of a paged list (paging also makes Xero include line items)."""
        found: list[dict] = []
        page = 1
        while True:
            data = self._request(
                "GET", self._url(path), params={**params, "page": str(page)}, headers=headers, what=path
            )
            records = self._records(data, key)
            found.extend(records)
            pagination = data.get("pagination") if isinstance(data, dict) else None
            if isinstance(pagination, dict) and pagination.get("pageCount") is not None:
                more = page < int(pagination["pageCount"])
            else:
                more = len(records) >= PAGE_SIZE
            if not more or not records:
                return found
            page += 1

    # -- plumbing -----------------------------------------------------------------------------

    def _url(self, path: str) -> str:
        return f"{self.api_root}/api.xro/2.0/{path}"

    def _write(
        self, method: str, path: str, key: str, record: dict, idempotency_key: str, unitdp: bool = True
    ) -> dict:
        check_idempotency_key(idempotency_key)
        params = {"unitdp": "4"} if unitdp else None
        data = self._request(
            method, self._url(path), params=params, body={key: [record]}, key=idempotency_key, what=path
        )
        element = self._first(self._records(data, key), path)
        problems = element_errors(element)
        if problems:
            raise XeroValidationError(problems, status=200)
        return element

    @staticmethod
    def _records(data: Any, key: str) -> list[dict]:
        records = data.get(key) if isinstance(data, dict) else None
        if not isinstance(records, list):
            raise XeroProtocolError(detail=f"answer has no '{key}' list")
        return records

    @staticmethod
    def _first(records: list[dict], what: str) -> dict:
        if not records:
            raise XeroNotFoundError(f"Xero could not find {what}: refresh and try again.")
        return records[0]

    def _headers(self, token: str, *, tenant: bool, key: str | None, has_body: bool) -> dict[str, str]:
        headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        if tenant:
            if not self.tenant_id:
                raise XeroForbiddenError(
                    "No Xero organisation is selected: choose one in Settings › Connections."
                )
            headers["xero-tenant-id"] = self.tenant_id
        if has_body:
            headers["Content-Type"] = "application/json"
        if key is not None:
            headers["Idempotency-Key"] = key
        return headers

    def _request(
        self,
        method: str,
        url: str,
        *,
        params: dict | None = None,
        body: Any = None,
        raw: bytes | None = None,
        key: str | None = None,
        tenant: bool = True,
        what: str = "the record",
        headers: dict | None = None,
    ) -> Any:
        """Send with the retry policy (reads: 429/5xx/network; writes: 429 only); return JSON."""
        write = method in ("PUT", "POST", "PATCH", "DELETE")
        content = raw if raw is not None else _wire.dumps(body) if body is not None else None
        reauthed = False
        attempt = 0
        while True:
            attempt += 1
            token = self._token()
            self._last_token = token
            sent = {**self._headers(token, tenant=tenant, key=key, has_body=content is not None), **(headers or {})}
            with self._lock:
                self.calls += 1
            throttle = self.throttle if tenant else None
            try:
                if throttle is None:
                    resp = self._http.request(method, url, params=params, content=content, headers=sent)
                    resp.read()
                else:
                    with throttle.slot(lambda s: self._wait(s, PACING_WAIT)):
                        resp = self._http.request(method, url, params=params, content=content, headers=sent)
                        resp.read()
            except httpx2.TransportError as exc:
                error = transport_error(exc, url, write=write, scrub=self._scrub)
                if write or attempt >= self._max_attempts or isinstance(exc, httpx2.UnsupportedProtocol):
                    raise error from None
                self._wait(_wire.backoff_delay(attempt, self._jitter), "Xero did not answer; retrying")
                continue
            self._note(resp)
            status = resp.status_code
            if 200 <= status < 300:
                return self._json(resp)
            if status == 401 and not reauthed and self._token() != token:
                reauthed, attempt = True, attempt - 1
                continue
            day_limit = status == 429 and resp.headers.get("X-Rate-Limit-Problem", "").lower() == "day"
            retryable = (status == 429 and not day_limit) or (not write and status >= 500 and status != 501)
            if not retryable or attempt >= self._max_attempts:
                raise self._scrubbed(status_error(resp, write=write, what=what))
            delay = _wire.parse_retry_after(resp.headers.get("Retry-After"), self.server_date or datetime.now(timezone.utc))
            if delay is not None and delay > self._max_retry_after:
                raise self._scrubbed(status_error(resp, write=write, what=what))
            if delay is None:
                delay = _wire.backoff_delay(attempt, self._jitter)
            message = RATE_LIMIT_WAIT if status == 429 else f"Xero is busy (HTTP {status}); retrying"
            self._wait(delay, message)

    def _note(self, resp: httpx2.Response) -> None:
        date = _wire.parse_http_date(resp.headers.get("Date"))
        with self._lock:  # answers to calls side by side come in any order: the latest Xero gave is kept
            self.server_date = note_limits(self.limits, resp.headers, LIMIT_HEADERS, date, self.server_date)

    def _json(self, resp: httpx2.Response) -> Any:
        if not resp.content.strip():
            return {}
        data = body_json(resp)
        if data is None:
            raise XeroProtocolError(detail=f"HTTP {resp.status_code} body is not JSON")
        return data

    def _wait(self, seconds: float, message: str) -> None:
        if self._on_wait is not None:
            self._on_wait(message, seconds)
        self._sleep(seconds)

    def _scrub(self, text: str) -> str:
        token = self._last_token
        return text.replace(token, "***") if token else text

    def _scrubbed(self, error: XeroError) -> XeroError:
        error.detail = self._scrub(error.detail)
        if isinstance(error, XeroValidationError):
            error.messages = [self._scrub(m) for m in error.messages]
        error.user_message = self._scrub(error.user_message)
        error.args = (error.user_message,)
        return error


def _int(text: str | None) -> int | None:
    try:
        return int(str(text).strip()) if text is not None else None
    except ValueError:
        return None
