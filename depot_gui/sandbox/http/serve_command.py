"""``serve_forever``: what ``depot-sync sandbox serve`` runs."""

from __future__ import annotations

import json
import signal
import sys
import threading
from pathlib import Path


def serve_forever(scenario: str | Path, host: str = "127.0.0.1", port: int = 0,
                  state_dir: Path | None = None, *, out=None, stop: threading.Event | None = None,
                  **options) -> None:
    """Serve the scenario on loopback, print ``{"base_url": ...}`` once, and block until interrupted."""
    from depot_gui.sandbox.sandbox import Sandbox
    out = out or sys.stdout
    sandbox = Sandbox.open(scenario, state_dir, **options)
    server = sandbox.serve(host, port)
    out.write(json.dumps({"base_url": server.base_url}) + "\n")
    out.flush()
    stop = stop or threading.Event()
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
