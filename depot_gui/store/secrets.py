"""Secrets live in the OS keyring and nowhere else; no plaintext fallback."""

from __future__ import annotations

import json
from dataclasses import dataclass

import keyring
import keyring.errors

SERVICE = "depot-gui"


class SecretStoreUnavailable(RuntimeError):
    """No usable OS keyring: say so and how to get one."""

    def __init__(self, detail: str = "") -> None:
        super().__init__(
            "No system keyring is available to store passwords securely. On Windows and macOS "
            "this is built in; on Linux install and unlock a Secret Service keyring "
            "(for example gnome-keyring or KWallet) and start Depot GUI again."
        )
        self.detail = detail  # the backend's name, for the log and diagnostics


@dataclass
class SecretStore:
    """get/set/delete of named secrets under one keyring service."""

    service: str = SERVICE

    def _backend(self):
        backend = keyring.get_keyring()
        name = type(backend).__module__ + "." + type(backend).__name__
        if name.startswith("keyring.backends.fail") or name.startswith("keyrings.alt"):
            raise SecretStoreUnavailable(name)
        return backend

    def where(self) -> str:
        """A user-facing description of where secrets are stored."""
        try:
            backend = self._backend()
        except SecretStoreUnavailable:
            return "nowhere (no system keyring)"
        return getattr(backend, "name", type(backend).__name__)

    def get(self, name: str) -> str | None:
        try:
            return self._backend().get_password(self.service, name)
        except keyring.errors.KeyringError as exc:
            raise SecretStoreUnavailable(type(exc).__name__) from None

    def set(self, name: str, value: str) -> None:
        try:
            self._backend().set_password(self.service, name, value)
        except keyring.errors.KeyringError as exc:
            raise SecretStoreUnavailable(type(exc).__name__) from None

    def delete(self, name: str) -> None:
        try:
            self._backend().delete_password(self.service, name)
        except keyring.errors.PasswordDeleteError:
            pass
        except keyring.errors.KeyringError as exc:
            raise SecretStoreUnavailable(type(exc).__name__) from None

    def get_json(self, name: str) -> dict | None:
        raw = self.get(name)
        if not raw:
            return None
        try:
            value = json.loads(raw)
        except ValueError:
            return None
        return value if isinstance(value, dict) else None

    def set_json(self, name: str, value: dict) -> None:
        self.set(name, json.dumps(value, separators=(",", ":")))


class MemorySecretStore(SecretStore):
    """Secrets kept in this process only: for sandbox sessions, whose credentials are not secrets.

    The demo works on machines without a keyring; nothing here outlives the process.
    """

    def __init__(self) -> None:
        super().__init__("depot-gui-memory")
        self._values: dict[str, str] = {}

    def where(self) -> str:
        return "memory only (sandbox credentials are not secrets)"

    def get(self, name: str) -> str | None:
        return self._values.get(name)

    def set(self, name: str, value: str) -> None:
        self._values[name] = value

    def delete(self, name: str) -> None:
        self._values.pop(name, None)
