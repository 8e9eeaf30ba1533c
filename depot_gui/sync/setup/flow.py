"""First-run setup, UI-agnostic: the flow state, validation, verification steps, saving, CLI.

The Qt wizard (``depot_gui.ui.wizard``) and ``depot-sync connect`` both drive this module.
Network steps are plain functions taking plain inputs and returning plain results (they never
raise for the failures a user can fix); ``SetupFlow`` holds what the user chose and decides
which page comes next. Secrets go to the keyring only (``SecretStore``), never to the store.
"""

from __future__ import annotations

import enum
import getpass
import json
import os
import sys
import threading
import time
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import httpx

from depot_gui.autotask.client import DEFAULT_ZONE_ROOT, AutotaskClient
from depot_gui.autotask.errors import (
    AutotaskAuthError,
    AutotaskError,
    AutotaskNetworkError,
    AutotaskPermissionError,
    AutotaskZoneError,
)
from depot_gui.autotask.models import AutotaskCredentials
from depot_gui.core.mapping import MappingOverrides
from depot_gui.core.models import AutotaskTax, BillingCode, LobAccess, XeroAccount, XeroTaxRate
from depot_gui.store.db import Store
from depot_gui.store.secrets import SecretStore, SecretStoreUnavailable
from depot_gui.xero import oauth
from depot_gui.xero.client import DEFAULT_API_ROOT, XeroClient
from depot_gui.xero.errors import XeroAuthError, XeroError, XeroLoginError

from .connect import (
    DEFAULT_XERO_CLIENT_ID,
    K_AT_USER,
    K_XERO_CLIENT,
    K_XERO_TENANT,
    K_XERO_TENANT_NAME,
    S_AT_CODE,
    S_AT_SECRET,
    S_XERO_TOKENS,
    SANDBOX_ROOT,
    KeyringTokenStore,
)
from .reference import LOB_ENTITIES, check_lob_access

__all__ = [
    "AutotaskCheck", "Endpoints", "LobVerdict", "MappingData", "MappingChoice", "Organisation", "Page",
    "SetupFlow", "XeroLogin", "K_MAPPING_ACCOUNTS", "K_MAPPING_TAX_TYPES", "CONTACT_RULES",
    "check_lines_of_business", "connect_cli", "describe_autotask_error", "fetch_organisations",
    "keyring_problem", "load_mapping_data", "load_mapping_overrides", "sandbox_browser", "verify_autotask",
]

K_MAPPING_ACCOUNTS = "mapping.accounts"  # JSON {"<billing code id>": "<Xero account code>"}
K_MAPPING_TAX_TYPES = "mapping.tax_types"  # JSON {"<Autotask rate, e.g. 10>": "<Xero TaxType>"}
DEFAULT_CALLBACK_PORT = 8765  # must match a redirect URI registered for the Xero app
BIND_HOST = "127.0.0.1"
# The receiver listens on 127.0.0.1 but the redirect URI says "localhost": Xero documents
# http://localhost redirects and reportedly refuses http://127.0.0.1 (xero-api.md §1.2).
REDIRECT_HOST = "localhost"
CONTACT_RULES = {
    "name": "Company name equals the Xero contact name",
    "account_number": "Company number equals the Xero contact's account number",
    "name_or_account_number": "Name first, then account number",
}
AUTOTASK_USER_PATH = (
    "Admin › Organization Settings & Users › Resources/Users (HR) › Resources/Users"
)


class Page(enum.Enum):
    """The wizard's pages, in order."""

    AUTOTASK = 0
    LOB = 1
    XERO = 2
    MAPPING = 3
    SUMMARY = 4


# -- where the services are ----------------------------------------------------------------------


@dataclass
class Endpoints:
    """Roots and transport for both services: the real ones, or the sandbox (in-process or served)."""

    autotask_root: str = DEFAULT_ZONE_ROOT
    xero_api_root: str = DEFAULT_API_ROOT
    xero_login_root: str = oauth.DEFAULT_LOGIN_ROOT
    xero_identity_root: str = oauth.DEFAULT_IDENTITY_ROOT
    transport: httpx.BaseTransport | None = None
    sandbox: bool = False
    default_client_id: str = DEFAULT_XERO_CLIENT_ID
    max_attempts: int = 2
    sleep: Callable[[float], None] = time.sleep
    timeout: float = 20.0

    @classmethod
    def single_root(cls, root: str, transport: httpx.BaseTransport | None = None, **kw: Any) -> Endpoints:
        """Every service under one base URL (the sandbox, in-process or on loopback)."""
        root = root.rstrip("/")
        return cls(root, root, root, root, transport, sandbox=True, **kw)

    @classmethod
    def for_session(cls, session: Any) -> Endpoints:
        """The real services, or the session's in-process sandbox."""
        sandbox = getattr(session, "sandbox", None)
        if sandbox is None:
            return cls()
        client_id = DEFAULT_XERO_CLIENT_ID
        try:
            from depot_gui.sandbox import load_scenario

            client_id = load_scenario(sandbox.scenario_path)["xero"].get("clientId") or client_id
        except Exception:  # noqa: BLE001 - the sandbox validated it already; keep the default
            pass
        return cls.single_root(SANDBOX_ROOT, sandbox.transport(), default_client_id=client_id)

    def autotask(self, username: str, secret: str, code: str) -> AutotaskClient:
        """An Autotask client that fails fast (the user is waiting on a setup page)."""
        return AutotaskClient(
            AutotaskCredentials(username, secret, code),
            zone_root=self.autotask_root,
            transport=self.transport,
            timeout=self.timeout,
            max_attempts=self.max_attempts,
            sleep=self.sleep,
        )

    def xero(self, token: Callable[[], str], tenant_id: str | None) -> XeroClient:
        return XeroClient(
            token, tenant_id, api_root=self.xero_api_root, transport=self.transport,
            timeout=self.timeout, max_attempts=self.max_attempts, sleep=self.sleep,
        )

    def token_manager(self, client_id: str, store: oauth.TokenStore, clock: oauth.Clock | None = None) -> oauth.TokenManager:
        kw = {"clock": clock} if clock is not None else {}
        return oauth.TokenManager(
            client_id, store, identity_root=self.xero_identity_root, transport=self.transport, **kw
        )


def keyring_problem(secrets: SecretStore) -> str | None:
    """None when the OS keyring works; otherwise the message saying how to get one."""
    try:
        secrets.get(S_AT_SECRET)
    except SecretStoreUnavailable as exc:
        return str(exc)
    return None


# -- step 1: Autotask credentials ----------------------------------------------------------------


@dataclass(frozen=True)
class AutotaskCheck:
    """Outcome of zone discovery + a test call. ``kind`` is "ok" or names the failure."""

    kind: str
    message: str
    zone_name: str = ""
    web_url: str = ""

    @property
    def ok(self) -> bool:
        return self.kind == "ok"


def validate_autotask_input(username: str, secret: str, code: str, *, saved_secret: bool = False,
                            saved_code: bool = False) -> dict[str, str]:
    """Field name -> problem, before anything is sent (empty dict: fine)."""
    problems: dict[str, str] = {}
    username = username.strip()
    if not username:
        problems["username"] = "Enter the API user's username (its 'Username (key)', shaped like an email address)."
    elif "@" not in username or any(c.isspace() for c in username):
        problems["username"] = (
            "An Autotask API username looks like an email address (for example api@yourcompany.com), "
            "without spaces."
        )
    if not secret and not saved_secret:
        problems["secret"] = "Enter the API user's secret (its 'Password (secret)')."
    if not code.strip() and not saved_code:
        problems["integration_code"] = (
            "Enter the API integration code: on the API user's page in Autotask, under API Tracking "
            "Identifier, choose 'Custom (Internal Integration)' and copy the generated code."
        )
    return problems


def describe_autotask_error(exc: AutotaskError, username: str) -> AutotaskCheck:
    """Turn a client error into one of the distinct messages the setup page shows."""
    if isinstance(exc, AutotaskZoneError):
        return AutotaskCheck(
            "unknown_user",
            f"Autotask does not know the API username '{username}'. Copy the 'Username (key)' from the "
            f"API user's page ({AUTOTASK_USER_PATH}) exactly; it looks like an email address.",
        )
    if isinstance(exc, AutotaskAuthError):
        if exc.user_message == AutotaskAuthError.integration_code_message or "integrationcode" in exc.detail.lower().replace(" ", ""):
            return AutotaskCheck(
                "integration_code",
                "Autotask accepted the username and secret but rejected the integration code. Copy the "
                "code shown under 'API Tracking Identifier' on the API user's page (27 characters).",
            )
        return AutotaskCheck(
            "wrong_secret",
            f"Autotask knows the API user '{username}' but refused the secret. Paste the secret again, "
            "or generate a new one on the API user's page (Credentials › Generate Secret) and use that.",
        )
    if isinstance(exc, AutotaskNetworkError):
        return _network_check(exc)
    if isinstance(exc, AutotaskPermissionError):
        return AutotaskCheck("permission", exc.user_message)
    return AutotaskCheck("other", exc.user_message)


def _network_check(exc: AutotaskNetworkError) -> AutotaskCheck:
    cause = exc.__cause__ or exc.__context__
    text = f"{type(cause).__name__} {cause}".lower() if cause is not None else exc.user_message.lower()
    if isinstance(cause, httpx.ProxyError) or "proxy" in text:
        return AutotaskCheck(
            "proxy",
            "The proxy server refused or failed the connection to Autotask. Check the proxy settings "
            "(HTTPS_PROXY) or ask IT to allow webservices*.autotask.net.",
        )
    if "ssl" in text or "certificate" in text or "tls" in text:
        return AutotaskCheck(
            "tls",
            "The secure (TLS) connection to Autotask failed, often because a firewall or antivirus "
            "inspects HTTPS. Ask IT to allow webservices*.autotask.net, or check the computer's clock.",
        )
    if isinstance(cause, httpx.TimeoutException):
        return AutotaskCheck(
            "network", "Autotask did not answer in time. Check the internet connection and try again."
        )
    return AutotaskCheck(
        "network",
        "Could not reach Autotask: this computer seems to be offline, or the address cannot be "
        "resolved. Check the internet connection (and any VPN) and try again.",
    )


def verify_autotask(endpoints: Endpoints, username: str, secret: str, code: str) -> AutotaskCheck:
    """Zone discovery, then an authenticated test call. Never raises for user-fixable problems."""
    username = username.strip()
    problems = validate_autotask_input(username, secret, code)
    if problems:
        kind = "missing_code" if list(problems) == ["integration_code"] else "invalid_input"
        return AutotaskCheck(kind, " ".join(problems.values()))
    with endpoints.autotask(username, secret, code.strip()) as client:
        try:
            zone = client.discover_zone()
            client.ping()
        except AutotaskError as exc:
            return describe_autotask_error(exc, username)
    return AutotaskCheck(
        "ok", f"Connected to Autotask ({zone.name or zone.api_base}) as {username}.", zone.name, zone.web_url
    )


# -- step 2: lines of business -------------------------------------------------------------------


@dataclass(frozen=True)
class LobVerdict:
    """The line-of-business verdict with its evidence. ``level``: green, red, or error."""

    level: str
    headline: str
    entity_access: tuple[tuple[str, str], ...] = ()
    structure_in_use: bool = False
    all_lines: tuple[str, ...] = ()
    user_lines: tuple[str, ...] = ()
    hidden: tuple[str, ...] = ()
    fix_steps: tuple[str, ...] = ()
    access: LobAccess | None = None

    @property
    def green(self) -> bool:
        return self.level == "green"


class _Recorder:
    """Wraps an AutotaskClient to keep the evidence check_lob_access reads (no second round trip)."""

    def __init__(self, client: AutotaskClient) -> None:
        self._client = client
        self.info: dict[str, dict] = {}
        self.rows: dict[str, list[dict]] = {}

    def entity_information(self, entity: str) -> dict:
        self.info[entity] = self._client.entity_information(entity)
        return self.info[entity]

    def query(self, entity: str, filters: list, **kw: Any) -> list[dict]:
        rows = self._client.query(entity, filters, **kw)
        self.rows.setdefault(entity, []).extend(rows)
        return rows


def _line_names(rows: dict[str, list[dict]]) -> dict[int, str]:
    level1 = {int(x["id"]): str(x.get("name") or "") for x in rows.get("OrganizationalLevel1s", [])}
    level2 = {int(x["id"]): str(x.get("name") or "") for x in rows.get("OrganizationalLevel2s", [])}
    names = {}
    for a in rows.get("OrganizationalLevelAssociations", []):
        if not a.get("isActive", True):
            continue
        parts = (level1.get(int(a.get("organizationalLevel1ID") or 0), ""),
                 level2.get(int(a.get("organizationalLevel2ID") or 0), ""))
        names[int(a["id"])] = " / ".join(p for p in parts if p) or f"association {a['id']}"
    return names


def lob_fix_steps(username: str, hidden: tuple[str, ...]) -> tuple[str, ...]:
    """The exact clicks in Autotask that give the API user every line of business."""
    return (
        f"In Autotask, open {AUTOTASK_USER_PATH}.",
        f"Find the API user {username} and open it with Edit.",
        "Go to its 'Line of Business' section.",
        "Either untick every line of business (an API user tied to none sees all of them, and "
        "new lines of business are then included automatically), or tick each hidden one: "
        + ", ".join(hidden) + ".",
        "Click Save & Close, then click Re-check here.",
    )


def security_fix_steps(entities: tuple[str, ...]) -> tuple[str, ...]:
    return (
        f"In Autotask, open {AUTOTASK_USER_PATH} and edit the API user.",
        "Set its Security Level to 'API User (system) (API-only)', or open Admin › Security Levels "
        "and give the API user's copy 'All' access to: " + ", ".join(entities) + ".",
        "Click Save & Close, then click Re-check here.",
    )


def check_lines_of_business(endpoints: Endpoints, username: str, secret: str, code: str) -> LobVerdict:
    """Run check_lob_access (reference §4.4) and turn it into a verdict with its evidence."""
    with endpoints.autotask(username, secret, code) as client:
        rec = _Recorder(client)
        try:
            access = check_lob_access(rec, username)
        except AutotaskError as exc:
            return LobVerdict("error", f"The line-of-business check could not finish: {exc.user_message}")
    entity_access = tuple(
        (e, "None" if rec.info.get(e, {}).get("canQuery") is False
         else str(rec.info.get(e, {}).get("userAccessForQuery") or "All"))
        for e in LOB_ENTITIES
    )
    all_lines = tuple(sorted(_line_names(rec.rows).values()))
    evidence = {
        "entity_access": entity_access, "structure_in_use": access.in_use, "all_lines": all_lines,
        "user_lines": access.user_lobs, "hidden": access.hidden, "access": access,
    }
    if not access.checked:
        return LobVerdict("red", access.note or "The API user's lines of business could not be checked.",
                          fix_steps=lob_fix_steps(username, all_lines), **evidence)
    steps: tuple[str, ...] = ()
    problems = []
    if access.restricted:
        problems.append(
            "The API user cannot see these lines of business: " + ", ".join(access.hidden)
            + ". Autotask silently leaves their billing items out, so invoices with them will not match."
        )
        steps += lob_fix_steps(username, access.hidden)
    if access.restricted_entities:
        problems.append(
            "The API user's security level limits what it can read: " + ", ".join(access.restricted_entities) + "."
        )
        steps += security_fix_steps(tuple(e.split(" ")[0] for e in access.restricted_entities))
    if problems:
        return LobVerdict("red", " ".join(problems), fix_steps=steps, **evidence)
    if not access.in_use:
        headline = "The API user sees every line of business (Organizational Structure is not in use)."
    else:
        headline = "The API user sees every line of business."
    return LobVerdict("green", headline, **evidence)


# -- step 3: Xero --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Organisation:
    """One entry of Xero's /connections."""

    tenant_id: str
    name: str
    connection_id: str = ""


class XeroLogin:
    """One PKCE sign-in: binds the loopback receiver, builds the browser URL, trades the code.

    Create it on the UI thread, open ``url`` in the browser, then call ``finish()`` off it.
    """

    def __init__(self, endpoints: Endpoints, client_id: str, port: int = DEFAULT_CALLBACK_PORT,
                 scopes: str = oauth.DEFAULT_SCOPES) -> None:
        if not client_id.strip():
            raise XeroLoginError("Enter the Xero app's client id (or keep the default).", detail="no client id")
        self.endpoints = endpoints
        self.client_id = client_id.strip()
        self._verifier = oauth.new_verifier()
        state = oauth.new_state()
        try:
            self.receiver = oauth.LoopbackReceiver(state, port, host=BIND_HOST, redirect_host=REDIRECT_HOST)
        except OSError:
            raise XeroLoginError(
                f"Port {port} on this computer is already in use, so Xero cannot send you back to Depot "
                "GUI. Close the other program using it (or another Depot GUI window) and try again.",
                detail="port in use",
            ) from None
        self.redirect_uri = self.receiver.redirect_uri
        self.url = oauth.build_authorize_url(
            self.client_id, self.redirect_uri, scopes, state, oauth.code_challenge(self._verifier),
            login_root=endpoints.xero_login_root,
        )

    def finish(self, token_store: oauth.TokenStore, timeout: float = 300.0) -> oauth.TokenSet:
        """Wait for the one redirect, check ``state``, exchange the code, save the tokens."""
        code, _state = self.receiver.wait(timeout)
        tokens = oauth.exchange_code(
            self.client_id, code, self.redirect_uri, self._verifier,
            identity_root=self.endpoints.xero_identity_root, transport=self.endpoints.transport,
        )
        token_store.save(tokens)
        return tokens

    def cancel(self) -> None:
        self.receiver.cancel()


def fetch_organisations(endpoints: Endpoints, token: Callable[[], str]) -> list[Organisation]:
    """The organisations this sign-in may use (raises XeroError, e.g. XeroAuthError when revoked)."""
    with endpoints.xero(token, None) as xero:
        rows = xero.connections()
    return [
        Organisation(str(r.get("tenantId")), str(r.get("tenantName") or r.get("tenantId")), str(r.get("id") or ""))
        for r in rows
        if str(r.get("tenantType") or "ORGANISATION").upper() == "ORGANISATION"
    ]


def sandbox_browser(transport: httpx.BaseTransport) -> Callable[[str], None]:
    """A stand-in browser for sandbox sessions: the sandbox's authorize page approves at once;
    follow its redirect to the app's loopback receiver over real HTTP (in a thread, like a browser)."""

    def visit(url: str) -> None:
        with httpx.Client(transport=transport, follow_redirects=False, timeout=30) as http:
            resp = http.get(url)
        location = resp.headers.get("location", "")
        if resp.status_code in (301, 302, 303, 307) and location:
            try:
                httpx.get(location, timeout=30, trust_env=False)
            except httpx.HTTPError:
                pass

    def open_url(url: str) -> None:
        threading.Thread(target=visit, args=(url,), daemon=True, name="sandbox-browser").start()

    return open_url


def xero_problem_message(exc: XeroError) -> str:
    """Message for the Xero page; a refused/revoked sign-in says to connect again."""
    if isinstance(exc, XeroAuthError):
        return (
            "Xero no longer accepts Depot GUI's connection (it was disconnected in Xero, revoked, or "
            "unused for 60 days). Click 'Connect to Xero' to sign in again."
        )
    return exc.user_message


# -- step 4: mapping -----------------------------------------------------------------------------


def rate_key(rate: Decimal) -> str:
    """The key MappingOverrides.tax_type_by_rate uses (``10``, ``7.5``)."""
    return f"{Decimal(rate).normalize():f}"


@dataclass
class MappingData:
    """What the mapping page shows: both sides' lookups."""

    billing_codes: list[BillingCode] = field(default_factory=list)
    taxes: list[AutotaskTax] = field(default_factory=list)
    accounts: list[XeroAccount] = field(default_factory=list)
    tax_rates: list[XeroTaxRate] = field(default_factory=list)

    def active_accounts(self) -> list[XeroAccount]:
        return [a for a in self.accounts if a.status == "ACTIVE" and a.code]

    def revenue_tax_rates(self) -> list[XeroTaxRate]:
        return [r for r in self.tax_rates if r.status == "ACTIVE" and r.can_apply_to_revenue]


def load_mapping_data(autotask: AutotaskClient, xero: XeroClient) -> MappingData:
    """Download active billing codes and taxes from Autotask, accounts and tax rates from Xero."""
    codes = [BillingCode.from_api(c) for c in autotask.query("BillingCodes", []) if c.get("isActive", True)]
    taxes = [AutotaskTax.from_api(t) for t in autotask.query("Taxes", [])]
    return MappingData(
        sorted(codes, key=lambda c: c.name.casefold()), taxes,
        [XeroAccount.from_api(a) for a in xero.accounts()], [XeroTaxRate.from_api(t) for t in xero.tax_rates()],
    )


@dataclass
class MappingChoice:
    """The mapping page's editable state: account per billing code id, TaxType per Autotask tax id."""

    accounts: dict[int, str] = field(default_factory=dict)
    tax_types: dict[int, str] = field(default_factory=dict)
    contact_match: str = "name_or_account_number"

    @classmethod
    def proposed(cls, data: MappingData, saved: MappingOverrides, contact_match: str) -> MappingChoice:
        """Saved choices first, else externalNumber when it is a Xero account, else a matching rate."""
        valid = {a.code for a in data.active_accounts()}
        accounts = {}
        for code in data.billing_codes:
            chosen = saved.account_by_billing_code.get(code.id, "")
            if not chosen and code.external_number in valid:
                chosen = code.external_number
            accounts[code.id] = chosen
        tax_types = {}
        rates = data.revenue_tax_rates()
        for tax in data.taxes:
            chosen = saved.tax_type_by_rate.get(rate_key(tax.rate), "")
            if not chosen:
                chosen = next((r.tax_type for r in rates if r.effective_rate == tax.rate), "")
            tax_types[tax.id] = chosen
        return cls(accounts, tax_types, contact_match.lower())

    def check(self, data: MappingData, default_account: str) -> tuple[list[str], list[str]]:
        """(errors that block saving, warnings for anything unmapped)."""
        errors: list[str] = []
        warnings: list[str] = []
        valid = {a.code for a in data.active_accounts()}
        for code in data.billing_codes:
            chosen = self.accounts.get(code.id, "").strip()
            if chosen and chosen not in valid:
                errors.append(f"Billing code '{code.name}': {chosen} is not an active Xero account code.")
            elif not chosen:
                hint = (f" (its external number {code.external_number} is not a Xero account)"
                        if code.external_number else "")
                warnings.append(
                    f"Billing code '{code.name}' has no Xero account{hint}: its lines will use the default "
                    f"account {default_account}."
                )
        types = {r.tax_type: r for r in data.tax_rates}
        by_rate: dict[str, set[str]] = {}
        for tax in data.taxes:
            chosen = self.tax_types.get(tax.id, "")
            if not chosen:
                warnings.append(
                    f"Autotask tax '{tax.name}' ({rate_key(tax.rate)}%) has no Xero tax rate: its lines will "
                    "use the Xero account's default tax rate."
                )
                continue
            if chosen not in types:
                errors.append(f"Autotask tax '{tax.name}': {chosen} is not a Xero tax rate.")
                continue
            if types[chosen].effective_rate != tax.rate:
                warnings.append(
                    f"Autotask tax '{tax.name}' is {rate_key(tax.rate)}% but Xero's {types[chosen].name} is "
                    f"{rate_key(types[chosen].effective_rate)}%: totals will not match."
                )
            by_rate.setdefault(rate_key(tax.rate), set()).add(chosen)
        for key, chosen_types in sorted(by_rate.items()):
            if len(chosen_types) > 1:
                errors.append(
                    f"Autotask taxes of {key}% are mapped to different Xero tax rates ({', '.join(sorted(chosen_types))}); "
                    "Depot GUI chooses the Xero tax rate by percentage, so pick one."
                )
        if self.contact_match not in CONTACT_RULES:
            errors.append(f"Choose how contacts are matched: {', '.join(CONTACT_RULES)}.")
        return errors, warnings

    def overrides(self, data: MappingData) -> MappingOverrides:
        rates = {t.id: rate_key(t.rate) for t in data.taxes}
        return MappingOverrides(
            {cid: code.strip() for cid, code in self.accounts.items() if code.strip()},
            {rates[tid]: tt for tid, tt in self.tax_types.items() if tt and tid in rates},
        )


def save_mapping(store: Store, overrides: MappingOverrides, contact_match: str) -> None:
    """Persist the mapping (settings table, JSON) and the contact matching rule."""
    settings = store.settings().with_value("contact_match", contact_match)
    store.set_setting(
        K_MAPPING_ACCOUNTS, json.dumps({str(k): v for k, v in sorted(overrides.account_by_billing_code.items())})
    )
    store.set_setting(K_MAPPING_TAX_TYPES, json.dumps(dict(sorted(overrides.tax_type_by_rate.items()))))
    store.set_setting("contact_match", settings.shown()["contact_match"])


def load_mapping_overrides(store: Store) -> MappingOverrides:
    """The mapping saved by the setup wizard, for the engine (empty when none or unreadable)."""
    raw = store.raw_settings()

    def read(key: str) -> dict:
        try:
            value = json.loads(raw.get(key) or "{}")
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}

    accounts = {}
    for k, v in read(K_MAPPING_ACCOUNTS).items():
        try:
            accounts[int(k)] = str(v)
        except (TypeError, ValueError):
            continue
    taxes = {rate_key(Decimal(str(k))): str(v) for k, v in read(K_MAPPING_TAX_TYPES).items() if _is_number(k)}
    return MappingOverrides(accounts, taxes)


def _is_number(text: object) -> bool:
    try:
        return Decimal(str(text)).is_finite()
    except ArithmeticError:
        return False


# -- the flow ------------------------------------------------------------------------------------


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


# -- depot-sync connect ------------------------------------------------------------------------


ENV_SECRET = "DEPOT_AUTOTASK_SECRET"
ENV_CODE = "DEPOT_AUTOTASK_INTEGRATION_CODE"


def _read_secret(prompt: str, env: str, stdin) -> str:
    """From the environment; else getpass when interactive; else one line of stdin."""
    value = os.environ.get(env)
    if value:
        return value
    if stdin is not None and stdin.isatty():
        return getpass.getpass(prompt)
    line = stdin.readline() if stdin is not None else ""
    return line.rstrip("\r\n")


def connect_cli(session: Any, args: Any, out, *, err=None, stdin=None,
                open_browser: Callable[[str], Any] | None = None, endpoints: Endpoints | None = None) -> int:
    """``depot-sync connect autotask|xero``: the wizard's steps without the window. Exit 0/1/2."""
    err = err or sys.stderr
    stdin = stdin if stdin is not None else sys.stdin
    endpoints = endpoints or Endpoints.for_session(session)
    secrets = SecretStore("depot-gui-sandbox") if endpoints.sandbox else SecretStore()
    flow = SetupFlow(session.store, secrets, endpoints)
    problem = flow.keyring_problem()
    if problem:
        print(f"depot-sync: {problem}", file=err)
        return 2
    try:
        if args.service == "autotask":
            return _connect_autotask(flow, args, out, err, stdin)
        return _connect_xero(flow, args, out, err, stdin, open_browser)
    except SecretStoreUnavailable as exc:
        print(f"depot-sync: {exc}", file=err)
        return 2


def _connect_autotask(flow: SetupFlow, args: Any, out, err, stdin) -> int:
    username = (args.username or flow.username or "").strip()
    if not username:
        print("depot-sync: give the API username with --username", file=err)
        return 2
    secret = _read_secret(f"Autotask secret for {username}: ", ENV_SECRET, stdin)
    code = args.integration_code or os.environ.get(ENV_CODE, "")
    flow.set_autotask_input(username, secret, code)
    problems = flow.autotask_input_problems()
    if problems:
        print(f"depot-sync: {' '.join(problems.values())}", file=err)
        return 2
    check = flow.verify_autotask()
    if not check.ok:
        print(f"depot-sync: {check.message}", file=err)
        return 2
    print(check.message, file=out)
    verdict = flow.check_lines_of_business()
    flow.save_autotask()
    print(f"Saved: username in the settings, secret and integration code in {flow.secrets.where()}.", file=out)
    _print_verdict(verdict, out)
    return 0 if verdict.green else 1


def _print_verdict(v: LobVerdict, out) -> None:
    print(("OK: " if v.green else "PROBLEM: ") + v.headline, file=out)
    for entity, access in v.entity_access:
        print(f"  {entity}: {access}", file=out)
    if v.entity_access:
        print(f"  Organizational Structure in use: {'yes' if v.structure_in_use else 'no'}", file=out)
    if v.all_lines:
        print(f"  All active lines of business: {', '.join(v.all_lines)}", file=out)
        print(f"  API user's lines of business: {', '.join(v.user_lines) or '(none: all)'}", file=out)
    for i, step in enumerate(v.fix_steps, 1):
        print(f"  {i}. {step}", file=out)


def _connect_xero(flow: SetupFlow, args: Any, out, err, stdin, open_browser) -> int:
    if args.client_id:
        flow.client_id = args.client_id
    if args.port:
        flow.port = args.port
    if open_browser is None:
        open_browser = sandbox_browser(flow.endpoints.transport) if flow.endpoints.sandbox else webbrowser.open
    try:
        login = flow.start_xero_login()
        print(f"Opening the browser to sign in to Xero. If it does not open, visit:\n{login.url}", file=out)
        open_browser(login.url)
        flow.organisations = flow.finish_xero_login(login)
    except XeroError as exc:
        print(f"depot-sync: {exc.user_message}", file=err)
        return 2
    if not flow.organisations:
        print("depot-sync: the Xero sign-in gave access to no organisation; sign in again and tick one.", file=err)
        return 2
    org = flow.organisations[0]
    if len(flow.organisations) > 1 and stdin is not None and stdin.isatty():
        for i, o in enumerate(flow.organisations, 1):
            print(f"  {i}. {o.name}", file=out)
        choice = input("Organisation number: ").strip()
        if choice.isdigit() and 1 <= int(choice) <= len(flow.organisations):
            org = flow.organisations[int(choice) - 1]
    flow.choose_organisation(org.tenant_id)
    flow.save_xero()
    flow.xero_connected = True
    print(f"Connected to Xero organisation {org.name}; tokens saved in {flow.secrets.where()}.", file=out)
    return 0
