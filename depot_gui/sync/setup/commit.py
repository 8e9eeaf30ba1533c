"""Committing the setup flow: what it would write, and writing it all at once.

Secrets go to the keyring only, settings to the store in one transaction; if anything fails the
keyring entries already written are put back and no setting changes.
"""

from __future__ import annotations

import json
import sqlite3
from typing import TYPE_CHECKING

from depot_gui.store.db import Store, StoreError
from depot_gui.store.guard import store_error
from depot_gui.store.secrets import SecretStore
from depot_gui.xero import oauth

from depot_gui.sync.session.connections import K_AT_USER, K_XERO_CLIENT, K_XERO_TENANT, K_XERO_TENANT_NAME, S_AT_CODE, S_AT_SECRET, S_XERO_TOKENS
from depot_gui.sync.setup.autotask_step import AutotaskCheck
from depot_gui.sync.setup.common import Page
from depot_gui.sync.mapping.mapping_step import MappingChoice, MappingData, mapping_settings

_SET_SETTING = "INSERT INTO settings(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value=excluded.value"


class FlowCommitMixin:
    """``pending_changes()`` and ``commit()`` for ``SetupFlow`` (which provides the state below)."""

    if TYPE_CHECKING:  # provided by SetupFlow
        store: Store
        secrets: SecretStore
        username: str
        _secret: str
        _code: str
        autotask_check: AutotaskCheck | None
        tenant_id: str
        tenant_name: str
        _xero_tokens: oauth.TokenSet | None
        _xero_client: str
        mapping_data: MappingData | None
        mapping: MappingChoice | None
        mapping_saved: bool
        committed: bool

        def is_complete(self, page: Page) -> bool: ...

    # -- committing -------------------------------------------------------------------------
    def pending_changes(self) -> tuple[dict[str, str], dict[str, str]]:
        """(keyring entries, settings) that ``commit()`` would write: only what was verified."""
        secrets: dict[str, str] = {}
        settings: dict[str, str] = {}
        if self.autotask_check is not None and self.autotask_check.ok:
            settings[K_AT_USER] = self.username
            if self._secret:
                secrets[S_AT_SECRET] = self._secret
            if self._code:
                secrets[S_AT_CODE] = self._code
        if self.is_complete(Page.XERO):
            if self._xero_tokens is not None:
                secrets[S_XERO_TOKENS] = json.dumps(self._xero_tokens.to_dict(), separators=(",", ":"))
                settings[K_XERO_CLIENT] = self._xero_client
            settings[K_XERO_TENANT] = self.tenant_id
            settings[K_XERO_TENANT_NAME] = self.tenant_name
        if self.mapping is not None and self.mapping_data is not None:
            settings.update(mapping_settings(
                self.store, self.mapping.overrides(self.mapping_data), self.mapping.contact_match
            ))
        return secrets, settings

    def commit(self) -> None:
        """Write everything at once: secrets to the keyring only, then the settings in one
        transaction. If anything fails, the keyring entries written are put back and no setting
        changes (raises SecretStoreUnavailable, StoreError or SettingError)."""
        secrets, settings = self.pending_changes()
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
        self._secret = self._code = ""
        self._xero_tokens, self._xero_client = None, ""
        self.mapping_saved = self.mapping is not None
        self.committed = True
