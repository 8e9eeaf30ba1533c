"""Xero Accounting API plumbing shared by the resources: error bodies, envelope, where/order/paging, write answers."""

from __future__ import annotations

import uuid
from datetime import timezone
from email.utils import parsedate_to_datetime

from depot_gui.sandbox.clock import ms_date, parse_iso
from depot_gui.sandbox.http.messages import Request, Response, out_of_range
from depot_gui.sandbox.xero.where import compile_where
from depot_gui.sandbox.xero.xml_body import XmlBodyError, read_xml

TRUE = ("true", "1", "yes")
NOT_FOUND = "The resource you're looking for cannot be found"


def not_found() -> Response:
    """Xero's plain-text 404 for an unknown resource or record."""
    return Response.text(404, NOT_FOUND)


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


class XeroWire:
    """Generic reads and write answers (mixed into :class:`~.xero_api.XeroAPI`; needs ``self.provider``)."""

    def envelope(self, key: str, items: list, now, extra: dict | None = None) -> dict:
        """``{"Id", "Status": "OK", "ProviderName", "DateTimeUTC", key: items}``."""
        body = {"Id": str(uuid.uuid4()), "Status": "OK", "ProviderName": self.provider,
                "DateTimeUTC": ms_date(now, offset=False)}
        body.update(extra or {})
        body[key] = items
        return body

    @staticmethod
    def modified_since(req: Request, rows: list[dict]) -> list[dict]:
        """Apply the ``If-Modified-Since`` header (ISO UTC or HTTP date; unreadable: ignored, as Xero does)."""
        since = req.headers.get("If-Modified-Since")
        if not since:
            return rows
        try:
            try:
                cutoff = parsedate_to_datetime(since)
            except (TypeError, ValueError):
                cutoff = parse_iso(since)
        except ValueError:
            return rows
        if cutoff.tzinfo is None:
            cutoff = cutoff.replace(tzinfo=timezone.utc)
        return [r for r in rows if r.get("UpdatedDateUTC") and parse_iso(r["UpdatedDateUTC"]) > cutoff]

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
                return not_found()
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
        """The objects of a write body: ``{"Key": [...]}``, a list, or a single object (JSON or Xero's XML).

        A ``partial_commit`` fault (``req.element_limit`` K) keeps only the first K of them.
        """
        found, bad = self.all_elements(req, key)
        if bad is None and req.element_limit is not None:
            found = found[:req.element_limit]
        return found, bad

    def all_elements(self, req: Request, key: str) -> tuple[list, Response | None]:
        """Every object of a write body (see :meth:`elements`)."""
        if "xml" in (req.headers.get("Content-Type") or "").lower():
            try:
                found = read_xml(req.body, key)
            except XmlBodyError as exc:
                return [], simple_error(400, 14, "PostDataInvalidException", str(exc))
            if found:
                return found, None
            return [], simple_error(400, 14, "PostDataInvalidException", f"No {key} were found in the request body.")
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
            body = [body]
        if isinstance(body, list) and body:
            for el in body:
                bad = out_of_range(el)
                if bad is not None:
                    return [], validation_error([element_error(el, [f"The number {bad} is outside the range Xero accepts."])])
            return body, None
        return [], simple_error(400, 14, "PostDataInvalidException", f"No {key} were found in the request body.")
