"""The setup flow: SetupFlow holds what the user chose, decides which page is next, and commits.

Nothing is written while the user walks the pages: secrets (the Autotask secret and integration
code, new Xero tokens) stay in memory, settings stay in the flow, and ``commit()`` writes all of
it at once (secrets to the keyring only, settings to the store) when the user finishes. Cancel
leaves the keyring and settings exactly as they were.

Background work goes through jobs: zero-argument callables whose inputs (credentials, tokens,
tenant, saved mapping) are bound on the UI thread when the job is made, and whose result carries
the generation it was made for. ``set_autotask_input`` (and, for the mapping, a change of Xero
organisation) starts a new generation, so a result arriving after such a change is dropped.
"""

from __future__ import annotations

from collections.abc import Callable

from depot_gui.core.settings import SettingError, Settings
from depot_gui.store.db import Store
from depot_gui.store.secrets import SecretStore
from depot_gui.xero import oauth
from depot_gui.xero.errors import XeroAuthError

from depot_gui.sync.session.connections import (
    K_AT_USER,
    K_XERO_CLIENT,
    K_XERO_TENANT,
    K_XERO_TENANT_NAME,
    S_AT_CODE,
    S_AT_SECRET,
    S_XERO_TOKENS,
    MemoryTokenStore,
)
from depot_gui.sync.setup.autotask_step import AutotaskCheck, validate_autotask_input, verify_autotask
from depot_gui.sync.setup.commit import SetupCommit
from depot_gui.sync.setup.common import CONTACT_RULES, DEFAULT_CALLBACK_PORT, Endpoints, Page, keyring_problem
from depot_gui.sync.setup.jobs import FlowTokenStore, Job, NewXeroTokens, Tagged, XeroSignIn
from depot_gui.sync.setup.lob_step import LobVerdict, check_lines_of_business
from depot_gui.sync.mapping.mapping_step import (
    MappingChoice,
    MappingData,
    load_mapping_data,
    load_mapping_overrides,
    mapping_settings,
)
from depot_gui.sync.orgs.routing import K_DEFAULT, load_unused
from depot_gui.sync.setup.xero_step import Organisation, XeroLogin, fetch_organisations, xero_problem_message

__all__ = ["Job", "SetupFlow", "Tagged", "XeroSignIn"]


def stored_status(raw: dict[str, str]) -> str:
    """The stored status of new Xero invoices as Settings shows it ("draft" when none, or unreadable: the
    wizard opens whatever else is stored)."""
    try:
        return Settings().with_value("xero_status", raw.get("xero_status") or "draft").shown()["xero_status"]
    except SettingError:
        return "draft"


class SetupFlow:
    """What the user entered and verified so far; which page is next; committing it (``SetupCommit``).

    Holds the Autotask secret, integration code and new Xero tokens in memory only until
    ``commit()`` puts them in the keyring; str()/repr() never show them.
    """

    def __init__(self, store: Store, secrets: SecretStore, endpoints: Endpoints) -> None:
        self.store = store
        self.secrets = secrets
        self.endpoints = endpoints
        self._commit = SetupCommit(store, secrets)
        raw = store.raw_settings()
        self.username = raw.get(K_AT_USER, "")
        self._secret = ""
        self._code = ""
        self.autotask_generation = 0  # bumped by any change of the Autotask input
        self.mapping_generation = 0  # bumped by that and by a change of Xero organisation
        self.autotask_check: AutotaskCheck | None = None
        self.lob: LobVerdict | None = None
        self.lob_confirmed = False
        self.client_id = raw.get(K_XERO_CLIENT) or endpoints.default_client_id
        self.port = DEFAULT_CALLBACK_PORT
        self.organisations: list[Organisation] = []
        self.tenant_id = raw.get(K_DEFAULT) or raw.get(K_XERO_TENANT, "")  # the default organisation
        self.unused: set[str] = set(load_unused(store))  # organisations chosen not to be used
        self.xero_status = stored_status(raw)  # the status of new Xero invoices, as the mapping page offers it
        self.tenant_name = raw.get(K_XERO_TENANT_NAME, "")
        self.xero_connected = False
        self.xero_message = ""
        self._new_xero = NewXeroTokens()  # from a sign-in in this run, not yet committed
        self.mapping_data: MappingData | None = None
        self.mapping: MappingChoice | None = None
        self.mapping_saved = False
        self.committed = False

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

    def has_new_xero_tokens(self) -> bool:
        return self._new_xero.tokens is not None

    def autotask_credentials(self) -> tuple[str, str, str]:
        """(username, secret, code): what was typed, else what the keyring holds."""
        secret = self._secret or (self.secrets.get(S_AT_SECRET) or "")
        code = self._code or (self.secrets.get(S_AT_CODE) or "")
        return self.username, secret, code

    # -- page 1 -----------------------------------------------------------------------------
    def set_autotask_input(self, username: str, secret: str, code: str) -> None:
        """Typed values; any change forgets an earlier verification, verdict and mapping."""
        username = username.strip()
        if (username, secret, code.strip()) != (self.username, self._secret, self._code):
            self.autotask_generation += 1
            self.autotask_check = None
            self.lob = None
            self.lob_confirmed = False
            self.reset_mapping()
        self.username, self._secret, self._code = username, secret, code.strip()

    def autotask_input_problems(self) -> dict[str, str]:
        saved_user = self.store.raw_settings().get(K_AT_USER, "") == self.username
        return validate_autotask_input(
            self.username, self._secret, self._code,
            saved_secret=saved_user and self.has_saved_secret(),
            saved_code=saved_user and self.has_saved_code(),
        )

    def autotask_job(self) -> Job[AutotaskCheck]:
        """Zone discovery + test call with the current input bound; apply with ``apply_autotask_check``."""
        endpoints, creds = self.endpoints, self.autotask_credentials()
        return Job(self.autotask_generation, lambda: verify_autotask(endpoints, *creds))

    def apply_autotask_check(self, result: Tagged[AutotaskCheck]) -> bool:
        """Take a check's outcome unless the input changed since it started (then False)."""
        if result.generation != self.autotask_generation:
            return False
        self.autotask_check = result.value
        return True

    def verify_autotask(self) -> AutotaskCheck:
        """The page-1 network step, synchronously (the CLI, tests); does not apply the result."""
        return self.autotask_job()().value

    # -- page 2 -----------------------------------------------------------------------------
    def lob_job(self) -> Job[LobVerdict]:
        endpoints, creds = self.endpoints, self.autotask_credentials()
        return Job(self.autotask_generation, lambda: check_lines_of_business(endpoints, *creds))

    def apply_lob(self, result: Tagged[LobVerdict]) -> bool:
        """Take a verdict unless the Autotask input changed since the check started (then False)."""
        if result.generation != self.autotask_generation:
            return False
        self.lob = result.value
        self.lob_confirmed = False
        return True

    def check_lines_of_business(self) -> LobVerdict:
        return self.lob_job()().value

    # -- page 3 -----------------------------------------------------------------------------
    def token_store(self) -> oauth.TokenStore:
        """This run's new tokens if any, else the saved ones (read now)."""
        return FlowTokenStore(self._new_xero, self.secrets)

    def token_manager(self, clock: oauth.Clock | None = None) -> oauth.TokenManager:
        client_id = self._new_xero.client_id if self._new_xero.tokens is not None else (
            self.store.raw_settings().get(K_XERO_CLIENT) or self.endpoints.default_client_id
        )
        return self.endpoints.token_manager(client_id, self.token_store(), clock)

    def start_xero_login(self) -> XeroLogin:
        """The browser sign-in; Xero's attachments permission is asked for only when Autotask's PDF is attached."""
        scopes = oauth.scopes_for(attachments=self.store.settings().attach_autotask_pdf)
        return XeroLogin(self.endpoints, self.client_id, self.port, scopes)

    def xero_login_job(self, login: XeroLogin, timeout: float = 300.0) -> Callable[[], XeroSignIn]:
        """Wait for the browser, exchange the code (tokens kept in memory), list the organisations."""
        endpoints = self.endpoints

        def job() -> XeroSignIn:
            tokens = login.finish(MemoryTokenStore(), timeout)
            return XeroSignIn(login.client_id, tokens, fetch_organisations(endpoints, lambda: tokens.access_token))

        return job

    def apply_xero_sign_in(self, result: XeroSignIn) -> list[Organisation]:
        self._new_xero.tokens, self._new_xero.client_id = result.tokens, result.client_id
        self.organisations = list(result.organisations)
        return self.organisations

    def finish_xero_login(self, login: XeroLogin, timeout: float = 300.0) -> list[Organisation]:
        """``xero_login_job`` run and applied synchronously (the CLI, tests)."""
        return self.apply_xero_sign_in(self.xero_login_job(login, timeout)())

    def recheck_xero_job(self) -> Callable[[], list[Organisation]]:
        """With saved tokens: refresh if due and list the organisations (XeroAuthError if revoked)."""
        endpoints, token = self.endpoints, self.token_manager()
        return lambda: fetch_organisations(endpoints, token)

    def recheck_xero(self) -> list[Organisation]:
        return self.recheck_xero_job()()

    def choose_organisation(self, tenant_id: str) -> None:
        for org in self.organisations:
            if org.tenant_id == tenant_id:
                if org.tenant_id != self.tenant_id:
                    self.reset_mapping()
                self.tenant_id, self.tenant_name = org.tenant_id, org.name
                return
        raise ValueError(f"unknown organisation {tenant_id!r}")

    def use_organisation(self, tenant_id: str, used: bool) -> None:
        """Use an organisation (a company may be routed to it) or not; the default is always used."""
        if not used and tenant_id == self.tenant_id:
            raise ValueError("the default organisation is always used")
        (self.unused.discard if used else self.unused.add)(tenant_id)

    def used_organisations(self) -> list[Organisation]:
        return [o for o in self.organisations if o.tenant_id not in self.unused or o.tenant_id == self.tenant_id]

    # -- page 4 -----------------------------------------------------------------------------
    def reset_mapping(self) -> None:
        """Forget the loaded mapping (another Autotask user or Xero organisation): load it again."""
        self.mapping_generation += 1
        self.mapping_data = None
        self.mapping = None

    def mapping_job(self) -> Job[tuple[MappingData, MappingChoice]]:
        """Both sides' lookups plus the proposed choice, with credentials, tokens and saved mapping bound."""
        endpoints, creds = self.endpoints, self.autotask_credentials()
        token, tenant = self.token_manager(), self.tenant_id
        contact = self.store.settings().shown()["contact_match"]
        saved = load_mapping_overrides(self.store)

        def load() -> tuple[MappingData, MappingChoice]:
            with endpoints.autotask(*creds) as at, endpoints.xero(token, tenant) as xero:
                data = load_mapping_data(at, xero)
            return data, MappingChoice.proposed(data, saved, contact)

        return Job(self.mapping_generation, load)

    def apply_mapping(self, result: Tagged[tuple[MappingData, MappingChoice]]) -> bool:
        if result.generation != self.mapping_generation:
            return False
        self.mapping_data, self.mapping = result.value
        return True

    def load_mapping(self) -> tuple[MappingData, MappingChoice]:
        return self.mapping_job()().value

    def mapping_problems(self) -> tuple[list[str], list[str]]:
        if self.mapping is None or self.mapping_data is None:
            return ["The mapping has not been loaded yet."], []
        return self.mapping.check(self.mapping_data, self.store.settings().default_account)

    def check_mapping_settings(self) -> None:
        """Raise SettingError if the mapping could not be saved as settings (nothing is written)."""
        assert self.mapping is not None and self.mapping_data is not None
        mapping_settings(self.store, self.mapping.overrides(self.mapping_data), self.mapping.contact_match)

    # -- committing -------------------------------------------------------------------------
    def pending_changes(self) -> tuple[dict[str, str], dict[str, str]]:
        """(keyring entries, settings) that ``commit()`` would write: only what was verified."""
        verified = self.autotask_check is not None and self.autotask_check.ok
        mapping, data = self.mapping, self.mapping_data
        return self._commit.changes(
            username=self.username if verified else None, secret=self._secret, code=self._code,
            tenant=(self.tenant_id, self.tenant_name) if self.is_complete(Page.XERO) else None,
            unused=frozenset(o.tenant_id for o in self.organisations if o not in self.used_organisations()),
            xero_status=self.xero_status if mapping is not None else None,
            new_tokens=self._new_xero.tokens, client_id=self._new_xero.client_id,
            mapping=(mapping, data) if mapping is not None and data is not None else None,
        )

    def commit(self) -> None:
        """Write everything at once: secrets to the keyring only, then the settings in one
        transaction. If anything fails, the keyring entries written are put back and no setting
        changes (raises SecretStoreUnavailable, StoreError or SettingError)."""
        self._commit.write(*self.pending_changes())
        self._secret = self._code = ""
        self._new_xero.tokens, self._new_xero.client_id = None, ""
        self.mapping_saved = self.mapping is not None
        self.committed = True

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
            ("Xero organisation" if len(self.used_organisations()) < 2 else "Default Xero organisation",
             self.tenant_name or "(none)"),
            ("Secrets stored in" if self.committed else "Secrets will be stored in", self.secrets.where()),
        ]
        others = [o.name for o in self.used_organisations() if o.tenant_id != self.tenant_id]
        if others:
            rows.append(("Also used", ", ".join(others)))
        if self.lob is not None and not self.lob.green:
            rows.append(("Warning", "You continued although the API user cannot see everything: invoices "
                                    "with hidden billing items will not match and will not be synced."))
        if self.mapping is not None:
            mapped = sum(1 for v in self.mapping.accounts.values() if v)
            rows.append(("Billing codes mapped", f"{mapped} of {len(self.mapping.accounts)}"))
            rows.append(("Contact matching", CONTACT_RULES.get(self.mapping.contact_match, self.mapping.contact_match)))
        return rows
