"""Benchmark: start-up to first paint, against a bare PySide6 window or a frozen bundle, in the same run.

Run on demand:
    .venv/bin/python bench/bench_startup.py [--runs 7] [DEPOT_GUI]      (default: .venv/bin/depot-gui)
        Launch to first paint of a bare PySide6 window (QApplication + an empty QMainWindow, the
        same Python) against `depot-gui --demo --quit-after 0`: launch to the first paint of its
        window (the shell, issue 22: goal <= 2x bare), and launch until the full window has
        painted with the demo's invoices and the process has exited. Medians, interleaved runs.
    python bench/bench_startup.py FROZEN_DEPOT_GUI SOURCE_DEPOT_GUI [--runs 5]
        (installer/build.sh --test) each `depot-gui --demo --quit-after 0` offscreen in a fresh
        HOME: wall time from launch until the process has painted and exited; ratio frozen/source.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

BARE = """
import sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.setWindowTitle("bare")
window.resize(1280, 800)
class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            print(f"painted at {time.time():.3f}", file=sys.stderr, flush=True)
            QTimer.singleShot(0, app.quit)
        return False
watcher = FirstPaint()
window.installEventFilter(watcher)
window.show()
app.exec()
"""


def _env(home: str) -> dict[str, str]:
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": home, "TMPDIR": home, "LANG": "C.UTF-8",
            "QT_QPA_PLATFORM": "offscreen", "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"}


def paint_run(command: list[str], pattern: str) -> tuple[float, float]:
    """(launch to the painted-at time the program prints, launch to exit), in seconds."""
    with tempfile.TemporaryDirectory(prefix="depot-bench-") as home:
        start = time.time()
        done = subprocess.run(command, env=_env(home), capture_output=True, text=True, timeout=120)
        ended = time.time()
    found = re.search(pattern + r" at (\d+\.\d+)", done.stderr)
    if done.returncode != 0 or not found:
        raise SystemExit(f"{command[0]} did not report a paint (exit {done.returncode}):\n{done.stderr}")
    return float(found.group(1)) - start, ended - start


def against_bare(program: str, runs: int) -> None:
    bare_cmd = [sys.executable, "-c", BARE]
    app_cmd = [program, "--demo", "--quit-after", "0"]
    paint_run(bare_cmd, "painted"), paint_run(app_cmd, "shell painted")  # warm the page cache
    bare, shell, ready = [], [], []
    for _ in range(runs):  # interleaved, so a busy moment on the machine hits both alike
        bare.append(paint_run(bare_cmd, "painted")[0])
        first, done = paint_run(app_cmd, "shell painted")
        shell.append(first)
        ready.append(done)
    med = {k: statistics.median(v) for k, v in (("bare", bare), ("shell", shell), ("ready", ready))}
    print(f"bare PySide6 window, first paint   median {med['bare'] * 1000:6.0f} ms  runs "
          + " ".join(f"{t * 1000:.0f}" for t in bare))
    print(f"depot-gui --demo, first paint      median {med['shell'] * 1000:6.0f} ms  runs "
          + " ".join(f"{t * 1000:.0f}" for t in shell))
    print(f"depot-gui --demo, invoices painted median {med['ready'] * 1000:6.0f} ms  (until exit)")
    print(f"ratio first paint depot-gui/bare {med['shell'] / med['bare']:.2f}   "
          f"invoices painted/bare {med['ready'] / med['bare']:.2f}")


def one_run(program: str) -> float:
    with tempfile.TemporaryDirectory(prefix="depot-bench-") as home:
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": home, "TMPDIR": home, "LANG": "C.UTF-8",
               "QT_QPA_PLATFORM": "offscreen", "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"}
        start = time.perf_counter()
        done = subprocess.run([program, "--demo", "--quit-after", "0"], env=env, capture_output=True, text=True,
                              timeout=120)
        elapsed = time.perf_counter() - start
    if done.returncode != 0 or "first paint" not in done.stderr:
        raise SystemExit(f"{program} did not reach a first paint (exit {done.returncode}):\n{done.stderr}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("programs", nargs="*", help="DEPOT_GUI, or FROZEN_DEPOT_GUI SOURCE_DEPOT_GUI")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    if len(args.programs) < 2:
        default = os.path.join(os.path.dirname(sys.executable), "depot-gui")
        against_bare(args.programs[0] if args.programs else default, args.runs)
        return
    args.frozen, args.source = args.programs
    one_run(args.frozen), one_run(args.source)  # warm the page cache for both
    times: dict[str, list[float]] = {"frozen": [], "source": []}
    for _ in range(args.runs):  # interleaved, so a busy moment on the machine hits both alike
        times["frozen"].append(one_run(args.frozen))
        times["source"].append(one_run(args.source))
    med = {k: statistics.median(v) for k, v in times.items()}
    for k in ("frozen", "source"):
        print(f"{k:6}  median {med[k]:.2f} s  runs " + " ".join(f"{t:.2f}" for t in times[k]))
    print(f"ratio frozen/source {med['frozen'] / med['source']:.2f}")


if __name__ == "__main__":
    main()
