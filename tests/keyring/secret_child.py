"""Run inside a D-Bus session (by test_secret_service.py): the app's SecretStore against the real keyring.

Prints one JSON object with what each step saw. Not a test module itself (no test_ prefix).
"""

from __future__ import annotations

import json
import sys


def main(mode: str, data_dir: str) -> dict:
    import keyring

    from depot_gui.cli.commands import main as cli
    from depot_gui.store.secrets import SecretStore, SecretStoreUnavailable

    seen: dict = {"backend": type(keyring.get_keyring()).__module__ + "." + type(keyring.get_keyring()).__name__}
    store = SecretStore(service="depot-gui-test")
    if mode == "unlocked":
        seen["where"] = store.where()
        seen["empty"] = store.get("autotask-secret")
        store.set("autotask-secret", "s3cret-one")
        seen["stored"] = store.get("autotask-secret")
        store.set("autotask-secret", "s3cret-two")
        seen["replaced"] = store.get("autotask-secret")
        store.set_json("xero-tokens", {"refresh_token": "r1", "expires_at": 5})
        seen["json"] = store.get_json("xero-tokens")
        store.delete("autotask-secret")
        seen["deleted"] = store.get("autotask-secret")
        store.delete("autotask-secret")  # deleting what is gone is not an error
        seen["deleted_twice"] = store.get("autotask-secret")
        store.delete("xero-tokens")
        seen["others_untouched"] = SecretStore().get("autotask-secret")
        if "--lock" in sys.argv:
            import secretstorage

            store.set("autotask-secret", "before-lock")
            conn = secretstorage.dbus_init()
            secretstorage.get_default_collection(conn).lock()
            seen["locked_backend"] = seen["backend"]
    try:
        seen["read"] = store.get("autotask-secret")
    except SecretStoreUnavailable as exc:
        seen["unavailable"] = str(exc)
    # the CLI's own path: saved connection details, secrets wanted from this keyring
    from depot_gui.store.db import Store
    from depot_gui.sync.session.connections import K_AT_USER, K_XERO_TENANT

    from depot_gui.store.paths import paths_for

    db = Store(paths_for(data_dir).ensure().database)
    db.set_setting(K_AT_USER, "api@example.com")
    db.set_setting(K_XERO_TENANT, "3f1c2a7e-5b0d-4c39-9a43-2f1e8d6b7c10")
    db.close()
    import contextlib
    import io

    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        seen["cli_code"] = cli(["--data-dir", data_dir, "audit"])
    seen["cli_err"] = err.getvalue()
    return seen


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], sys.argv[2])))
