"""`depot-sync`: the headless twin (contract: shared/specs/cli.md); one module per command."""

from __future__ import annotations

from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """The ``depot-sync`` entry point; the command table is ``depot_gui.cli.commands``."""
    from depot_gui.cli.commands import main as run

    return run(argv)
