"""Rate and concurrency limits: in-flight slots (process-local) and Xero's per-tenant call windows."""

from __future__ import annotations

import contextlib
import threading
from typing import Iterator


class ConcurrencyGate:
    """Counts overlapping requests per key; a request over the limit is refused, not queued."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: dict[tuple, int] = {}

    @contextlib.contextmanager
    def slot(self, key: tuple | None, limit: int) -> Iterator[bool]:
        """Yield True when a slot under ``limit`` was taken for ``key`` (always True for None)."""
        if key is None:
            yield True
            return
        with self._lock:
            n = self._counts.get(key, 0)
            if n >= limit:
                acquired = False
            else:
                self._counts[key] = n + 1
                acquired = True
        try:
            yield acquired
        finally:
            if acquired:
                with self._lock:
                    self._counts[key] -= 1
                    if not self._counts[key]:
                        del self._counts[key]

class XeroLimits:
    """Xero's per-tenant minute and day windows and the app-wide minute window (state-backed)."""

    def __init__(self, options: dict) -> None:
        self.options = options

    def check(self, xs: dict, tenant_id: str, now_ts: float) -> tuple[dict, dict | None]:
        """Count one call; returns (headers, problem) where problem has ``name`` and ``retry``."""
        minute_limit = int(self.options.get("xero_minute_limit", 60))
        day_limit = int(self.options.get("xero_daily_limit", 5000))
        app_limit = int(self.options.get("xero_app_minute_limit", 10000))
        lim = xs.setdefault("limits", {})
        t = lim.setdefault(tenant_id, {"minute": [], "day_start": now_ts, "day_count": 0})
        # timestamps come back from state.json as Decimal: normalise to float before arithmetic
        t["minute"] = [float(s) for s in t["minute"] if s > now_ts - 60]
        t["day_start"] = float(t["day_start"])
        if now_ts - t["day_start"] >= 86400:
            t["day_start"], t["day_count"] = now_ts, 0
        app = lim.setdefault("_app", [])
        app[:] = [float(s) for s in app if s > now_ts - 60]
        problem = None
        if len(t["minute"]) >= minute_limit:
            problem = {"name": "minute", "retry": max(1, int(t["minute"][0] + 60 - now_ts + 0.999))}
        elif t["day_count"] >= day_limit:
            problem = {"name": "day", "retry": max(1, int(t["day_start"] + 86400 - now_ts))}
        elif len(app) >= app_limit:
            problem = {"name": "appminute", "retry": max(1, int(app[0] + 60 - now_ts + 0.999))}
        else:
            t["minute"].append(now_ts)
            t["day_count"] += 1
            app.append(now_ts)
        headers = {
            "X-DayLimit-Remaining": str(max(0, day_limit - t["day_count"])),
            "X-MinLimit-Remaining": str(max(0, minute_limit - len(t["minute"]))),
            "X-AppMinLimit-Remaining": str(max(0, app_limit - len(app))),
        }
        return headers, problem

    def app_only(self, xs: dict, now_ts: float) -> dict:
        """Headers for tenantless calls (``/connections``): only the app minute limit."""
        app_limit = int(self.options.get("xero_app_minute_limit", 10000))
        app = xs.setdefault("limits", {}).setdefault("_app", [])
        app[:] = [float(s) for s in app if s > now_ts - 60]
        app.append(now_ts)
        return {"X-AppMinLimit-Remaining": str(max(0, app_limit - len(app)))}
