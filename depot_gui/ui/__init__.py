"""The PySide6 desktop window (the only layer that imports Qt)."""

from depot_gui.ui import qt_compat as _qt_compat

_qt_compat.install()
