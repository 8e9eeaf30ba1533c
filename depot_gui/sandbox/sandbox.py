"""The Sandbox: one scenario, its state, the three simulated services, faults and limits."""

from __future__ import annotations

import base64
import copy
import time
from pathlib import Path

import httpx2

from depot_gui.sandbox.autotask.api import AutotaskAPI
from depot_gui.sandbox.clock import Clock, http_date, parse_iso
from depot_gui.sandbox.faults import match_fault, status_response
from depot_gui.sandbox.http.messages import ConnectionDropped, Headers, NoAnswer, Request, Response
from depot_gui.sandbox.limits import ConcurrencyGate
from depot_gui.sandbox.scenario import load_scenario, scenario_hash
from depot_gui.sandbox.state import StateStore
from depot_gui.sandbox.xero.api import XeroAPI
from depot_gui.sandbox.xero.identity import XeroIdentity

# The state sections each service's requests may change (the rest is read-only to them).
SECTIONS: dict[str | None, tuple[str, ...]] = {
    "autotask": ("autotask",), "identity": ("identity",), "xero": ("xero", "identity"), None: ()}

# What each service's requests may change, compared whole at the end of a request (StateStore's
# ``touch``): the parts that stay small. The records they change among many (an Autotask record's
# changed fields, a Xero tenant's documents) the services name on the request (``Request.changed``).
TOUCH: dict[str | None, tuple] = {
    "autotask": (("autotask", "hourly"), ("autotask", "pending_seen"), ("autotask", "attached")),
    "identity": ("identity",), "xero": ("identity", ("xero", "limits")), None: ()}

# Whose ``latency`` (scenario) each kind of request pays: Xero's identity service is Xero's.
LATENCY_OF = {"autotask": "autotask", "xero": "xero", "identity": "xero"}

DEFAULT_OPTIONS = {
    "missing_by_id": "404",              # "404" | "null": GET {E}/{id} for a missing/hidden id
    "timestamps": "naive",               # "naive" | "z": Autotask datetime wire form
    "api_version_entry": "1.0",          # "1.0" | "v1.0": versioninformation's apiVersions entry
    "missing_value": "zero",             # "zero" | "null": a filter whose value a client dropped
    "in_limit": 500,                     # max OR conditions (in-list values) per query; None = no limit
    "empty_filter": "error",             # "error" | "all": a query without filter conditions
    "org_structure": "on",               # "on" | "off_empty" | "off_error": Organizational Structure
                                         # switched off; the associations query answers [] or a 400
                                         # naming the module (reference §4.4 step 2, uncertain)
    "thread_limit_status": 429,          # HTTP status of the Itgenatr005 thread-limit error
    "autotask_thread_limit": 3,          # concurrent requests per (integration code, endpoint)
    "autotask_hourly_threshold": 10000,  # requests per rolling 60 minutes
    "xero_daily_limit": 5000,            # 5000 | 1000 (Starter tier)
    "xero_minute_limit": 60,
    "xero_concurrent_limit": 5,
    "xero_app_minute_limit": 10000,
    "idempotency_window_seconds": 360,
    "require_due_date_to_approve": True,  # AUTHORISED invoices need a DueDate
    "redirect_127": "reject",            # "reject" | "accept": http://127.0.0.1 redirect URIs
    "token_format": "jwt",               # "jwt" | "opaque" access tokens
    "code_lifetime_seconds": 300,
    "access_token_seconds": 1800,
    "refresh_grace_seconds": 1800,
    "hold_seconds": 120.0,               # loopback: longest a timeout_after_commit connection is held
    "autotask_paid_date_writable": True,  # Invoices.paidDate isReadOnly false (True) or true (False)
    "autotask_invoice_pdf_wrapped": False,  # Invoices/{id}/InvoicePdf: the file model bare or in "item"
    "xero_attachment_max_bytes": 10 * 1024 * 1024,  # one attachment at most (Xero: 10 MB)
    "xero_attachments_per_document": 10,   # attachments on one document at most
    "xero_daily_email_limit": 1000,        # invoice emails per organisation per UTC day
}


# Request headers that change what a request means: kept in the request log.
LOGGED_HEADERS = ("If-Modified-Since", "Idempotency-Key")


class Sandbox:
    """A faithful Autotask + Xero + Xero identity simulator loaded from a scenario file."""

    def __init__(self, scenario_path: str | Path, state_dir: Path | None = None, **options) -> None:
        unknown = set(options) - set(DEFAULT_OPTIONS)
        if unknown:
            raise ValueError(f"unknown sandbox option(s): {', '.join(sorted(unknown))}")
        self.scenario_path = Path(scenario_path)
        self.scenario = load_scenario(self.scenario_path)
        self.options = dict(DEFAULT_OPTIONS, **options)
        self.autotask = AutotaskAPI(self.scenario, self.options)
        self.identity = XeroIdentity(self.scenario, self.options)
        self.xero = XeroAPI(self.scenario, self.options, self.identity)
        self.gate = ConcurrencyGate()
        self.scenario_faults = list(self.scenario.get("faults", []))
        self.latency = {k: float(v) for k, v in self.scenario.get("latency", {}).items()}
        self.store = StateStore(state_dir, scenario_hash(self.scenario_path), self._initial_state)
        self._servers: list = []

    @classmethod
    def open(cls, scenario_path: str | Path, state_dir: Path | None = None, **options) -> "Sandbox":
        """Load the scenario and resume (or start) its state; ``state_dir`` None keeps it in memory."""
        return cls(scenario_path, state_dir, **options)

    def _initial_state(self) -> dict:
        """A fresh state document (clock anchored now)."""
        clock = Clock(parse_iso(self.scenario["now"]), time.time())
        now = clock.now()
        return {
            "clock": clock.to_dict(),
            "autotask": AutotaskAPI.initial_state(),
            "identity": XeroIdentity.initial_state(),
            "xero": self.xero.initial_state(now),
            "faults": {"added": [], "counters": {}},
            "requests": [],
        }

    # -- clock and hooks -------------------------------------------------------------------------

    def _clock(self, data: dict) -> Clock:
        """The persisted clock."""
        return Clock.from_dict(data["clock"])

    def now(self):
        """Scenario time now (aware UTC datetime)."""
        with self.store.transaction(()) as data:
            return self._clock(data).now()

    def advance_clock(self, seconds: float) -> None:
        """Test hook: move the scenario clock forward (token expiry, grace periods, windows)."""
        with self.store.transaction(("clock",)) as data:
            data["clock"]["offset"] = float(data["clock"].get("offset", 0)) + seconds

    def add_fault(self, fault: dict) -> None:
        """Test hook: inject a fault (same shape as the scenario's ``faults`` entries)."""
        from depot_gui.sandbox.scenario import Validator
        Validator(Path("<add_fault>")).fault(fault, "$")
        with self.store.transaction(("faults",)) as data:
            data["faults"]["added"].append(dict(fault))

    def set_option(self, name: str, value) -> None:
        """Test hook: switch one option (see DEFAULT_OPTIONS)."""
        if name not in DEFAULT_OPTIONS:
            raise ValueError(f"unknown sandbox option: {name}")
        self.options[name] = value

    def attach_pending(self, billing_item_id: int | None = None) -> None:
        """Test hook: finish attaching one pending billing item (or all of them) at once."""
        with self.store.transaction(("autotask",)) as data:
            ids = [billing_item_id] if billing_item_id is not None else list(self.autotask.pending)
            for i in ids:
                if i not in data["autotask"]["attached"]:
                    data["autotask"]["attached"].append(i)

    def pay_invoice(self, ref: str, amount=None, on=None, tenant_id: str | None = None) -> dict:
        """Test hook: finance records a payment in Xero on an approved invoice (by number or InvoiceID).

        ``amount`` None pays what is due; ``on`` is the payment date (default: scenario today).
        Paying the whole amount due makes the invoice PAID with ``FullyPaidOnDate``. Xero's
        refusals (not approved, more than is due) raise PaymentRefused. Returns the payment.
        """
        from depot_gui.sandbox.xero.document_rules import INVOICE
        from depot_gui.sandbox.xero.document_routes import XeroDocuments
        from depot_gui.sandbox.xero.payments import pay

        with self.store.transaction(("xero",)) as data:
            now = self._clock(data).now()
            tid = (tenant_id or self.scenario["xero"]["tenants"][0]["tenantId"]).lower()
            doc = XeroDocuments.find_doc(INVOICE, data["xero"]["tenants"][tid]["Invoices"], str(ref))
            if doc is None:
                raise KeyError(f"no Xero invoice {ref}")
            return dict(pay(doc, amount, on, now))

    def mutate_autotask(self, entity: str, item_id: int, fields: dict) -> None:
        """Test hook: change an Autotask record as if someone edited it in Autotask (any field)."""
        canon = self.autotask.by_lower.get(entity.lower())
        if canon is None or item_id not in self.autotask.index[canon]:
            raise KeyError(f"no {entity} record with id {item_id}")
        with self.store.transaction(("autotask",)) as data:
            bucket = data["autotask"]["changes"].setdefault(canon, {}).setdefault(str(item_id), {})
            bucket.update(fields)

    def set_invoice_pdf(self, invoice_id: int, data: bytes) -> None:
        """Test hook: the bytes Autotask's ``Invoices/{id}/InvoicePdf`` answers for ``invoice_id``."""
        with self.store.transaction(("autotask",)) as state:
            state["autotask"].setdefault("pdfs", {})[str(invoice_id)] = base64.b64encode(data).decode("ascii")

    def revoke_connection(self, tenant_id: str | None = None) -> int:
        """Test hook: disconnect a tenant (all when None) as if the user removed the app in Xero."""
        with self.store.transaction(("identity",)) as data:
            return self.identity.revoke_connection(data["identity"], tenant_id)

    def state(self) -> dict:
        """The scenario format with everything created or changed, plus ``requests`` oldest first."""
        with self.store.transaction(()) as data:
            out = {k: copy.deepcopy(v) for k, v in self.scenario.items() if k not in ("autotask", "xero", "faults")}
            out["now"] = self._clock(data).now().isoformat().replace("+00:00", "Z")
            out["autotask"] = copy.deepcopy(self.autotask.state_view(data["autotask"]))
            out["xero"] = copy.deepcopy(self.xero.state_view(data["xero"]))
            out["faults"] = copy.deepcopy(self.scenario_faults + data["faults"]["added"])
            out["requests"] = copy.deepcopy(data["requests"])
            return out

    # -- request handling ------------------------------------------------------------------------

    def classify(self, req: Request) -> str | None:
        """Which service a request is for: ``autotask``, ``xero``, ``identity`` or None."""
        if AutotaskAPI.matches(req):
            return "autotask"
        if XeroIdentity.matches(req):
            return "identity"
        if XeroAPI.matches(req):
            return "xero"
        return None

    def handle(self, method: str, url: str, headers, body: bytes = b"", *,
               read_timeout: float | None = None) -> Response:
        """Answer one request; raises ConnectionDropped / NoAnswer for faults that withhold the answer."""
        req = Request(method, url, headers if isinstance(headers, Headers) else Headers(headers), body or b"",
                      read_timeout)
        api = self.classify(req)
        key, limit, refuse = None, 0, None
        if api == "autotask":
            key, limit = self.autotask.concurrency_key(req), int(self.options["autotask_thread_limit"])
            refuse = self.autotask.thread_limit_response
        elif api == "xero":
            key, limit = XeroAPI.concurrency_key(req), int(self.options["xero_concurrent_limit"])
            refuse = self.xero.concurrency_response
        latency = self.latency.get(LATENCY_OF.get(api), 0.0)
        with self.gate.slot(key, limit) as acquired:
            if latency > 0:  # the service's round trip, holding its slot (outside the state lock); a sleep
                time.sleep(latency)  # of 0 would still give the CPU away on a busy machine
            if not acquired:
                return self._answer(api, req, lambda data, now: refuse())
            touch = TOUCH[api] + ("faults",)
            with self.store.transaction(touch) as data:  # one transaction for the usual request
                fault = self._take_fault(api, req, data)
                if fault is None:
                    return self._answer(api, req, None)
                kind = fault["kind"]
                if kind == "status":
                    return self._answer(api, req, lambda data, now: status_response(api, fault), fault=kind)
            if kind == "drop":
                self._log_only(api, req, None, kind)
                raise ConnectionDropped()
            if kind == "delay":
                seconds = float(fault["seconds"])
                if read_timeout is not None and seconds > read_timeout:
                    time.sleep(read_timeout)
                    resp = self._answer(api, req, None, fault=kind)
                    raise NoAnswer("delay", resp)
                time.sleep(seconds)
                return self._answer(api, req, None, fault=kind)
            if kind == "partial_commit":
                req.element_limit = int(fault["elements"])
                if api != "xero" and req.element_limit == 0:  # one record per call: nothing applied
                    self._log_only(api, req, None, kind)
                    raise NoAnswer(kind)
                if api != "xero":
                    req.element_limit = None
            resp = self._answer(api, req, None, fault=kind, log_status=False)
            raise NoAnswer(kind, resp)

    def _answer(self, api: str | None, req: Request, run=None, *, fault: str | None = None,
                log_status: bool = True) -> Response:
        """Route (or ``run(data, now)``) inside one state transaction, stamp ``Date``, log the request."""
        with self.store.transaction(TOUCH[api]) as data:
            now = self._clock(data).now()
            if run is None:
                resp = self._route(api, req, {k: data[k] for k in SECTIONS[api]}, now)
                self.store.mark(req.changed)
            else:
                resp = run(data, now)
            resp.headers["Date"] = http_date(now)
            if api == "xero" or api == "identity":
                resp.headers.setdefault("Xero-Correlation-Id", _correlation())
            self.store.log(self._log_entry(api, req, resp.status if log_status else None, fault))
            return resp

    def _log_only(self, api: str | None, req: Request, status: int | None, fault: str) -> None:
        """Record a request that got no answer."""
        with self.store.transaction(()):
            self.store.log(self._log_entry(api, req, status, fault))

    def _log_entry(self, api: str | None, req: Request, status: int | None, fault: str | None) -> dict:
        """One ``requests`` entry: api, method, path, status; then what else changes the request's meaning.

        ``query`` (the query string as sent) when there is one, ``headers`` (``If-Modified-Since``,
        ``Idempotency-Key``) when sent, ``elements`` (documents in the body) for a Xero batch write,
        ``fault`` when one fired.
        """
        entry: dict = {"api": api, "method": req.method, "path": req.path, "status": status}
        if req.query_string:
            entry["query"] = req.query_string
        headers = {name: req.headers.get(name) for name in LOGGED_HEADERS if name in req.headers}
        if headers:
            entry["headers"] = headers
        if api == "xero":
            count = self.xero.batch_size(req)
            if count is not None:
                entry["elements"] = count
        if fault:
            entry["fault"] = fault
        return entry

    def _route(self, api: str | None, req: Request, data: dict, now) -> Response:
        """Hand the request to its service (``data`` holds only the sections that service may change)."""
        if api == "autotask":
            return self.autotask.handle(req, data, now)
        if api == "identity":
            return self.identity.handle(req, data, now)
        if api == "xero":
            return self.xero.handle(req, data, now)
        return Response.text(404, "Not Found")

    def _take_fault(self, api: str | None, req: Request, data: dict) -> dict | None:
        """The fault that fires for this request, if any (counters persist)."""
        faults = self.scenario_faults + data["faults"]["added"]
        if not faults:
            return None
        return match_fault(faults, data["faults"]["counters"], api, req)

    # -- transports ------------------------------------------------------------------------------

    def transport(self) -> httpx2.BaseTransport:
        """An in-process httpx2 transport: every host routes here."""
        from depot_gui.sandbox.http.transport import SandboxTransport
        return SandboxTransport(self)

    def serve(self, host: str = "127.0.0.1", port: int = 0):
        """Serve over HTTP on loopback in a background thread; returns a server with ``.base_url``."""
        from depot_gui.sandbox.http.server import start_server
        server = start_server(self, host, port)
        self._servers.append(server)
        return server

    def save(self) -> None:
        """Write the state file whole (the changes since are otherwise in its journal); also at exit."""
        self.store.close()

    def close(self) -> None:
        """Stop any servers this sandbox started; write the state file whole."""
        for s in self._servers:
            s.shutdown()
        self._servers.clear()
        self.store.close()


def _correlation() -> str:
    """A Xero-Correlation-Id value."""
    import uuid
    return str(uuid.uuid4())
