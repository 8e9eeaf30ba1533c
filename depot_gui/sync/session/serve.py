"""`depot-sync sandbox serve`: the built-in sandbox over HTTP on loopback, until interrupted.

Here because the session package is the only one that loads the sandbox (the CLI asks it).
"""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from depot_gui.sandbox import ScenarioError, StateDamaged, serve_forever

from depot_gui.sync.session.session import SessionError


def serve_sandbox(scenario: str | Path, host: str, port: int, state_dir: Path | None, out: TextIO) -> None:
    """Serve ``scenario`` on ``host:port`` (its state in ``state_dir`` when given) until interrupted.

    A bad scenario or a damaged state is a SessionError naming it; a socket that cannot be opened is the OSError.
    """
    try:
        serve_forever(scenario, host=host, port=port, state_dir=state_dir, out=out)
    except (ScenarioError, StateDamaged) as exc:
        raise SessionError(str(exc)) from None
