"""Committing the setup flow: what it would write, and writing it all at once.

Secrets go to the keyring only, settings to the store in one transaction; if anything fails the
keyring entries already written are put back and no setting changes.
"""

from __future__ import annotations

import json
import sqlite3

from depot_gui.core.settings import Settings
from depot_gui.store.db import Store
from depot_gui.store.guard import store_error
from depot_gui.store.secrets import SecretStore
from depot_gui.xero import oauth

from depot_gui.sync.session.connections import K_AT_USER, K_XERO_CLIENT, K_XERO_TENANT, K_XERO_TENANT_NAME, S_AT_CODE, S_AT_SECRET, S_XERO_TOKENS
from depot_gui.sync.mapping.mapping_step import MappingChoice, MappingData, mapping_settings
from depot_gui.sync.orgs.routing import choice_settings

_SET_SETTING = "INSERT INTO settings(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value=excluded.value"


class SetupCommit:
    """What the setup flow would write (``changes``) and writing it all at once (``write``);
    ``SetupFlow.pending_changes()`` and ``SetupFlow.commit()`` hand it the flow's state."""

    def __init__(self, store: Store, secrets: SecretStore) -> None:
        self.store = store
        self.secrets = secrets

    def changes(
        self, *, username: str | None, secret: str, code: str, tenant: tuple[str, str] | None,
        new_tokens: oauth.TokenSet | None, client_id: str, mapping: tuple[MappingChoice, MappingData] | None,
        unused: frozenset[str] = frozenset(), xero_status: str | None = None,
    ) -> tuple[dict[str, str], dict[str, str]]:
        """(keyring entries, settings) to write: only what was verified.

        ``username`` is None unless the Autotask check passed; ``tenant`` (id, name) is None unless
        the Xero page is complete (it is the default organisation; ``unused``: the organisations not to be
        used, as `orgs default` saves them); ``new_tokens`` are a sign-in of this run (``client_id``'s);
        ``xero_status``: the status of new Xero invoices chosen on the mapping page (SettingError if bad)."""
        secrets: dict[str, str] = {}
        settings: dict[str, str] = {}
        if username is not None:
            settings[K_AT_USER] = username
            if secret:
                secrets[S_AT_SECRET] = secret
            if code:
                secrets[S_AT_CODE] = code
        if tenant is not None:
            if new_tokens is not None:
                secrets[S_XERO_TOKENS] = json.dumps(new_tokens.to_dict(), separators=(",", ":"))
                settings[K_XERO_CLIENT] = client_id
            settings[K_XERO_TENANT], settings[K_XERO_TENANT_NAME] = tenant
            settings.update(choice_settings(self.store, tenant[0], unused))
        if mapping is not None:
            choice, data = mapping
            settings.update(mapping_settings(self.store, choice.overrides(data), choice.contact_match))
        if xero_status is not None:
            settings["xero_status"] = Settings().with_value("xero_status", xero_status).shown()["xero_status"]
        return secrets, settings

    def write(self, secrets: dict[str, str], settings: dict[str, str]) -> None:
        """Secrets to the keyring only, then the settings in one transaction. If anything fails, the
        keyring entries written are put back and no setting changes (raises SecretStoreUnavailable,
        StoreError or SettingError)."""
        before = {name: self.secrets.get(name) for name in secrets}
        written: list[str] = []
        try:
            for name, value in secrets.items():
                self.secrets.set(name, value)
                written.append(name)
            try:
                with self.store.transaction() as c:
                    c.execute("BEGIN IMMEDIATE")
                    for key, value in settings.items():
                        c.execute(_SET_SETTING, (key, value))
            except sqlite3.Error as exc:
                raise store_error(exc, self.store.path) from None
        except BaseException:
            for name in written:
                try:
                    if before[name] is None:
                        self.secrets.delete(name)
                    else:
                        self.secrets.set(name, before[name])
                except Exception:  # noqa: BLE001 - best effort; the original error matters
                    pass
            raise
