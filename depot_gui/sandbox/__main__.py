"""``python -m depot_gui.sandbox --scenario F [--host H] [--port N] [--state-dir D]``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from depot_gui.sandbox.scenario import ScenarioError
from depot_gui.sandbox.http.serve_command import serve_forever


def main(argv: list[str] | None = None) -> int:
    """Parse arguments and serve until interrupted."""
    p = argparse.ArgumentParser(prog="python -m depot_gui.sandbox", description="Serve the sandbox on loopback.")
    p.add_argument("--scenario", required=True, type=Path)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", default=0, type=int)
    p.add_argument("--state-dir", type=Path, default=None)
    args = p.parse_args(argv)
    try:
        serve_forever(args.scenario, args.host, args.port, args.state_dir)
    except ScenarioError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
