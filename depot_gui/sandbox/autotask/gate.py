"""Autotask's gate: error envelopes, credentials, ``zoneInformation``, the hourly threshold and the thread limit."""

from __future__ import annotations

from depot_gui.sandbox.http.messages import Request, Response
from depot_gui.sandbox.state import secret_hash

THRESHOLD_WINDOW_MINUTES = 60
THREAD_LIMIT_MESSAGE = ("Thread Threshold Exceeded: The Autotask API thread threshold of {n} threads has been "
                        "exceeded for this integration and endpoint (Itgenatr005).")


def errors(status: int, *messages: str, headers: dict | None = None) -> Response:
    """The Autotask error envelope ``{"errors": [...]}``."""
    return Response.json(status, {"errors": list(messages)}, headers)


def framework_error(status: int, message: str) -> Response:
    """ASP.NET framework-level error ``{"Message": ...}`` (405, unknown route)."""
    return Response.json(status, {"Message": message})


class AutotaskGate:
    """What answers before an entity route runs (mixed into :class:`~.autotask_api.AutotaskAPI`)."""

    def thread_limit_response(self) -> Response:
        """The Itgenatr005 error when more than three requests overlap."""
        status = int(self.options.get("thread_limit_status", 429))
        return errors(status, THREAD_LIMIT_MESSAGE.format(n=self.options.get("autotask_thread_limit", 3)))

    def bad_method(self, method: str) -> Response:
        """405 the way ASP.NET Web API answers it."""
        return framework_error(405, f"The requested resource does not support http method '{method}'.")

    def not_found(self, req: Request) -> Response:
        """Unknown route."""
        return framework_error(404, f"No HTTP resource was found that matches the request URI '{req.url}'.")

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
