"""Xero's daily call limit per organisation, as its last answers said (X-DayLimit-Remaining)."""

from __future__ import annotations

from depot_gui.sync.session.connections import Connections
from depot_gui.xero.throttle import note_limits


def calls_left(conn: Connections | None) -> list[tuple[str, int]]:
    """(organisation name, Xero calls left today) for each organisation Xero has answered for in this
    session, the default first; none before the first answer. Reads what the clients kept: no call."""
    out = []
    for view in conn.views() if conn is not None else []:
        left = view.xero.day_remaining
        if left is not None:
            out.append((view.tenant_name or view.tenant_id, left))
    return out


def xero_state(conn: Connections | None) -> dict[str, dict]:
    """Per organisation: its calls of the last minute (when they started) and the calls-left counts and
    ``Date`` of Xero's last answer. For the process that continues after this one (sync/child/)."""
    out: dict[str, dict] = {}
    for view in conn.views() if conn is not None else []:
        if view.tenant_id:
            out[view.tenant_id.lower()] = {"calls": view.xero.throttle.recent(), "limits": dict(view.xero.limits),
                                           "date": view.xero.server_date, "made": view.xero.calls}
    return out


def absorb_xero_state(conn: Connections | None, state: dict[str, dict]) -> None:
    """Another process's ``xero_state`` into these clients: its calls count in their minute windows, and its
    answers' counts replace older ones (Xero's daily and minute limits are the organisation's, not a process's)."""
    for view in conn.views() if conn is not None else []:
        got = state.get((view.tenant_id or "").lower())
        if not got:
            continue
        view.xero.throttle.note(got.get("calls") or [])
        limits = got.get("limits") or {}
        view.xero.server_date = note_limits(view.xero.limits, limits, list(limits), got.get("date"),
                                            view.xero.server_date)
