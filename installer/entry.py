"""Frozen entry point: the same main() as the `depot-gui` script."""

import sys

from depot_gui.app import main

if __name__ == "__main__":
    sys.exit(main())
