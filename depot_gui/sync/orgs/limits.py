"""Xero's daily call limit per organisation, as its last answers said (X-DayLimit-Remaining)."""

from __future__ import annotations

from depot_gui.sync.session.connections import Connections


def calls_left(conn: Connections | None) -> list[tuple[str, int]]:
    """(organisation name, Xero calls left today) for each organisation Xero has answered for in this
    session, the default first; none before the first answer. Reads what the clients kept: no call."""
    out = []
    for view in conn.views() if conn is not None else []:
        left = view.xero.day_remaining
        if left is not None:
            out.append((view.tenant_name or view.tenant_id, left))
    return out
