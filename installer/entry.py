"""Frozen entry point of both programs: `depot-sync` runs the command line, anything else the window.

On Linux and macOS `depot-sync` is a symbolic link to the `depot-gui` executable (one copy of the
archive instead of two); on Windows it is its own console executable built from this script.
`depot-gui --sandbox-child ...` is the demo's sandbox, which the window starts as a child process
(depot_gui/sandbox/http/child.py); `depot-gui --sync-child` is a sync the window runs in a process of
its own (depot_gui/sync/child/).
"""

import os
import sys


def main() -> int:
    if sys.argv[1:2] == ["--sandbox-child"]:  # the demo's sandbox, served by a child of the window
        from depot_gui.sandbox.http.child import child_main

        return child_main(sys.argv[2:])
    if sys.argv[1:2] == ["--sync-child"]:  # a sync the window runs in a process of its own
        from depot_gui.sync.child.child_main import child_main as sync_child

        return sync_child(sys.argv[2:])
    if os.path.basename(sys.argv[0]).lower().startswith("depot-sync"):
        from depot_gui.cli.commands import main as run
    else:
        from depot_gui.app import main as run
    return run()


if __name__ == "__main__":
    sys.exit(main())
