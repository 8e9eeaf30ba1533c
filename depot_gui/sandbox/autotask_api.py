"""The simulated Autotask REST API (ATServicesRest V1.0) over the scenario's tenant."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from urllib.parse import quote

from .autotask_meta import LOB_ENTITIES, STANDARD_ENTITIES, WRITABLE, EntityMeta
from .autotask_query import Query, QueryError, ci_get, parse_query
from .clock import naive_iso, parse_iso
from .http import Request, Response, dumps
from .state import secret_hash

THRESHOLD_WINDOW_MINUTES = 60
THREAD_LIMIT_MESSAGE = ("Thread Threshold Exceeded: The Autotask API thread threshold of {n} threads has been "
                        "exceeded for this integration and endpoint (Itgenatr005).")


def errors(status: int, *messages: str, headers: dict | None = None) -> Response:
    """The Autotask error envelope ``{"errors": [...]}``."""
    return Response.json(status, {"errors": list(messages)}, headers)


def framework_error(status: int, message: str) -> Response:
    """ASP.NET framework-level error ``{"Message": ...}`` (405, unknown route)."""
    return Response.json(status, {"Message": message})


class AutotaskAPI:
    """Routes and answers Autotask requests; state lives in the document passed to :meth:`handle`."""

    def __init__(self, scenario: dict, options: dict) -> None:
        a = scenario["autotask"]
        self.options = options
        self.user = dict(a["apiUser"])
        self.secret_sha = secret_hash(self.user.pop("secret"))
        self.ci = a.get("ci", 3000001)
        self.zone_name = a.get("zoneName", "Sandbox Zone")
        self.restricted = {str(e).lower() for e in a.get("restrictedEntities", [])}
        entities = a.get("entities", {})
        names = list(STANDARD_ENTITIES) + [n for n in entities if n not in STANDARD_ENTITIES]
        self.rows: dict[str, list[dict]] = {n: sorted(entities.get(n, []), key=lambda r: r["id"]) for n in names}
        self.index = {n: {r["id"]: r for r in rows} for n, rows in self.rows.items()}
        overrides = a.get("picklists", {})
        self.meta = {n: EntityMeta(n, self.rows[n], overrides.get(n)) for n in names}
        self.by_lower = {n.lower(): n for n in names}
        self.pending = {p["billingItemID"]: p["visibleAfterQueries"] for p in a.get("pending", [])}
        lob = {r.get("organizationalLevelAssociationID") for r in self.rows.get("OrganizationalResources", [])
               if r.get("resourceID") == self.user["resourceID"]}
        self.lob: set | None = lob or None

    @staticmethod
    def initial_state() -> dict:
        """The Autotask part of a fresh state document."""
        return {"changes": {}, "pending_seen": {}, "attached": [], "hourly": []}

    # -- routing --------------------------------------------------------------------------------

    @staticmethod
    def matches(req: Request) -> bool:
        """Whether the request is for Autotask (``/atservicesrest/...``, any case)."""
        segs = [s for s in req.path.split("/") if s]
        return bool(segs) and segs[0].lower() == "atservicesrest"

    def route_parts(self, req: Request) -> list[str] | None:
        """Path segments after ``/atservicesrest/v1.0`` (None when not a versioned path)."""
        segs = [s for s in req.path.split("/") if s]
        if len(segs) >= 2 and segs[1].lower() in ("v1.0", "1.0"):
            return segs[2:]
        return None

    def concurrency_key(self, req: Request) -> tuple | None:
        """(integration code, endpoint) the thread limit counts, or None when exempt."""
        parts = self.route_parts(req)
        if not parts or parts[0].lower() == "zoneinformation":
            return None
        code = req.headers.get("ApiIntegrationCode") or ""
        return ("autotask", code, parts[0].lower())

    def thread_limit_response(self) -> Response:
        """The Itgenatr005 error when more than three requests overlap."""
        status = int(self.options.get("thread_limit_status", 429))
        return errors(status, THREAD_LIMIT_MESSAGE.format(n=self.options.get("autotask_thread_limit", 3)))

    def handle(self, req: Request, data: dict, now) -> Response:
        """Answer one Autotask request."""
        segs = [s for s in req.path.split("/") if s]
        if len(segs) == 2 and segs[1].lower() == "versioninformation":
            if req.method != "GET":
                return framework_error(405, f"The requested resource does not support http method '{req.method}'.")
            return Response.json(200, {"apiVersions": [self.options.get("api_version_entry", "1.0")]})
        parts = self.route_parts(req)
        if parts is None or not parts:
            return self.not_found(req)
        head = parts[0].lower()
        if head == "zoneinformation" and len(parts) == 1:
            return self.zone(req)
        failure = self.authenticate(req)
        if failure:
            return failure
        st = data["autotask"]
        limited = self.count_request(st, now)
        if limited:
            return limited
        if head == "thresholdinformation" and len(parts) == 1:
            return Response.json(200, {
                "externalRequestThreshold": self.threshold(),
                "requestThresholdTimeframe": THRESHOLD_WINDOW_MINUTES,
                "currentTimeframeRequestCount": self.window_count(st, now),
            })
        if head == "version" and len(parts) == 1:
            return Response.json(200, {"majorVersion": 1, "minorVersion": 0, "build": 0, "customerType": "Sandbox"})
        entity = self.by_lower.get(head)
        if entity is None:
            return self.not_found(req)
        rest = [p.lower() for p in parts[1:]]
        try:
            return self.entity_route(req, entity, rest, parts[1:], st)
        except QueryError as exc:
            return errors(500, str(exc))

    def entity_route(self, req: Request, entity: str, rest: list[str], raw: list[str], st: dict) -> Response:
        """Dispatch under ``/V1.0/{Entity}``."""
        m = req.method
        if not rest:
            if m in ("PATCH", "PUT"):
                return self.update(req, entity, st, replace=(m == "PUT"))
            return self.bad_method(m)
        if rest == ["query"]:
            if m not in ("GET", "POST"):
                return self.bad_method(m)
            return self.query(req, entity, st, self.query_body(req), method=m)
        if rest == ["query", "count"]:
            if m not in ("GET", "POST"):
                return self.bad_method(m)
            q = self.parse(entity, self.query_body(req))
            return Response.json(200, {"queryCount": len(self.select(entity, q, st, counting=True))})
        if len(rest) == 2 and rest[0] == "query" and rest[1] in ("next", "prev"):
            return self.next_page(req, entity, st)
        if rest == ["entityinformation"]:
            if m != "GET":
                return self.bad_method(m)
            return Response.json(200, {"info": self.meta[entity].info(entity.lower() in self.restricted)})
        if rest == ["entityinformation", "fields"]:
            if m != "GET":
                return self.bad_method(m)
            return Response.json(200, {"fields": self.meta[entity].fields()})
        if rest == ["entityinformation", "userdefinedfields"]:
            return Response.json(200, {"fields": [
                {"name": n, "type": "string", "label": n, "description": "", "defaultValue": "",
                 "isRequired": False, "isPickList": False, "picklistValues": None}
                for n in self.meta[entity].udf_names]})
        if len(rest) == 1:
            if m != "GET":
                return self.bad_method(m)
            return self.get_by_id(entity, raw[0], st)
        return self.not_found(req)

    def bad_method(self, method: str) -> Response:
        """405 the way ASP.NET Web API answers it."""
        return framework_error(405, f"The requested resource does not support http method '{method}'.")

    def not_found(self, req: Request) -> Response:
        """Unknown route."""
        return framework_error(404, f"No HTTP resource was found that matches the request URI '{req.url}'.")

    # -- auth, zone, thresholds ------------------------------------------------------------------

    def zone(self, req: Request) -> Response:
        """``zoneInformation?user=`` (no credentials needed)."""
        if req.method != "GET":
            return self.bad_method(req.method)
        user = req.arg("user", ci=True) or ""
        if user.strip().lower() != self.user["userName"].lower():
            return errors(500, "Zone information could not be determined")
        base = req.base_url
        return Response.json(200, {"zoneName": self.zone_name, "url": f"{base}/ATServicesRest/",
                                   "webUrl": f"{base}/", "ci": self.ci})

    def authenticate(self, req: Request) -> Response | None:
        """401 unless the three credential headers match the scenario's API user."""
        code = req.headers.get("ApiIntegrationCode")
        user = req.headers.get("UserName")
        secret = req.headers.get("Secret")
        if not user or not secret:
            return errors(401, "Missing credentials: the UserName and Secret headers are required.")
        if user.lower() != self.user["userName"].lower() or secret_hash(secret) != self.secret_sha:
            return errors(401, "Authentication failed: the user name or secret is not valid.")
        if not code or code != self.user["integrationCode"]:
            return errors(401, "IntegrationCode is invalid.")
        return None

    def threshold(self) -> int:
        """Requests allowed per rolling hour."""
        return int(self.options.get("autotask_hourly_threshold", 10000))

    def window_count(self, st: dict, now) -> int:
        """Requests counted in the last 60 minutes."""
        minute = int(now.timestamp() // 60)
        st["hourly"] = [b for b in st["hourly"] if b[0] > minute - THRESHOLD_WINDOW_MINUTES]
        return sum(b[1] for b in st["hourly"])

    def count_request(self, st: dict, now) -> Response | None:
        """Count one authenticated request, or refuse it (429) when the hour's budget is spent."""
        used = self.window_count(st, now)
        limit = self.threshold()
        if used >= limit:
            oldest = min(b[0] for b in st["hourly"])
            retry = max(1, int((oldest + THRESHOLD_WINDOW_MINUTES) * 60 - now.timestamp()))
            return errors(429, f"Request threshold exceeded: the Autotask API threshold of {limit} requests "
                               f"per {THRESHOLD_WINDOW_MINUTES} minutes has been reached.",
                          headers={"Retry-After": str(retry)})
        minute = int(now.timestamp() // 60)
        if st["hourly"] and st["hourly"][-1][0] == minute:
            st["hourly"][-1][1] += 1
        else:
            st["hourly"].append([minute, 1])
        return None

    # -- reading ---------------------------------------------------------------------------------

    def query_body(self, req: Request) -> object:
        """The query: the JSON body of a POST, or ``search=`` of a GET."""
        if req.method == "POST":
            try:
                return req.json()
            except (ValueError, UnicodeDecodeError):
                raise QueryError("The request body is not valid JSON.") from None
        search = req.arg("search", ci=True)
        if search is None:
            raise QueryError("The search parameter is required.")
        try:
            return json.loads(search, parse_float=Decimal)
        except ValueError:
            raise QueryError("The search parameter is not valid JSON.") from None

    def parse(self, entity: str, body: object) -> Query:
        """Compile a query body with the sandbox's options."""
        return parse_query(body, self.meta[entity], missing_value=self.options.get("missing_value", "zero"),
                           in_limit=self.options.get("in_limit", 500),
                           empty_filter=self.options.get("empty_filter", "error"))

    def current(self, entity: str, row: dict, st: dict) -> dict:
        """A record with the changes made through the API applied."""
        ch = st["changes"].get(entity, {}).get(str(row["id"]))
        if not ch:
            return row
        merged = dict(row)
        merged.update(ch)
        return merged

    def visible(self, entity: str, row: dict) -> bool:
        """Line-of-business visibility for the API user (scenario.md)."""
        if self.lob is None or entity not in LOB_ENTITIES:
            return True
        lob = row.get("organizationalLevelAssociationID")
        return lob is None or lob in self.lob

    def pending_left(self, item_id: int, st: dict) -> int:
        """How many more matching BillingItems queries will see the item unattached."""
        if item_id not in self.pending or item_id in st["attached"]:
            return 0
        return max(0, self.pending[item_id] - st["pending_seen"].get(str(item_id), 0))

    def select(self, entity: str, q: Query, st: dict, *, counting: bool = False) -> list[dict]:
        """Visible records matching ``q`` ascending by id (pending items read invoiceID null)."""
        out = []
        seen_now = []
        for row in self.rows[entity]:
            if not self.visible(entity, row):
                continue
            real = self.current(entity, row, st)
            shown = real
            if entity == "BillingItems" and self.pending_left(row["id"], st):
                shown = dict(real, invoiceID=None)
                if not counting and q.predicate(real):
                    seen_now.append(row["id"])
            if q.predicate(shown):
                out.append(shown)
        for item_id in seen_now:
            key = str(item_id)
            st["pending_seen"][key] = st["pending_seen"].get(key, 0) + 1
        return out

    def query(self, req: Request, entity: str, st: dict, body: object, *, method: str,
              after: int | None = None, before: int | None = None) -> Response:
        """One page of a query."""
        q = self.parse(entity, body)
        rows = self.select(entity, q, st)
        size = q.max_records
        if before is not None:
            earlier = [r for r in rows if r["id"] < before]
            page = earlier[-size:]
        else:
            later = [r for r in rows if after is None or r["id"] > after]
            page = later[:size]
        next_url = prev_url = None
        if page:
            if any(r["id"] > page[-1]["id"] for r in rows):
                next_url = self.page_url(req, entity, body, {"pageSize": size, "lastId": page[-1]["id"],
                                                              "method": method})
            if any(r["id"] < page[0]["id"] for r in rows):
                prev_url = self.page_url(req, entity, body, {"pageSize": size, "beforeId": page[0]["id"],
                                                              "method": method}, prev=True)
        with_udfs = any(r.get("userDefinedFields") for r in page)
        items = [self.render(entity, r, q.include_fields, with_udfs) for r in page]
        return Response.json(200, {"items": items, "pageDetails": {
            "count": len(items), "requestCount": size, "prevPageUrl": prev_url, "nextPageUrl": next_url}})

    def page_url(self, req: Request, entity: str, body: object, paging: dict, prev: bool = False) -> str:
        """Absolute ``.../V1.0/{E}/query/next?paging=...&search=...`` pointing back at us."""
        p = quote(json.dumps(paging, separators=(",", ":")), safe="")
        s = quote(dumps(body), safe="")
        return f"{req.base_url}/ATServicesRest/V1.0/{entity}/query/{'prev' if prev else 'next'}?paging={p}&search={s}"

    def next_page(self, req: Request, entity: str, st: dict) -> Response:
        """Follow a ``nextPageUrl``: POST with the original body, or GET for GET-originated queries."""
        raw = req.arg("paging", ci=True)
        try:
            paging = json.loads(raw or "")
            if not isinstance(paging, dict):
                raise ValueError
        except ValueError:
            raise QueryError("The paging parameter is not valid.") from None
        origin = paging.get("method", "GET")
        if req.method == "GET" and origin == "POST":
            return self.bad_method("GET")
        if req.method not in ("GET", "POST"):
            return self.bad_method(req.method)
        if req.method == "POST" and req.body.strip():
            body = self.query_body(req)
        else:
            search = req.arg("search", ci=True)
            if search is None:
                raise QueryError("The search parameter is required.")
            body = json.loads(search, parse_float=Decimal)
        if isinstance(body, dict) and "pageSize" in paging:
            body = {k: v for k, v in body.items() if k.lower() != "maxrecords"}
            body["MaxRecords"] = paging["pageSize"]
        return self.query(req, entity, st, body, method=origin,
                          after=paging.get("lastId"), before=paging.get("beforeId"))

    def get_by_id(self, entity: str, raw_id: str, st: dict) -> Response:
        """``GET /V1.0/{E}/{id}``; hidden or missing ids are 404 (or ``{"item":null}``)."""
        try:
            item_id = int(raw_id)
        except ValueError:
            return framework_error(404, f"No HTTP resource was found for id '{raw_id}'.")
        row = self.index[entity].get(item_id)
        if row is None or not self.visible(entity, row):
            if self.options.get("missing_by_id", "404") == "null":
                return Response.json(200, {"item": None})
            return errors(404, f"Unable to find {entity} with id {item_id}.")
        shown = self.current(entity, row, st)
        if entity == "BillingItems" and self.pending_left(item_id, st):
            shown = dict(shown, invoiceID=None)
        return Response.json(200, {"item": self.render(entity, shown, None, bool(shown.get("userDefinedFields")))})

    def render(self, entity: str, row: dict, include: list[str] | None, with_udfs: bool) -> dict:
        """A record on the wire: every field (null when empty), or only ``include``; datetimes formatted."""
        meta = self.meta[entity]
        names = include if include is not None else list(meta.types)
        out = {}
        for name in names:
            v = row.get(name)
            if meta.types.get(name) == "datetime" and isinstance(v, str):
                v = self.format_datetime(v)
            out[name] = v
        if include is None and with_udfs:
            out["userDefinedFields"] = copy.deepcopy(row.get("userDefinedFields") or [])
        return out

    def format_datetime(self, value: str) -> str:
        """A stored datetime in the configured wire form (naive, or with ``Z``)."""
        try:
            dt = parse_iso(value)
        except ValueError:
            return value
        text = naive_iso(dt)
        if self.options.get("timestamps", "naive") == "z":
            if "." not in text:
                text += ".000"
            text += "Z"
        return text

    # -- writing ---------------------------------------------------------------------------------

    def update(self, req: Request, entity: str, st: dict, *, replace: bool) -> Response:
        """``PATCH``/``PUT /V1.0/{E}`` with ``id`` in the body; only ``webServiceDate`` is writable."""
        try:
            body = req.json()
        except (ValueError, UnicodeDecodeError):
            return errors(400, "The request body is not valid JSON.")
        if not isinstance(body, dict):
            return errors(400, "The request body must be a JSON object.")
        writable = WRITABLE.get(entity)
        if writable is None:
            return errors(405 if not self.meta[entity].info(False)["canUpdate"] else 500,
                          f"The sandbox does not support updating {entity}.")
        item_id = ci_get(body, "id")
        if isinstance(item_id, bool) or not isinstance(item_id, int):
            return errors(500, "The id field is required to update an entity.")
        row = self.index[entity].get(item_id)
        if row is None or not self.visible(entity, row):
            return errors(500, "No matching records found. The logged in Resource may not have the "
                               "adequate permissions to update the data.")
        meta = self.meta[entity]
        current = self.current(entity, row, st)
        change: dict = {}
        for key, value in body.items():
            canon = meta.field(key)
            if canon is None:
                return errors(500, f"Unable to find {key} in the {entity} Entity.")
            if canon == "id":
                continue
            if canon not in writable:
                if value != current.get(canon) and not (meta.types.get(canon) == "datetime" and value is None
                                                        and current.get(canon) is None):
                    return errors(400, f"The field {canon} is read-only and cannot be updated.")
                continue
            if value is None:
                change[canon] = None
                continue
            try:
                change[canon] = naive_iso(parse_iso(str(value)))
            except ValueError:
                return errors(400, f"Unable to convert value '{value}' to type datetime for field {canon}.")
        if replace:
            for name in writable:
                change.setdefault(name, None)
        bucket = st["changes"].setdefault(entity, {}).setdefault(str(item_id), {})
        bucket.update(change)
        return Response.json(200, {"itemId": item_id})

    def state_view(self, st: dict) -> dict:
        """Scenario-format ``autotask`` section with the API's changes applied (no secret)."""
        ents = {}
        for name, rows in self.rows.items():
            if rows:
                ents[name] = [self.current(name, r, st) for r in rows]
        user = dict(self.user)
        user["secretSha256"] = self.secret_sha
        out = {"apiUser": user, "entities": ents}
        if self.pending:
            out["pending"] = [{"billingItemID": i, "visibleAfterQueries": k,
                               "queriesSeen": st["pending_seen"].get(str(i), 0),
                               "attached": self.pending_left(i, st) == 0}
                              for i, k in self.pending.items()]
        if self.restricted:
            out["restrictedEntities"] = sorted(self.restricted)
        return out
