"""What the build says about the app: the Xero client id the publisher registered.

A desktop app signs in to Xero as a "Mobile or desktop app" (PKCE): its client id is public
and belongs to whoever publishes the build, so it is not compiled in. It comes from, in order:

1. the environment variable ``DEPOT_XERO_CLIENT_ID`` (development, testing);
2. ``publisher.json`` (``{"xero_client_id": "..."}``) written by the installer build:
   next to the executable in a frozen build, ``resources/publisher.json`` otherwise.

No Qt here: the CLI and the window read the same answer.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
from pathlib import Path

from depot_gui.store.paths import resource_path

ENV_CLIENT_ID = "DEPOT_XERO_CLIENT_ID"
PUBLISHER_FILE = "publisher.json"
KEY_CLIENT_ID = "xero_client_id"
# Xero shows a client id as 32 hexadecimal characters (e.g. E57D7FD5C2C34B0FAD6A27C37D234008).
_CLIENT_ID_FORM = re.compile(r"[0-9A-Fa-f]{32}")

log = logging.getLogger(__name__)


def publisher_file() -> Path:
    """Where this build keeps publisher.json (it may not exist)."""
    if getattr(sys, "frozen", False):
        return Path(sys.executable).resolve().parent / PUBLISHER_FILE
    return resource_path(PUBLISHER_FILE)


def _from_file(path: Path) -> str | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        log.warning("Ignoring %s: it cannot be read as JSON (%s).", path, exc.__class__.__name__)
        return None
    value = data.get(KEY_CLIENT_ID) if isinstance(data, dict) else None
    if not isinstance(value, str) or not value.strip():
        log.warning("Ignoring %s: it has no %r text.", path, KEY_CLIENT_ID)
        return None
    return value.strip()


def xero_client_id() -> str | None:
    """The Xero client id this build ships with, or None when it has none."""
    env = os.environ.get(ENV_CLIENT_ID, "").strip()
    if env:
        return env
    return _from_file(publisher_file())


def client_id_problem(text: str) -> str | None:
    """None when ``text`` has the form of a Xero client id; otherwise what is wrong, in words."""
    value = text.strip()
    if not value:
        return "Enter the client id Xero shows for your app."
    if not _CLIENT_ID_FORM.fullmatch(value):
        return (
            f"A Xero client id is 32 characters, digits 0-9 and letters A-F; this one has {len(value)}"
            + ("." if re.fullmatch(r"[0-9A-Fa-f]*", value) else " and other characters.")
        )
    return None
