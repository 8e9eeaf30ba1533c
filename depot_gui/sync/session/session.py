"""One open data directory: store, settings, connections (real or sandbox), engine."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from depot_gui.autotask.errors import AutotaskError
from depot_gui.core.settings import SettingError, Settings
from depot_gui.store.db import Store, StoreDamaged, StoreError
from depot_gui.store.opening import open_store, settings_from
from depot_gui.store.logs import configure_file_log
from depot_gui.store.paths import Paths, not_a_file, paths_for
from depot_gui.store.secrets import SecretStoreUnavailable
from depot_gui.xero.errors import XeroError

from depot_gui.sync.mapping.known_accounts import check_account_settings
from depot_gui.sync.session.connections import Connections, NotConnected, saved_connections, sandbox_connections
from depot_gui.sync.invoices.audit import CancelToken, Auditor, Progress

if TYPE_CHECKING:
    from depot_gui.sync.payments.payments_back import PaymentsBack
    from depot_gui.sync.sending.sender import Sender
from depot_gui.sync.invoices.syncer import Syncer


class SessionError(Exception):
    """Something the user must fix before the command can run; str() is one clear sentence.

    ``damaged`` is the StoreDamaged behind it when the local database is damaged (offer repair).
    ``user_message`` is the window's wording when it differs (no command lines in the window).
    ``service_failed``: Autotask or Xero failed or refused while connecting (setup itself is there).
    """

    def __init__(self, message: str = "", user_message: str = "", damaged: StoreDamaged | None = None,
                 service_failed: bool = False) -> None:
        super().__init__(message)
        self.user_message = user_message or message
        self.damaged = damaged
        self.service_failed = service_failed


def open_sandbox(paths: Paths, scenario: Path, served: bool = False, options: dict | None = None,
                 attach_url: str | None = None):
    """The sandbox of ``scenario`` with its state in the data dir; SessionError for a bad scenario or state.

    ``served``: in a child process on loopback (the session talks to it over HTTP, as to the real
    services, and none of its work holds this process's GIL); else in this process. ``attach_url``: the
    one another process serves there (a sync in a process of its own, sync/child/).
    """
    from depot_gui.sandbox import Sandbox, ScenarioError, StateDamaged

    if attach_url:
        from depot_gui.sandbox.http.child import ChildSandbox

        return ChildSandbox.attach(attach_url, scenario)
    if served:
        from depot_gui.sandbox.http.child import ChildFailed, ChildSandbox

        try:
            return ChildSandbox.start(scenario, paths.sandbox_state, **(options or {}))
        except ChildFailed as exc:
            raise SessionError(str(exc)) from None
        except OSError as exc:
            raise SessionError(f"the sandbox process cannot be started: {exc.strerror or exc}") from None
    try:
        return Sandbox.open(scenario, state_dir=paths.sandbox_state, **(options or {}))
    except (ScenarioError, StateDamaged) as exc:
        raise SessionError(str(exc)) from None
    except OSError as exc:  # a read-only data dir: the sandbox keeps its state (and a lock file) there
        what = "it is read-only for your user" if isinstance(exc, PermissionError) else (exc.strerror or str(exc))
        raise SessionError(f"the sandbox state in {paths.sandbox_state} cannot be written: {what}; "
                           "give your user write access to the data directory") from None


class Session:
    """The data dir, its store and (lazily) the connections both UIs work through."""

    def __init__(self, paths: Paths, store: Store, scenario: Path | None, sandbox=None) -> None:
        self.paths = paths
        self.store = store
        self.scenario = scenario
        self._conn: Connections | None = None
        self._conn_lock = threading.Lock()  # the window's workers may ask at the same time
        self.sandbox = sandbox
        if scenario is not None and sandbox is None:
            self.sandbox = open_sandbox(paths, scenario)

    @classmethod
    def open(cls, data_dir: str | Path | None, scenario: str | Path | None = None, need_connections: bool = False,
             *, served: bool = False, sandbox_options: dict | None = None, attach_url: str | None = None,
             log_to_file: bool = True) -> "Session":
        """``served``: the scenario's sandbox runs in a child process (ChildSandbox), else in this one;
        ``attach_url``: it is served there already (by the process that started this one). ``log_to_file``:
        False in a child whose records its parent writes (sync/child/)."""
        try:
            paths = paths_for(data_dir)
        except ValueError as exc:
            raise SessionError(str(exc)) from None
        try:
            paths.ensure()
            if log_to_file:
                configure_file_log(paths)
        except OSError as exc:
            raise SessionError(f"the data directory {paths.data_dir} cannot be used: {exc.strerror or exc}") from None
        scenario_path, sandbox = None, None
        if scenario is not None:  # a bad scenario or sandbox state is reported before the database is touched
            scenario_path = Path(scenario).expanduser()
            kind = _not_a_file(scenario_path)
            if kind == "a folder":
                raise SessionError(f"{scenario_path} is a folder; give the scenario file (a .json file) in it")
            if kind:
                raise SessionError(f"{scenario_path} is {kind}, not a scenario file; give the scenario file (a .json file)")
            if not scenario_path.is_file():
                raise SessionError(f"scenario file {scenario_path} does not exist")
            sandbox = open_sandbox(paths, scenario_path, served, sandbox_options, attach_url)
        try:
            store = open_store(paths)
        except StoreDamaged as exc:
            _close_sandbox(sandbox)
            raise SessionError(str(exc), exc.user_message, damaged=exc) from None
        except StoreError as exc:
            _close_sandbox(sandbox)
            raise SessionError(str(exc)) from None
        session = cls(paths, store, scenario_path, sandbox)
        if need_connections:
            try:
                store.settings()  # a bad stored setting is reported before any request is made
            except StoreError as exc:
                session.close()
                raise SessionError(str(exc)) from None
            session.connections()
        return session

    def __enter__(self) -> "Session":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
        self.store.close()
        if self.sandbox is not None:
            self.sandbox.save()

    def reconnect(self) -> None:
        """Forget the current clients (after the setup wizard saved new credentials)."""
        with self._conn_lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    @property
    def served_url(self) -> str | None:
        """Where the sandbox is served when another process can reach it (a child's loopback URL); None for
        the real services or a sandbox inside this process."""
        return getattr(self.sandbox, "base_url", None) if self.sandbox is not None else None

    @property
    def reachable_apart(self) -> bool:
        """Whether another process can open this session's services too: the real ones, or a served sandbox
        (not one inside this process)."""
        return self.sandbox is None or self.served_url is not None

    def is_set_up(self) -> bool:
        """Whether setup has saved connection details (sandbox sessions always are)."""
        from depot_gui.sync.session.connections import K_AT_USER, K_XERO_TENANT

        if self.sandbox is not None:
            return True
        raw = self.store.raw_settings()
        return bool(raw.get(K_AT_USER) and raw.get(K_XERO_TENANT))

    def connected(self) -> Connections | None:
        """The clients if connected already, else None (never connects: safe on the GUI thread)."""
        return self._conn

    def connections(self) -> Connections:
        """The clients, connected; SessionError when setup is missing or refused."""
        with self._conn_lock:
            return self._connect()

    def _connect(self) -> Connections:
        if self._conn is None:
            try:
                if self.sandbox is not None:
                    self._conn = sandbox_connections(self.sandbox, self.store)
                else:
                    self._conn = saved_connections(self.store)
            except NotConnected as exc:
                raise SessionError(str(exc), exc.user_message) from None
            except SecretStoreUnavailable as exc:
                raise SessionError(str(exc)) from None
            except (AutotaskError, XeroError) as exc:
                raise SessionError(exc.user_message, service_failed=True) from None
            self._conn = self._to_default(self._conn)
        return self._conn

    def _to_default(self, conn: Connections) -> Connections:
        """The connections pointed at the organisation chosen as the default (`orgs default`), if any."""
        from depot_gui.sync.orgs.routing import load_routes

        default = load_routes(self.store).default
        if not default or default.lower() == conn.tenant_id.lower() or conn.xero_factory is None:
            return conn
        try:
            known = {str(t.get("tenantId", "")).lower() for t in conn.organisations()}
        except XeroError as exc:
            raise SessionError(exc.user_message, service_failed=True) from None
        return conn.for_tenant(default) if default.lower() in known else conn

    def auditor(self, progress: Progress | None = None, cancel: CancelToken | None = None) -> Auditor:
        from depot_gui.sync.setup import load_mapping_overrides

        return Auditor(
            self.store, self.connections(), progress=progress, cancel=cancel,
            overrides=load_mapping_overrides(self.store),
        )

    def syncer(self, progress: Progress | None = None, cancel: CancelToken | None = None, *,
               replace_edits: bool = False) -> Syncer:
        """``replace_edits``: write Autotask's lines over drafts edited in Xero (asked for, after review).

        With companies routed to other organisations, one Syncer per organisation."""
        from depot_gui.sync.orgs.routed_sync import RoutedSyncer
        from depot_gui.sync.orgs.routing import load_routes

        auditor = self.auditor(progress, cancel)
        if load_routes(self.store).companies:
            return RoutedSyncer(auditor, replace_edits=replace_edits)  # type: ignore[return-value]
        return Syncer(auditor, replace_edits=replace_edits)

    def payments(self, progress: Progress | None = None, cancel: CancelToken | None = None,
                 recheck_paid: bool = False) -> "PaymentsBack":
        """The payments-back check (connects only when the setting is on and there is work)."""
        from depot_gui.sync.payments.payments_back import PaymentsBack

        return PaymentsBack(self.store, self.connections, progress=progress, cancel=cancel, recheck_paid=recheck_paid)

    def sender(self, progress: Progress | None = None, cancel: CancelToken | None = None) -> "Sender":
        """Emailing (or marking as sent) approved invoices from Xero (connects when an invoice needs Xero)."""
        from depot_gui.sync.sending.sender import Sender

        return Sender(self.store, self.connections, progress=progress, cancel=cancel)

    def settings(self) -> Settings:
        return self.store.settings()

    def set_setting(self, key: str, value: str) -> Settings:
        """Validate and store one setting (SettingError when invalid)."""
        return self.set_settings({key: value})

    def set_settings(self, texts: dict[str, str]) -> Settings:
        """Validate every value first, then store them all (nothing stored when one is invalid).

        Setting a key replaces a damaged stored value of that key; a damaged value of another key
        is reported (BadStoredSetting), never silently replaced by its default.
        """
        for key, value in texts.items():
            try:
                Settings().with_value(key, value)  # SettingError naming the value the user gave
            except SettingError as exc:
                exc.key = key
                raise
        check_account_settings(self.store, texts)  # an account code the organisation does not have
        settings = settings_from(self.store.raw_settings(), texts)
        conflict = settings.conflict(texts)  # e.g. a prefixed numbering without a prefix
        if conflict is not None:
            raise conflict
        self.store.save_settings(settings)
        if self.sandbox is not None and settings.attach_autotask_pdf and "attach_autotask_pdf" in texts:
            self.reconnect()  # the sandbox signs in again at once, asking Xero's attachments permission too
        return settings


def _close_sandbox(sandbox) -> None:
    """A served sandbox's child stops with the session that could not open (an in-process one needs nothing)."""
    if sandbox is not None and hasattr(sandbox, "process"):
        sandbox.close()


def _not_a_file(path: Path) -> str:
    try:
        return not_a_file(path)
    except OSError as exc:
        raise SessionError(f"the scenario file {path} cannot be read: {exc.strerror or exc}") from None
