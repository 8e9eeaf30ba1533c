"""The simulated Xero Accounting API (``/api.xro/2.0``) for the scenario's organisations."""

from __future__ import annotations

import hashlib
import uuid

from depot_gui.core.money import to_decimal

from .clock import ms_date, naive_iso, parse_iso
from .http import Request, Response
from .limits import XeroLimits
from .xero_docs import CREDIT_NOTE, INVOICE, Kind, Org, build_document, render_document, storable
from .xero_identity import XeroIdentity, problem
from .xero_where import WhereError, compile_where

_CLASS = {"REVENUE": "REVENUE", "SALES": "REVENUE", "OTHERINCOME": "REVENUE", "EXPENSE": "EXPENSE",
          "DIRECTCOSTS": "EXPENSE", "OVERHEADS": "EXPENSE", "DEPRECIATN": "EXPENSE", "EQUITY": "EQUITY",
          "CURRLIAB": "LIABILITY", "LIABILITY": "LIABILITY", "TERMLIAB": "LIABILITY", "PAYG": "LIABILITY"}
CONTACT_FIELDS = ("Name", "ContactNumber", "AccountNumber", "ContactStatus", "FirstName", "LastName",
                  "EmailAddress", "TaxNumber", "CompanyNumber", "DefaultCurrency", "Website", "Addresses",
                  "Phones", "ContactPersons", "AccountsReceivableTaxType", "AccountsPayableTaxType",
                  "SalesDefaultAccountCode", "PurchasesDefaultAccountCode", "PaymentTerms")
TRUE = ("true", "1", "yes")


def validation_error(elements: list[dict]) -> Response:
    """400 ValidationException with the failing elements echoed."""
    return Response.json(400, {"ErrorNumber": 10, "Type": "ValidationException",
                               "Message": "A validation exception occurred", "Elements": elements})


def simple_error(status: int, number: int, type_: str, message: str) -> Response:
    """Xero API exception body without elements (bad JSON, bad where, not found...)."""
    return Response.json(status, {"ErrorNumber": number, "Type": type_, "Message": message})


def element_error(el: object, messages: list[str]) -> dict:
    """An element of a ValidationException: the submitted object plus its ValidationErrors."""
    out = dict(el) if isinstance(el, dict) else {}
    out["ValidationErrors"] = [{"Message": m} for m in messages]
    return out


class ContactBook:
    """Lookup and find-or-create over one tenant's contacts."""

    def __init__(self, tenant: dict, now) -> None:
        self.contacts: list[dict] = tenant["Contacts"]
        self.now = now

    def by_id(self, cid: str) -> dict | None:
        """Contact by ContactID."""
        return next((c for c in self.contacts if c["ContactID"].lower() == str(cid).lower()), None)

    def by_name(self, name: str, exclude: dict | None = None) -> dict | None:
        """Active contact by name (case-insensitive)."""
        key = str(name).strip().lower()
        return next((c for c in self.contacts if c is not exclude and c.get("ContactStatus") != "ARCHIVED"
                     and c["Name"].strip().lower() == key), None)

    def by_number(self, number: str, exclude: dict | None = None) -> dict | None:
        """Contact by ContactNumber."""
        return next((c for c in self.contacts if c is not exclude and c.get("ContactNumber")
                     and str(c["ContactNumber"]).lower() == str(number).lower()), None)

    def resolve(self, ref: dict) -> tuple[dict | None, dict | None, str | None]:
        """(found, to_create, error) for a document's Contact (ContactID, ContactNumber or Name)."""
        if ref.get("ContactID"):
            found = self.by_id(ref["ContactID"])
            if found is None:
                return None, None, f"The contact with ContactID '{ref['ContactID']}' could not be found."
            return found, None, None
        if ref.get("ContactNumber"):
            found = self.by_number(ref["ContactNumber"])
            if found is not None:
                return found, None, None
        name = ref.get("Name")
        if not name or not str(name).strip():
            return None, None, "A Contact must be specified for this type of transaction"
        found = self.by_name(name)
        if found is not None:
            return found, None, None
        return None, self.new({k: ref[k] for k in CONTACT_FIELDS if k in ref}), None

    def new(self, fields: dict) -> dict:
        """A contact record not yet saved."""
        c = {"ContactID": str(uuid.uuid4()), "ContactStatus": "ACTIVE", "IsSupplier": False, "IsCustomer": False}
        c.update(fields)
        c["Name"] = str(c.get("Name", "")).strip()
        c["UpdatedDateUTC"] = naive_iso(self.now)
        return c

    def validate(self, el: dict, existing: dict | None) -> list[str]:
        """Xero's contact rules: a name, unique among active contacts; unique ContactNumber."""
        errors = []
        name = el.get("Name", existing.get("Name") if existing else None)
        if not name or not str(name).strip():
            errors.append("The contact name must be specified.")
        elif self.by_name(name, exclude=existing) is not None and el.get("ContactStatus", "ACTIVE") != "ARCHIVED":
            errors.append(f"The contact name {str(name).strip()} is already assigned to another contact. "
                          "The contact name must be unique across all active contacts.")
        number = el.get("ContactNumber")
        if number and self.by_number(number, exclude=existing) is not None:
            errors.append(f"The contact number {number} is already assigned to another contact.")
        if "ContactStatus" in el and el["ContactStatus"] not in ("ACTIVE", "ARCHIVED", "GDPRREQUEST"):
            errors.append(f"ContactStatus '{el['ContactStatus']}' is not valid.")
        return errors


class XeroAPI:
    """Routes and answers Accounting API requests (and ``/connections``)."""

    def __init__(self, scenario: dict, options: dict, identity: XeroIdentity) -> None:
        self.scenario = scenario
        self.options = options
        self.identity = identity
        self.limits = XeroLimits(options)
        self.provider = scenario["xero"].get("appName", "Depot GUI")

    # -- state -----------------------------------------------------------------------------------

    def initial_state(self, now) -> dict:
        """Every tenant's books from the scenario (the first tenant gets the listed records)."""
        x = self.scenario["xero"]
        tenants = {}
        for i, t in enumerate(x["tenants"]):
            tid = t["tenantId"].lower()
            org = {"OrganisationID": t["tenantId"], "Name": t["tenantName"], "LegalName": t["tenantName"],
                   "BaseCurrency": "AUD", "CountryCode": "AU", "Version": "AU", "OrganisationType": "COMPANY",
                   "OrganisationStatus": "ACTIVE", "IsDemoCompany": False, "PaysTax": True,
                   "Timezone": "AUSEASTERNSTANDARDTIME", "ShortCode": f"!{tid[:5]}"}
            org.update(x.get("Organisation", {}) if i == 0 else {})
            books = {"Organisation": org, "Currencies": [dict(c) for c in x.get("Currencies", [])],
                     "Accounts": [self._account(a, tid, now) for a in x.get("Accounts", [])],
                     "TaxRates": [self._tax_rate(r) for r in x.get("TaxRates", [])],
                     "Contacts": [], "Items": [], "Invoices": [], "CreditNotes": [], "counters": {}}
            if i == 0:
                book = ContactBook(books, now)
                for c in x.get("Contacts", []):
                    books["Contacts"].append(dict(book.new({}), **c))
                books["Items"] = [dict({"ItemID": str(uuid.uuid4()), "UpdatedDateUTC": naive_iso(now)}, **it)
                                  for it in x.get("Items", [])]
                for kind in (INVOICE, CREDIT_NOTE):
                    for el in x.get(kind.plural, []):
                        org_ctx = Org(books, now, unitdp=4, trusted=True, options=self.options)
                        doc, _, new_contact = build_document(kind, el, None, org_ctx, books[kind.plural], book)
                        if new_contact:
                            books["Contacts"].append(new_contact)
                        if el.get(kind.id_key):
                            doc[kind.id_key] = el[kind.id_key]
                        books[kind.plural].append(doc)
            tenants[tid] = books
        return {"tenants": tenants, "idempotency": {}, "limits": {}}

    @staticmethod
    def _account(a: dict, tid: str, now) -> dict:
        """An account with Xero's defaults filled in."""
        acc = {"AccountID": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{tid}/account/{a.get('Code', a['Name'])}")),
               "Status": "ACTIVE", "BankAccountType": "", "EnablePaymentsToAccount": False,
               "ShowInExpenseClaims": False, "HasAttachments": False, "AddToWatchlist": False,
               "UpdatedDateUTC": naive_iso(now)}
        acc.update(a)
        if "Class" not in acc and acc.get("Type") in _CLASS:
            acc["Class"] = _CLASS[acc["Type"]]
        return acc

    @staticmethod
    def _tax_rate(r: dict) -> dict:
        """A tax rate with Xero's defaults filled in."""
        rate = to_decimal(r.get("EffectiveRate", r.get("DisplayTaxRate", 0)))
        tr = {"Name": r.get("Name", r["TaxType"]), "TaxType": r["TaxType"], "Status": "ACTIVE",
              "CanApplyToAssets": True, "CanApplyToEquity": True, "CanApplyToExpenses": True,
              "CanApplyToLiabilities": True, "CanApplyToRevenue": True, "DisplayTaxRate": rate,
              "EffectiveRate": rate}
        tr.update(r)
        tr.setdefault("TaxComponents", [{"Name": tr["Name"], "Rate": rate, "IsCompound": False,
                                         "IsNonRecoverable": False}])
        return tr

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

    def concurrency_response(self) -> Response:
        """429 for the sixth overlapping call on one tenant."""
        return Response.json(429, {"Type": None, "Title": "Too Many Requests", "Status": 429,
                                   "Detail": "Concurrent request limit exceeded", "Instance": str(uuid.uuid4()),
                                   "Extensions": {}},
                             {"Retry-After": "1", "X-Rate-Limit-Problem": "concurrent"})

    def handle(self, req: Request, data: dict, now) -> Response:
        """Answer one api.xero.com request."""
        segs = [s for s in req.path.split("/") if s]
        xs = data["xero"]
        if segs[0].lower() == "connections":
            return self.identity.connections(req, data, now, self.limits.app_only(xs, now.timestamp()))
        if len(segs) < 3 or segs[1] != "2.0":
            return Response.text(404, "The resource you're looking for cannot be found")
        _, fail = self.identity.bearer(req, data["identity"], now)
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
            return Response.json(429, {"Type": None, "Title": "Too Many Requests", "Status": 429,
                                       "Detail": f"Rate limit exceeded ({limited['name']})",
                                       "Instance": str(uuid.uuid4()), "Extensions": {}}, headers)
        resp = self.idempotent(req, xs, tenant_id, now, lambda: self.route(req, segs[2:], books, now))
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
        fingerprint = hashlib.sha256("\n".join([
            req.method, req.path.lower(), "&".join(sorted(req.query_string.split("&"))), tenant_id,
            hashlib.sha256(req.body).hexdigest()]).encode()).hexdigest()
        hit = store.get(key)
        if hit is not None:
            if hit["fingerprint"] != fingerprint:
                return problem(400, "Bad Request", "The Idempotency-Key has already been used with a "
                                                   "different request.")
            replay = Response.from_dict(hit["response"])
            replay.headers["Idempotent-Replayed"] = "true"
            return replay
        resp = run()
        store[key] = {"fingerprint": fingerprint, "at": ts, "response": resp.to_dict()}
        return resp

    def envelope(self, key: str, items: list, now, extra: dict | None = None) -> dict:
        """``{"Id", "Status": "OK", "ProviderName", "DateTimeUTC", key: items}``."""
        body = {"Id": str(uuid.uuid4()), "Status": "OK", "ProviderName": self.provider,
                "DateTimeUTC": ms_date(now, offset=False)}
        body.update(extra or {})
        body[key] = items
        return body

    def route(self, req: Request, rest: list[str], books: dict, now) -> Response:
        """Dispatch by resource."""
        resource = rest[0].lower()
        sub = rest[1] if len(rest) > 1 else None
        if len(rest) > 2:
            return Response.text(404, "The resource you're looking for cannot be found")
        ctype = (req.headers.get("Content-Type") or "").lower()
        if req.method in ("PUT", "POST") and "xml" in ctype:
            return Response.text(415, "The sandbox accepts JSON request bodies only.")
        try:
            if resource == "invoices":
                return self.documents(req, INVOICE, sub, books, now)
            if resource == "creditnotes":
                return self.documents(req, CREDIT_NOTE, sub, books, now)
            if resource == "contacts":
                return self.contacts(req, sub, books, now)
            if req.method != "GET":
                return simple_error(405, 0, "MethodNotAllowed", f"The method {req.method} is not supported "
                                                                 f"by the sandbox for {rest[0]}.")
            if resource == "accounts":
                return self.simple_list(req, "Accounts", books["Accounts"], "AccountID", sub, now)
            if resource == "taxrates":
                rows = books["TaxRates"]
                tax_type = req.arg("TaxType", ci=True)
                if tax_type:
                    rows = [r for r in rows if r["TaxType"].lower() == tax_type.lower()]
                return self.simple_list(req, "TaxRates", rows, "TaxType", sub, now)
            if resource == "items":
                return self.simple_list(req, "Items", books["Items"], "ItemID", sub, now, alt_key="Code")
            if resource == "organisation":
                return Response.json(200, self.envelope("Organisations", [books["Organisation"]], now))
            if resource == "currencies":
                base = books["Organisation"]["BaseCurrency"]
                rows = [{"Code": base, "Description": base}] + books["Currencies"]
                return Response.json(200, self.envelope("Currencies", rows, now))
        except WhereError as exc:
            return simple_error(400, 16, "QueryParseException", str(exc))
        return Response.text(404, "The resource you're looking for cannot be found")

    # -- generic reads ---------------------------------------------------------------------------

    def filter_where(self, req: Request, rows: list[dict], render) -> list[dict]:
        """Apply ``where`` (evaluated on the wire form, with stored dates)."""
        where = req.arg("where", ci=True)
        if not where:
            return rows
        pred = compile_where(where)
        return [r for r in rows if pred(render(r))]

    def simple_list(self, req: Request, key: str, rows: list[dict], id_key: str, sub: str | None, now,
                    alt_key: str | None = None) -> Response:
        """GET list or one record for read-only resources."""
        render = lambda r: self.plain(r)  # noqa: E731
        if sub is not None:
            found = [r for r in rows if str(r.get(id_key, "")).lower() == sub.lower()
                     or (alt_key and str(r.get(alt_key, "")).lower() == sub.lower())]
            if not found:
                return Response.text(404, "The resource you're looking for cannot be found")
            return Response.json(200, self.envelope(key, [render(r) for r in found], now))
        rows = self.filter_where(req, rows, lambda r: r)
        return Response.json(200, self.envelope(key, [render(r) for r in rows], now))

    @staticmethod
    def plain(rec: dict) -> dict:
        """A settings record on the wire (UpdatedDateUTC as /Date()/)."""
        out = {k: v for k, v in rec.items() if not k.startswith("_")}
        if isinstance(out.get("UpdatedDateUTC"), str) and not out["UpdatedDateUTC"].startswith("/Date("):
            out["UpdatedDateUTC"] = ms_date(parse_iso(out["UpdatedDateUTC"]))
        return out

    @staticmethod
    def page(req: Request, rows: list[dict], default_size: int = 100) -> tuple[list[dict], dict | None]:
        """Apply ``page``/``pageSize``; returns the page and the ``pagination`` object (when paged)."""
        page_arg, size_arg = req.arg("page", ci=True), req.arg("pageSize", ci=True)
        if page_arg is None and size_arg is None:
            return rows, None
        try:
            page = max(1, int(page_arg or 1))
            size = min(1000, max(1, int(size_arg or default_size)))
        except ValueError:
            page, size = 1, default_size
        count = len(rows)
        pages = (count + size - 1) // size
        return rows[(page - 1) * size: page * size], {"page": page, "pageSize": size, "pageCount": pages,
                                                      "itemCount": count}

    @staticmethod
    def csv(req: Request, name: str) -> list[str] | None:
        """A comma-separated list parameter, lower-cased (None when absent)."""
        raw = req.arg(name, ci=True)
        if raw is None:
            return None
        return [p.strip().lower() for p in raw.split(",") if p.strip()]

    def order(self, req: Request, rows: list[dict], rendered) -> list[dict]:
        """``order=Field [ASC|DESC]``."""
        spec = req.arg("order", ci=True)
        if not spec:
            return rows
        parts = spec.split()
        field, desc = parts[0], len(parts) > 1 and parts[1].upper() == "DESC"
        def key(r):
            v = next((val for k, val in rendered(r).items() if k.lower() == field.lower()), None)
            return (v is None, str(v).lower() if isinstance(v, str) else v if v is not None else 0)
        try:
            return sorted(rows, key=key, reverse=desc)
        except TypeError:
            return rows

    # -- contacts --------------------------------------------------------------------------------

    def render_contact(self, c: dict) -> dict:
        """A contact on the wire."""
        out = {"ContactID": c["ContactID"]}
        for k, v in c.items():
            if k not in ("ContactID", "UpdatedDateUTC") and not k.startswith("_"):
                out[k] = v
        for k in ("Addresses", "Phones", "ContactGroups", "ContactPersons"):
            out.setdefault(k, [])
        out["UpdatedDateUTC"] = ms_date(parse_iso(c["UpdatedDateUTC"]))
        out["HasAttachments"] = False
        out["HasValidationErrors"] = False
        return out

    def contacts(self, req: Request, sub: str | None, books: dict, now) -> Response:
        """GET/PUT/POST ``/Contacts`` and ``/Contacts/{id}``."""
        book = ContactBook(books, now)
        if req.method == "GET":
            rows = books["Contacts"]
            if sub is not None:
                found = book.by_id(sub) if _is_uuid(sub) else book.by_number(sub)
                if found is None:
                    return Response.text(404, "The resource you're looking for cannot be found")
                return Response.json(200, self.envelope("Contacts", [self.render_contact(found)], now))
            if (req.arg("includeArchived", ci=True) or "").lower() not in TRUE:
                rows = [c for c in rows if c.get("ContactStatus") != "ARCHIVED"]
            ids = self.csv(req, "IDs")
            if ids is not None:
                rows = [c for c in rows if c["ContactID"].lower() in ids]
            term = req.arg("searchTerm", ci=True)
            if term:
                t = term.lower()
                rows = [c for c in rows if any(t in str(c.get(k) or "").lower() for k in
                                               ("Name", "FirstName", "LastName", "ContactNumber", "EmailAddress"))]
            rows = self.filter_where(req, rows, self.render_contact)
            rows = sorted(rows, key=lambda c: c["Name"].lower())
            rows = self.order(req, rows, self.render_contact)
            rows, pagination = self.page(req, rows)
            extra = {"pagination": pagination} if pagination else None
            return Response.json(200, self.envelope("Contacts", [self.render_contact(c) for c in rows], now, extra))
        if req.method not in ("PUT", "POST"):
            return simple_error(405, 0, "MethodNotAllowed", f"{req.method} is not supported on Contacts.")
        elements, bad = self.elements(req, "Contacts")
        if bad:
            return bad
        if sub is not None:
            if req.method != "POST":
                return simple_error(405, 0, "MethodNotAllowed", "Use POST to update a contact.")
            for el in elements:
                if isinstance(el, dict):
                    el.setdefault("ContactID", sub)
        results, failures = [], []
        for el in elements:
            if not isinstance(el, dict):
                failures.append(element_error(el, ["The contact must be a JSON object."]))
                results.append(None)
                continue
            existing = None
            if req.method == "POST":
                if el.get("ContactID"):
                    existing = book.by_id(el["ContactID"])
                    if existing is None:
                        failures.append(element_error(el, [f"The contact with ContactID '{el['ContactID']}' "
                                                           "could not be found."]))
                        results.append(None)
                        continue
                elif el.get("ContactNumber"):
                    existing = book.by_number(el["ContactNumber"])
                if existing is None and el.get("Name"):
                    existing = book.by_name(el["Name"])
            errs = book.validate(el, existing)
            if errs:
                failures.append(element_error(el, errs))
                results.append(element_error(el, errs))
                continue
            fields = {k: el[k] for k in CONTACT_FIELDS if k in el}
            if existing is None:
                c = book.new(fields)
                books["Contacts"].append(c)
            else:
                existing.update(fields)
                existing["UpdatedDateUTC"] = naive_iso(now)
                c = existing
            results.append(self.render_contact(c))
        return self.write_result(req, "Contacts", results, failures, now)

    def write_result(self, req: Request, key: str, results: list, failures: list, now) -> Response:
        """Summarised (400 on any error) or per-element (summarizeErrors=false) answer."""
        summarize = (req.arg("summarizeErrors", ci=True) or "true").lower() not in ("false", "0", "no")
        if failures and summarize:
            return validation_error(failures)
        items = []
        for r in results:
            if r is None:
                continue
            r = dict(r)
            if r.get("ValidationErrors"):
                r["StatusAttributeString"] = "ERROR"
                r["HasErrors"] = True
            elif not summarize:
                r["StatusAttributeString"] = "OK"
                r["HasErrors"] = False
            items.append(r)
        return Response.json(200, self.envelope(key, items, now))

    def elements(self, req: Request, key: str) -> tuple[list, Response | None]:
        """The objects of a write body: ``{"Key": [...]}``, a list, or a single object."""
        try:
            body = req.json()
        except (ValueError, UnicodeDecodeError):
            return [], simple_error(400, 14, "PostDataInvalidException", "The request body is not valid JSON.")
        if isinstance(body, dict):
            for k, v in body.items():
                if k.lower() == key.lower():
                    body = v
                    break
        if isinstance(body, dict):
            return [body], None
        if isinstance(body, list) and body:
            return body, None
        return [], simple_error(400, 14, "PostDataInvalidException", f"No {key} were found in the request body.")

    # -- invoices and credit notes ---------------------------------------------------------------

    def unitdp(self, req: Request) -> int:
        """4 when ``unitdp=4`` was asked for, else 2."""
        return 4 if (req.arg("unitdp", ci=True) or "") == "4" else 2

    def documents(self, req: Request, kind: Kind, sub: str | None, books: dict, now) -> Response:
        """Invoices / CreditNotes: list, get, create (PUT), create-or-update (POST), update (POST /{id})."""
        docs = books[kind.plural]
        dp = self.unitdp(req)
        by_id = {c["ContactID"].lower(): c for c in books["Contacts"]}
        render = lambda d, summary=False: render_document(kind, d, dp, by_id, summary)  # noqa: E731
        if req.method == "GET":
            if sub is not None:
                found = self.find_doc(kind, docs, sub)
                if found is None:
                    return Response.text(404, "The resource you're looking for cannot be found")
                return Response.json(200, self.envelope(kind.plural, [render(found)], now))
            rows = list(docs)
            for param, key in (("IDs", kind.id_key), (f"{kind.number_key}s", kind.number_key)):
                wanted = self.csv(req, param)
                if wanted is not None:
                    rows = [d for d in rows if str(d.get(key, "")).lower() in wanted]
            contacts = self.csv(req, "ContactIDs")
            if contacts is not None:
                rows = [d for d in rows if d.get("Contact") and d["Contact"]["ContactID"].lower() in contacts]
            statuses = self.csv(req, "Statuses")
            if statuses is not None:
                rows = [d for d in rows if d["Status"].lower() in statuses]
            term = req.arg("searchTerm", ci=True)
            if term:
                rows = [d for d in rows if term.lower() in str(d.get(kind.number_key) or "").lower()
                        or term.lower() in str(d.get("Reference") or "").lower()]
            since = req.headers.get("If-Modified-Since")
            if since:
                try:
                    from email.utils import parsedate_to_datetime
                    try:
                        cutoff = parsedate_to_datetime(since)
                    except (TypeError, ValueError):
                        cutoff = parse_iso(since)
                    rows = [d for d in rows if parse_iso(d["UpdatedDateUTC"]) > cutoff]
                except ValueError:
                    pass
            rows = self.filter_where(req, rows, lambda d: dict(render(d), Date=d.get("Date"),
                                                                DueDate=d.get("DueDate")))
            rows = self.order(req, rows, render)
            rows, pagination = self.page(req, rows)
            summary = (req.arg("summaryOnly", ci=True) or "").lower() in TRUE
            extra = {"pagination": pagination} if pagination else None
            return Response.json(200, self.envelope(kind.plural, [render(d, summary) for d in rows], now, extra))
        if req.method not in ("PUT", "POST"):
            return simple_error(405, 0, "MethodNotAllowed", f"{req.method} is not supported on {kind.plural}.")
        elements, bad = self.elements(req, kind.plural)
        if bad:
            return bad
        if sub is not None:
            if req.method != "POST":
                return simple_error(405, 0, "MethodNotAllowed", f"Use POST to update {kind.plural}.")
            target = self.find_doc(kind, docs, sub)
            if target is None:
                return Response.text(404, "The resource you're looking for cannot be found")
            elements = elements[:1]
            if isinstance(elements[0], dict):
                elements[0] = dict(elements[0])
                elements[0][kind.id_key] = target[kind.id_key]
        book = ContactBook(books, now)
        results, failures = [], []
        for el in elements:
            existing = None
            if isinstance(el, dict) and req.method == "POST":
                if el.get(kind.id_key):
                    existing = self.find_doc(kind, docs, str(el[kind.id_key]))
                    if existing is None:
                        msg = f"{kind.id_key} '{el[kind.id_key]}' could not be found."
                        failures.append(element_error(el, [msg]))
                        results.append(element_error(el, [msg]))
                        continue
                elif el.get(kind.number_key):
                    existing = next((d for d in docs if d.get("Type") == el.get("Type", d.get("Type"))
                                     and str(d.get(kind.number_key, "")).lower() == str(el[kind.number_key]).lower()
                                     and d["Status"] != "DELETED"), None)
            elif isinstance(el, dict) and req.method == "PUT" and el.get(kind.id_key):
                if self.find_doc(kind, docs, str(el[kind.id_key])) is not None:
                    msg = f"{kind.id_key} '{el[kind.id_key]}' already exists; use POST to update it."
                    failures.append(element_error(el, [msg]))
                    results.append(element_error(el, [msg]))
                    continue
            org = Org(books, now, unitdp=dp, options=self.options)
            doc, errs, new_contact = build_document(kind, el, existing, org, docs, book)
            if errs:
                echo = render(doc) if doc else (el if isinstance(el, dict) else {})
                failures.append(element_error(echo, errs))
                results.append(element_error(echo, errs))
                continue
            if new_contact is not None:
                books["Contacts"].append(new_contact)
                by_id[new_contact["ContactID"].lower()] = new_contact
            if doc["Type"] in ("ACCREC", "ACCRECCREDIT") and doc["Status"] != "DRAFT":
                c = book.by_id(doc["Contact"]["ContactID"])
                if c is not None and not c.get("IsCustomer"):
                    c["IsCustomer"] = True
            if existing is None:
                docs.append(doc)
            else:
                existing.clear()
                existing.update(doc)
                doc = existing
            results.append(render(doc))
        return self.write_result(req, kind.plural, results, failures, now)

    @staticmethod
    def find_doc(kind: Kind, docs: list[dict], ref: str) -> dict | None:
        """A document by id, or by number."""
        low = ref.lower()
        return (next((d for d in docs if d[kind.id_key].lower() == low), None)
                or next((d for d in docs if str(d.get(kind.number_key, "")).lower() == low
                         and d["Status"] != "DELETED"), None))

    def state_view(self, xs: dict) -> dict:
        """Scenario-format ``xero`` section (first tenant's books at top level, all under ``tenantBooks``)."""
        x = self.scenario["xero"]
        out = {"clientId": x["clientId"], "tenants": x["tenants"]}
        tenants = xs["tenants"]
        first = tenants[x["tenants"][0]["tenantId"].lower()]
        for key in ("Accounts", "TaxRates", "Contacts", "Items", "Invoices", "CreditNotes"):
            out[key] = [storable(r) for r in first[key]]
        if len(tenants) > 1:
            out["tenantBooks"] = {tid: {k: [storable(r) for r in b[k]] for k in ("Contacts", "Invoices",
                                                                                  "CreditNotes")}
                                  for tid, b in tenants.items()}
        return out


def _is_uuid(text: str) -> bool:
    """Whether ``text`` parses as a UUID."""
    try:
        uuid.UUID(text)
        return True
    except ValueError:
        return False

