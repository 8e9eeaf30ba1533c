"""Guard against the PySide6 6.12.0 refcount bugs (measured here with Python 3.11).

In 6.12.0 every Python-side `signal.emit(...)` drops one reference to `True`, and every call of
a C++ method returning void drops one reference to `None`; after a few thousand calls CPython
aborts ("bool_dealloc" / "none_dealloc"). pyproject.toml excludes 6.12.0. As a safety net we
measure both leaks once at import: the emit leak is patched (wrap `emit`, give the reference
back); the void-call leak cannot be patched, so it is reported by `void_call_leaks()` (the UI
tests fail on it and the app logs it). A fixed PySide6 is left untouched.
"""

from __future__ import annotations

import ctypes
import sys

from PySide6.QtCore import QObject, Signal, SignalInstance

_PROBES = 8


class _Probe(QObject):
    fired = Signal()


def _leak_per_emit() -> int:
    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(_PROBES):
        probe.fired.emit()
    leaked = before - sys.getrefcount(True)
    if leaked > 0:
        for _ in range(leaked):  # give back what the probe itself took
            ctypes.pythonapi.Py_IncRef(ctypes.py_object(True))
    return leaked // _PROBES


def void_call_leaks() -> bool:
    """True when calling a void C++ method loses a reference to None (PySide6 6.12.0)."""
    probe = _Probe()
    before = sys.getrefcount(None)
    for _ in range(64):
        probe.setObjectName("probe")
    return before - sys.getrefcount(None) >= 60


def install() -> bool:
    """Patch `SignalInstance.emit` when (and only when) it leaks; returns whether it patched."""
    if getattr(SignalInstance.emit, "_depot_fixed", False):
        return True
    if _leak_per_emit() != 1:
        return False
    original = SignalInstance.emit
    incref = ctypes.pythonapi.Py_IncRef
    incref.argtypes = [ctypes.py_object]

    def emit(self, *args):
        result = original(self, *args)
        if result is True:
            incref(True)
        return result

    emit._depot_fixed = True  # type: ignore[attr-defined]
    SignalInstance.emit = emit  # type: ignore[method-assign]
    return True
