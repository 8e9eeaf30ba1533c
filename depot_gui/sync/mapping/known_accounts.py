"""A default or rounding account code checked against the Xero chart of accounts as last read
(the per-organisation cache the audit keeps): a code no organisation has is refused when it is
set, not found out when Xero refuses the invoice. Nothing is read from Xero here; before the
first audit there is no chart yet and the audit checks it (``core.audit``)."""

from __future__ import annotations

from depot_gui.core.settings import SettingError
from depot_gui.store.db import Store

ACCOUNT_KEYS = ("default_account", "rounding_account")


def check_account_settings(store: Store, texts: dict[str, str]) -> None:
    """SettingError (naming the key) when a code given for an account setting is in no known chart."""
    charts = None
    for key in ACCOUNT_KEYS:
        code = str(texts.get(key, "")).strip()
        if not code:
            continue
        if charts is None:
            charts = store.xero_cache.by_tenant("account")
        if not charts:
            return  # never read: the audit checks it
        active = [a for rows in charts.values() for a in rows if str(a.get("Status") or "ACTIVE") == "ACTIVE"]
        if any(str(a.get("Code") or "") == code for a in active):
            continue
        some = [f"{a.get('Code')} ({a.get('Name')})" for a in active if a.get("Code") and a.get("Type") == "REVENUE"]
        like = f"; its sales accounts include {', '.join(some[:3])}" if some else ""
        error = SettingError(f"{code!r} is not an active account in the Xero organisation's chart of accounts (as read "
                             f"at the last audit){like}")
        error.key = key
        raise error
