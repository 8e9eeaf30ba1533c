"""Fault injection: match requests by api/method/path/nth and build each API's own error answer."""

from __future__ import annotations

import re
import uuid

from depot_gui.sandbox.http.messages import Request, Response


def match_fault(faults: list[dict], counters: dict, api: str | None, req: Request) -> dict | None:
    """Advance the counters of every fault matching ``req``; return the first that fires now."""
    fired = None
    for i, f in enumerate(faults):
        if f.get("api") != api:
            continue
        method = f.get("method")
        if method and method != "*" and method.upper() != req.method:
            continue
        pattern = f.get("path")
        if pattern and not re.search(pattern, req.path, re.IGNORECASE):
            continue
        key = str(i)
        counters[key] = counters.get(key, 0) + 1
        n = counters[key]
        nth = f.get("nth")
        times = int(f.get("times", 1))
        if nth is None or nth <= n < nth + times:
            if fired is None:
                fired = f
    return fired


def status_response(api: str | None, fault: dict) -> Response:
    """The answer for a ``status`` fault, in the body shape of the API concerned."""
    status = int(fault["status"])
    headers: dict[str, str] = {}
    if "retryAfter" in fault:
        headers["Retry-After"] = str(int(fault["retryAfter"]))
    elif status == 429:
        headers["Retry-After"] = "1"
    if "body" in fault:
        return Response.text(status, str(fault["body"]), headers, content_type="application/json; charset=utf-8")
    if api == "autotask":
        text = {
            401: "Authentication failed: the user name or secret is not valid.",
            403: "The logged in Resource does not have the adequate permissions to perform this operation.",
            429: "Request threshold exceeded: the Autotask API threshold has been reached.",
            503: "The service is temporarily unavailable.",
        }.get(status, "An unexpected error has occurred on the server.")
        return Response.json(status, {"errors": [text]}, headers)
    if api == "identity":
        err = {400: "invalid_request", 401: "invalid_client", 429: "too_many_requests",
               503: "temporarily_unavailable"}.get(status, "server_error")
        return Response.json(status, {"error": err}, headers)
    if status == 429:
        headers["X-Rate-Limit-Problem"] = str(fault.get("problem", "minute"))
        return Response.json(429, {"Type": None, "Title": "Too Many Requests", "Status": 429,
                                   "Detail": "Rate limit exceeded", "Instance": str(uuid.uuid4()),
                                   "Extensions": {}}, headers)
    if status == 503:
        return Response.text(503, "The Xero API is temporarily unavailable for maintenance.", headers)
    if status == 401:
        return Response.json(401, {"Type": None, "Title": "Unauthorized", "Status": 401,
                                   "Detail": "AuthenticationUnsuccessful", "Instance": str(uuid.uuid4()),
                                   "Extensions": {}}, headers)
    if status == 403:
        return Response.json(403, {"Type": None, "Title": "Forbidden", "Status": 403,
                                   "Detail": "AuthenticationUnsuccessful", "Instance": str(uuid.uuid4()),
                                   "Extensions": {}}, headers)
    return Response.json(status, {"Title": "An error occurred", "Status": status,
                                  "Detail": "An error occurred in Xero. Check the API Status page "
                                            "http://status.developer.xero.com for current service status.",
                                  "Instance": str(uuid.uuid4())}, headers)
