"""Autotask queries: the query body, matching records, and pages linked by ``nextPageUrl`` / ``prevPageUrl``."""

from __future__ import annotations

import json
from decimal import Decimal
from urllib.parse import quote

from depot_gui.sandbox.autotask.filters import Query, QueryError, parse_query
from depot_gui.sandbox.http.messages import Request, Response, dumps


class AutotaskQueries:
    """``/query``, ``/query/count`` and ``/query/next`` (mixed into :class:`~.autotask_api.AutotaskAPI`)."""

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
