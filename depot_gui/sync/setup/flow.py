"""The setup flow: SetupFlow holds what the user chose, decides which page is next, and saves."""

from __future__ import annotations

from depot_gui.store.db import Store
from depot_gui.store.secrets import SecretStore
from depot_gui.xero import oauth
from depot_gui.xero.errors import XeroAuthError

from ..connect import (
    K_AT_USER,
    K_XERO_CLIENT,
    K_XERO_TENANT,
    K_XERO_TENANT_NAME,
    S_AT_CODE,
    S_AT_SECRET,
    S_XERO_TOKENS,
    KeyringTokenStore,
)
from .autotask_step import AutotaskCheck, validate_autotask_input, verify_autotask
from .common import CONTACT_RULES, DEFAULT_CALLBACK_PORT, Endpoints, Page, keyring_problem
from .lob_step import LobVerdict, check_lines_of_business
from .mapping_step import MappingChoice, MappingData, load_mapping_data, load_mapping_overrides, save_mapping
from .xero_step import Organisation, XeroLogin, fetch_organisations, xero_problem_message


class SetupFlow:
    """What the user entered and verified so far; which page is next; saving.

    Holds the Autotask secret and integration code in memory only until ``save_autotask`` puts
    them in the keyring; str()/repr() never show them.
    """

    def __init__(self, store: Store, secrets: SecretStore, endpoints: Endpoints) -> None:
        self.store = store
        self.secrets = secrets
        self.endpoints = endpoints
        raw = store.raw_settings()
        self.username = raw.get(K_AT_USER, "")
        self._secret = ""
        self._code = ""
        self.autotask_check: AutotaskCheck | None = None
        self.lob: LobVerdict | None = None
        self.lob_confirmed = False
        self.client_id = raw.get(K_XERO_CLIENT) or endpoints.default_client_id
        self.port = DEFAULT_CALLBACK_PORT
        self.organisations: list[Organisation] = []
        self.tenant_id = raw.get(K_XERO_TENANT, "")
        self.tenant_name = raw.get(K_XERO_TENANT_NAME, "")
        self.xero_connected = False
        self.xero_message = ""
        self.mapping_data: MappingData | None = None
        self.mapping: MappingChoice | None = None
        self.mapping_saved = False

    def __repr__(self) -> str:
        return f"SetupFlow(username={self.username!r}, tenant={self.tenant_name!r})"

    # -- what is saved ----------------------------------------------------------------------
    def keyring_problem(self) -> str | None:
        return keyring_problem(self.secrets)

    def has_saved_secret(self) -> bool:
        return bool(self.username) and bool(self.secrets.get(S_AT_SECRET))

    def has_saved_code(self) -> bool:
        return bool(self.username) and bool(self.secrets.get(S_AT_CODE))

    def has_saved_xero(self) -> bool:
        return bool(self.tenant_id) and self.secrets.get(S_XERO_TOKENS) is not None

    def autotask_credentials(self) -> tuple[str, str, str]:
        """(username, secret, code): what was typed, else what the keyring holds."""
        secret = self._secret or (self.secrets.get(S_AT_SECRET) or "")
        code = self._code or (self.secrets.get(S_AT_CODE) or "")
        return self.username, secret, code

    # -- page 1 -----------------------------------------------------------------------------
    def set_autotask_input(self, username: str, secret: str, code: str) -> None:
        """Typed values; any change forgets an earlier verification."""
        username = username.strip()
        if (username, secret, code.strip()) != (self.username, self._secret, self._code):
            self.autotask_check = None
            self.lob = None
            self.lob_confirmed = False
        self.username, self._secret, self._code = username, secret, code.strip()

    def autotask_input_problems(self) -> dict[str, str]:
        saved_user = self.store.raw_settings().get(K_AT_USER, "") == self.username
        return validate_autotask_input(
            self.username, self._secret, self._code,
            saved_secret=saved_user and self.has_saved_secret(),
            saved_code=saved_user and self.has_saved_code(),
        )

    def verify_autotask(self) -> AutotaskCheck:
        """The network step for page 1 (call off the UI thread; apply with ``apply``)."""
        return verify_autotask(self.endpoints, *self.autotask_credentials())

    def save_autotask(self) -> None:
        """Username to the settings table; secret and integration code to the keyring only."""
        username, secret, code = self.autotask_credentials()
        self.secrets.set(S_AT_SECRET, secret)
        self.secrets.set(S_AT_CODE, code)
        self.store.set_setting(K_AT_USER, username)
        self._secret = self._code = ""

    # -- page 2 -----------------------------------------------------------------------------
    def check_lines_of_business(self) -> LobVerdict:
        return check_lines_of_business(self.endpoints, *self.autotask_credentials())

    # -- page 3 -----------------------------------------------------------------------------
    def token_store(self) -> KeyringTokenStore:
        return KeyringTokenStore(self.secrets)

    def token_manager(self, clock: oauth.Clock | None = None) -> oauth.TokenManager:
        return self.endpoints.token_manager(self.client_id, self.token_store(), clock)

    def start_xero_login(self) -> XeroLogin:
        return XeroLogin(self.endpoints, self.client_id, self.port)

    def finish_xero_login(self, login: XeroLogin, timeout: float = 300.0) -> list[Organisation]:
        """Wait for the browser, exchange the code, save the tokens, list the organisations."""
        tokens = login.finish(self.token_store(), timeout)
        return fetch_organisations(self.endpoints, lambda: tokens.access_token)

    def recheck_xero(self) -> list[Organisation]:
        """With saved tokens: refresh if due and list the organisations (XeroAuthError if revoked)."""
        return fetch_organisations(self.endpoints, self.token_manager())

    def choose_organisation(self, tenant_id: str) -> None:
        for org in self.organisations:
            if org.tenant_id == tenant_id:
                self.tenant_id, self.tenant_name = org.tenant_id, org.name
                return
        raise ValueError(f"unknown organisation {tenant_id!r}")

    def save_xero(self) -> None:
        self.store.set_setting(K_XERO_CLIENT, self.client_id)
        self.store.set_setting(K_XERO_TENANT, self.tenant_id)
        self.store.set_setting(K_XERO_TENANT_NAME, self.tenant_name)

    # -- page 4 -----------------------------------------------------------------------------
    def load_mapping(self) -> tuple[MappingData, MappingChoice]:
        username, secret, code = self.autotask_credentials()
        with self.endpoints.autotask(username, secret, code) as at, \
                self.endpoints.xero(self.token_manager(), self.tenant_id) as xero:
            data = load_mapping_data(at, xero)
        contact = self.store.settings().shown()["contact_match"]
        return data, MappingChoice.proposed(data, load_mapping_overrides(self.store), contact)

    def mapping_problems(self) -> tuple[list[str], list[str]]:
        if self.mapping is None or self.mapping_data is None:
            return ["The mapping has not been loaded yet."], []
        return self.mapping.check(self.mapping_data, self.store.settings().default_account)

    def save_mapping(self) -> None:
        assert self.mapping is not None and self.mapping_data is not None
        save_mapping(self.store, self.mapping.overrides(self.mapping_data), self.mapping.contact_match)
        self.mapping_saved = True

    # -- navigation -------------------------------------------------------------------------
    def start_page(self, problem: BaseException | None = None) -> Page:
        """Where the wizard opens: at Xero when the saved Xero connection was refused or revoked."""
        if isinstance(problem, XeroAuthError) and self.has_saved_secret():
            self.xero_message = xero_problem_message(problem)
            return Page.XERO
        return Page.AUTOTASK

    def is_complete(self, page: Page) -> bool:
        """May the user leave ``page`` forwards?"""
        if page is Page.AUTOTASK:
            return self.autotask_check is not None and self.autotask_check.ok
        if page is Page.LOB:
            return self.lob is not None and (self.lob.green or self.lob_confirmed)
        if page is Page.XERO:
            return self.xero_connected and any(o.tenant_id == self.tenant_id for o in self.organisations)
        if page is Page.MAPPING:
            return self.mapping is not None and not self.mapping_problems()[0]
        return True

    @staticmethod
    def next_page(page: Page) -> Page | None:
        order = list(Page)
        i = order.index(page)
        return order[i + 1] if i + 1 < len(order) else None

    def summary(self) -> list[tuple[str, str]]:
        """(label, value) rows for the summary page (no secrets)."""
        rows = [
            ("Autotask API user", self.username),
            ("Autotask zone", self.autotask_check.zone_name if self.autotask_check else "(saved)"),
            ("Lines of business", self.lob.headline if self.lob else "(not checked)"),
            ("Xero organisation", self.tenant_name or "(none)"),
            ("Secrets stored in", self.secrets.where()),
        ]
        if self.lob is not None and not self.lob.green:
            rows.append(("Warning", "You continued although the API user cannot see everything: invoices "
                                    "with hidden billing items will not match and will not be synced."))
        if self.mapping is not None:
            mapped = sum(1 for v in self.mapping.accounts.values() if v)
            rows.append(("Billing codes mapped", f"{mapped} of {len(self.mapping.accounts)}"))
            rows.append(("Contact matching", CONTACT_RULES.get(self.mapping.contact_match, self.mapping.contact_match)))
        return rows
