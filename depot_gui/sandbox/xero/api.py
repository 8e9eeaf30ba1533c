"""The simulated Xero Accounting API (``/api.xro/2.0``) for the scenario's organisations."""

from __future__ import annotations

import hashlib

from depot_gui.sandbox.http.messages import Request, Response
from depot_gui.sandbox.limits import XeroLimits
from depot_gui.sandbox.xero.books import ACCOUNT_CLASS, XeroBooks
from depot_gui.sandbox.xero.contacts import CONTACT_FIELDS, ContactBook, XeroContacts, is_uuid
from depot_gui.sandbox.xero.document_rules import CREDIT_NOTE, INVOICE
from depot_gui.sandbox.xero.document_routes import XeroDocuments
from depot_gui.sandbox.xero.identity import XeroIdentity, problem
from depot_gui.sandbox.xero.invoice_extras import InvoiceExtras
from depot_gui.sandbox.xero.tracking import listed
from depot_gui.sandbox.xero.where import WhereError
from depot_gui.sandbox.xero.wire import TRUE, XeroWire, element_error, not_found, simple_error, validation_error

# The names below moved to the modules above; importing them from here still works.
__all__ = ["CONTACT_FIELDS", "TRUE", "ACCOUNT_CLASS", "ContactBook", "XeroAPI", "is_uuid", "element_error", "simple_error",
           "validation_error"]


# Names Xero gives the usual currencies (GET /Currencies), when the scenario gives no Description.
CURRENCY_NAMES = {"AUD": "Australian Dollar", "NZD": "New Zealand Dollar", "USD": "United States Dollar",
                  "GBP": "British Pound", "EUR": "Euro", "CAD": "Canadian Dollar", "SGD": "Singapore Dollar",
                  "ZAR": "South African Rand"}


class XeroAPI(XeroBooks, XeroContacts, XeroDocuments, XeroWire):
    """Routes and answers Accounting API requests (and ``/connections``)."""

    def __init__(self, scenario: dict, options: dict, identity: XeroIdentity) -> None:
        self.scenario = scenario
        self.options = options
        self.identity = identity
        self.limits = XeroLimits(options)
        self.provider = scenario["xero"].get("appName", "Depot GUI")
        self.extras = InvoiceExtras(options, self.envelope)

    # -- routing ---------------------------------------------------------------------------------

    @staticmethod
    def matches(req: Request) -> bool:
        """Whether the request is for api.xero.com (Accounting or connections)."""
        segs = [s.lower() for s in req.path.split("/") if s]
        return bool(segs) and (segs[0] == "connections" or segs[0] == "api.xro")

    @staticmethod
    def concurrency_key(req: Request) -> tuple | None:
        """Per-tenant concurrency bucket (Accounting calls only)."""
        segs = [s.lower() for s in req.path.split("/") if s]
        tenant = req.headers.get("xero-tenant-id")
        if not segs or segs[0] != "api.xro" or not tenant:
            return None
        return ("xero", tenant.strip().lower())

    def batch_size(self, req: Request) -> int | None:
        """How many documents a write to a batch endpoint (PUT/POST /Invoices, /CreditNotes, /Contacts) held."""
        segs = [s.lower() for s in req.path.split("/") if s]
        if req.method not in ("PUT", "POST") or len(segs) != 3 or segs[:2] != ["api.xro", "2.0"]:
            return None
        key = {"invoices": "Invoices", "creditnotes": "CreditNotes", "contacts": "Contacts"}.get(segs[2])
        if key is None:
            return None
        found, bad = self.all_elements(req, key)
        return None if bad is not None else len(found)

    def concurrency_response(self) -> Response:
        """429 for the sixth overlapping call on one tenant."""
        return problem(429, "Too Many Requests", "Concurrent request limit exceeded",
                       {"Retry-After": "1", "X-Rate-Limit-Problem": "concurrent"})

    def handle(self, req: Request, data: dict, now) -> Response:
        """Answer one api.xero.com request."""
        segs = [s for s in req.path.split("/") if s]
        xs = data["xero"]
        if segs[0].lower() == "connections":
            return self.identity.connections(req, data, now, self.limits.app_only(xs, now.timestamp()))
        if len(segs) < 3 or segs[1] != "2.0":
            return not_found()
        grant, fail = self.identity.bearer(req, data["identity"], now)
        if fail:
            return fail
        tenant_id = (req.headers.get("xero-tenant-id") or "").strip().lower()
        if not tenant_id:
            return problem(403, "Forbidden", "AuthenticationUnsuccessful: missing xero-tenant-id header")
        books = xs["tenants"].get(tenant_id)
        if books is None or not self.identity.tenant_connected(data["identity"], tenant_id):
            return problem(403, "Forbidden", "AuthenticationUnsuccessful")
        headers, limited = self.limits.check(xs, tenant_id, now.timestamp())
        if limited:
            headers.update({"Retry-After": str(limited["retry"]), "X-Rate-Limit-Problem": limited["name"]})
            return problem(429, "Too Many Requests", f"Rate limit exceeded ({limited['name']})", headers)
        resp = self.idempotent(req, xs, tenant_id, now, lambda: self.route(req, segs[2:], books, now, grant, tenant_id))
        resp.headers.update(headers)
        return resp

    def idempotent(self, req: Request, xs: dict, tenant_id: str, now, run) -> Response:
        """Replay or refuse a repeated ``Idempotency-Key``; remember the first answer for the window."""
        key = req.headers.get("Idempotency-Key")
        if key is None or req.method not in ("PUT", "POST", "PATCH"):
            return run()
        if not key.strip() or len(key) > 128:
            return problem(400, "Bad Request", "The Idempotency-Key header must be 1 to 128 characters.")
        ts = now.timestamp()
        window = float(self.options.get("idempotency_window_seconds", 360))
        store = xs["idempotency"]
        for k in [k for k, v in store.items() if v["at"] <= ts - window]:
            del store[k]
            req.changed.append(("xero", "idempotency", k))
        fingerprint = hashlib.sha256("\n".join([
            req.method, req.path.lower(), "&".join(sorted(req.query_string.split("&"))), tenant_id,
            hashlib.sha256(req.body).hexdigest()]).encode()).hexdigest()
        key = f"{tenant_id} {key}"  # each tenant has its own keys
        hit = store.get(key)
        if hit is not None:
            if hit["fingerprint"] != fingerprint:
                return problem(400, "Bad Request", "The Idempotency-Key has already been used with a "
                                                   "different request.")
            replay = Response.from_dict(hit["response"])
            replay.headers["Idempotent-Replayed"] = "true"
            return replay
        resp = run()
        if req.element_limit is None:  # a partial commit never answered: nothing to replay
            store[key] = {"fingerprint": fingerprint, "at": ts, "response": resp.to_dict()}
            req.changed.append(("xero", "idempotency", key))
        return resp

    def route(self, req: Request, rest: list[str], books: dict, now, grant: dict | None = None,
              tenant_id: str = "") -> Response:
        """Dispatch by resource."""
        resource = rest[0].lower()
        here = ("xero", "tenants", tenant_id)
        if len(rest) > 2 or (req.method != "GET" and resource not in ("invoices", "creditnotes")):
            req.changed.append(here)  # saved whole: writes other than documents' are few
        if resource == "invoices" and len(rest) > 2:
            return self.extras.route(req, rest[1:], books, grant, tenant_id, now)
        sub = rest[1] if len(rest) > 1 else None
        if len(rest) > 2:
            return not_found()
        try:
            if resource == "invoices":
                return self.documents(req, INVOICE, sub, books, now, here)
            if resource == "creditnotes":
                return self.documents(req, CREDIT_NOTE, sub, books, now, here)
            if resource == "contacts":
                return self.contacts(req, sub, books, now)
            if req.method != "GET":
                return simple_error(405, 0, "MethodNotAllowed", f"The method {req.method} is not supported "
                                                                 f"by the sandbox for {rest[0]}.")
            if resource == "accounts":
                rows = books["Accounts"] if sub is not None else self.modified_since(req, books["Accounts"])
                return self.simple_list(req, "Accounts", rows, "AccountID", sub, now)
            if resource == "taxrates":
                rows = books["TaxRates"]
                tax_type = req.arg("TaxType", ci=True)
                if tax_type:
                    rows = [r for r in rows if r["TaxType"].lower() == tax_type.lower()]
                return self.simple_list(req, "TaxRates", rows, "TaxType", sub, now)
            if resource == "trackingcategories":
                archived = str(req.arg("includeArchived", ci=True) or "").lower() == "true"
                rows = listed(books.get("TrackingCategories", []), archived)
                return self.simple_list(req, "TrackingCategories", rows, "TrackingCategoryID", sub, now)
            if resource == "items":
                return self.simple_list(req, "Items", books["Items"], "ItemID", sub, now, alt_key="Code")
            if resource == "organisation":
                return Response.json(200, self.envelope("Organisations", [books["Organisation"]], now))
            if resource == "currencies":
                base = books["Organisation"]["BaseCurrency"]
                rows = [{"Code": c["Code"], "Description": c.get("Description") or CURRENCY_NAMES.get(c["Code"], c["Code"])}
                        for c in [{"Code": base}] + books["Currencies"]]
                return Response.json(200, self.envelope("Currencies", rows, now))
        except WhereError as exc:
            return simple_error(400, 16, "QueryParseException", str(exc))
        return not_found()
