"""The simulated Autotask REST API (ATServicesRest V1.0) over the scenario's tenant."""

from __future__ import annotations

from depot_gui.sandbox.autotask.gate import THREAD_LIMIT_MESSAGE, THRESHOLD_WINDOW_MINUTES, AutotaskGate, errors, framework_error
from depot_gui.sandbox.autotask.invoice_pdf import invoice_pdf
from depot_gui.sandbox.autotask.meta import STANDARD_ENTITIES, EntityMeta
from depot_gui.sandbox.autotask.pages import AutotaskQueries
from depot_gui.sandbox.autotask.filters import QueryError
from depot_gui.sandbox.autotask.records import AutotaskRecords
from depot_gui.sandbox.http.messages import Request, Response
from depot_gui.sandbox.state import secret_hash

# The names below moved to autotask_gate; importing them from here still works.
__all__ = ["THREAD_LIMIT_MESSAGE", "THRESHOLD_WINDOW_MINUTES", "AutotaskAPI", "errors", "framework_error"]


class AutotaskAPI(AutotaskGate, AutotaskQueries, AutotaskRecords):
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

    def handle(self, req: Request, data: dict, now) -> Response:
        """Answer one Autotask request."""
        segs = [s for s in req.path.split("/") if s]
        if len(segs) == 2 and segs[1].lower() == "versioninformation":
            if req.method != "GET":
                return self.bad_method(req.method)
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
            off = self.options.get("org_structure", "on")
            if entity == "OrganizationalLevelAssociations" and off == "off_error":
                return errors(400, "The Organizational Structure module is not enabled for this company.")
            if entity == "OrganizationalLevelAssociations" and off == "off_empty":
                return Response.json(200, {"items": [], "pageDetails": {
                    "count": 0, "requestCount": 500, "prevPageUrl": None, "nextPageUrl": None}})
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
            return Response.json(200, {"fields": self.meta[entity].fields(self.options)})
        if rest == ["entityinformation", "userdefinedfields"]:
            return Response.json(200, {"fields": [
                {"name": n, "type": "string", "label": n, "description": "", "defaultValue": "",
                 "isRequired": False, "isPickList": False, "picklistValues": None}
                for n in self.meta[entity].udf_names]})
        if len(rest) == 1:
            if m != "GET":
                return self.bad_method(m)
            return self.get_by_id(entity, raw[0], st)
        if entity == "Invoices" and len(rest) == 2 and rest[1] == "invoicepdf":
            return invoice_pdf(self, req, raw[0], st)
        return self.not_found(req)

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
