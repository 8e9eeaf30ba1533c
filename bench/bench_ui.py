"""Benchmark: how long the window's main thread stalls while it syncs a month-end batch.

Run on demand:
    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_ui.py [--invoices 200] [--json]
Opens the real main window on a sandbox of N invoices over N/5 companies
(depot_gui/sandbox/scale.py, Xero's 60-a-minute pacing off), waits for its first audit, then
syncs every ready invoice as "Sync all ready" does, while a 1 ms timer on the GUI thread notes
each gap between its ticks: a gap is the time the window could not paint or answer a key.
The same timer on the idle window (before the sync, same run) is the baseline. The sandbox runs in
a child process served on loopback, as the real services are elsewhere (`--in-process`: inside the
window's process, as before, when its work held the window's GIL; `--switch-ms`: another
sys.setswitchinterval; `--thread`: the refresh and the sync on the window's worker thread; `--latency A X`:
each service's answers take A and X seconds, their real pace). With --json the last line is {"invoices", "sandbox", "stall_ms", "on_cpu_ms",
"waiting_for_cpu_ms", "asleep_ms", "max_stall_ms", "frames_over_16ms", "idle_max_stall_ms", "sync_s",
"gui_cpu_ms", "refresh_max_stall_ms"}: "refresh_max_stall_ms" is the longest gap during the window's first refresh
(the audit of all N, the first paint left out); "gui_cpu_ms" is the GUI thread's CPU time during the sync, which other processes' load
does not inflate; "stall_ms" is the sum of the gaps over 16 ms, split by the kernel's account of the GUI
thread (Linux): on a CPU, waiting for a CPU (the machine's other work), and asleep (mostly waiting for
the GIL while a worker thread runs Python).
Goal (issue 22): max stall <= 16 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")

from PySide6.QtCore import QCoreApplication, QElapsedTimer, QEventLoop, QSettings, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from depot_gui.sandbox.scale import write_scale_scenario  # noqa: E402
from depot_gui.sync.session.session import Session  # noqa: E402
from depot_gui.ui.ops.garbage import install_gui_gc  # noqa: E402
from depot_gui.ui.window.main_window import MainWindow  # noqa: E402

DEMO = Path(__file__).resolve().parents[1] / "depot_gui" / "sandbox" / "scenarios" / "demo.json"


class StallMeter:
    """A 1 ms timer on the GUI thread; the gaps between its ticks are the stalls."""

    def __init__(self) -> None:
        self.gaps: list[float] = []
        self._clock = QElapsedTimer()
        self._last = 0
        self._timer = QTimer()
        self._timer.setInterval(1)
        self._timer.timeout.connect(self._tick)

    def start(self) -> None:
        self.gaps = []
        self.split: list[tuple[float, ...]] = []
        self._sched = _schedstat()
        self._clock.start()
        self._last = self._clock.nsecsElapsed()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def _tick(self) -> None:
        now = self._clock.nsecsElapsed()
        self.gaps.append((now - self._last) / 1e6)
        self._last = now
        sched = _schedstat()
        if sched is not None and self._sched is not None:
            self.split.append(tuple((b - a) / 1e6 for a, b in zip(self._sched, sched)))
        self._sched = sched

    def stall_split(self, over: float = 16.0) -> dict:
        """Of the gaps over ``over`` ms, the GUI thread's time on a CPU, waiting for one (runnable: the
        machine's other work) and neither (asleep: the GIL, a lock, or Qt waiting), in ms (Linux)."""
        run = wait = total = 0.0
        for gap, (cpu, queued) in zip(self.gaps[1:], self.split):
            if gap > over:
                run, wait, total = run + cpu, wait + queued, total + gap
        return {"stall_ms": round(total), "on_cpu_ms": round(run), "waiting_for_cpu_ms": round(wait),
                "asleep_ms": round(total - run - wait)}


def _schedstat() -> tuple[int, int] | None:
    """This thread's nanoseconds on a CPU and waiting for one (Linux's /proc schedstat), else None."""
    try:
        with open("/proc/thread-self/schedstat") as f:
            cpu, queued, _ = f.read().split()
        return int(cpu), int(queued)
    except (OSError, ValueError):
        return None


def wait_until(predicate, timeout_s: float, what: str = "") -> None:
    """Run the event loop as the app does (sleeping between events) until ``predicate`` holds."""
    loop = QEventLoop()
    end = time.monotonic() + timeout_s
    poll = QTimer()
    poll.setInterval(20)
    poll.timeout.connect(lambda: loop.quit() if predicate() or time.monotonic() > end else None)
    poll.start()
    if not predicate():
        loop.exec()
    poll.stop()
    if not predicate():
        raise SystemExit(f"timed out: {what}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invoices", type=int, default=200)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--in-process", action="store_true", help="the sandbox in this process, not a child")
    parser.add_argument("--switch-ms", type=float, help="sys.setswitchinterval for this run (ms)")
    parser.add_argument("--latency", type=float, nargs=2, metavar=("AUTOTASK_S", "XERO_S"),
                        help="the services' round trips (the scenario's latency), e.g. 0.25 0.35 for their real pace")
    parser.add_argument("--thread", action="store_true",
                        help="the refresh and the sync on the window's worker thread, as before their child process")
    args = parser.parse_args()
    n = args.invoices
    if args.switch_ms:
        sys.setswitchinterval(args.switch_ms / 1000)
    tmp = Path(tempfile.mkdtemp(prefix="depot-bench-ui-"))
    os.environ["HOME"] = str(tmp)
    QCoreApplication.setOrganizationName("Depot GUI bench")
    app = QApplication.instance() or QApplication([])
    install_gui_gc(app)  # as depot-gui does (app.main): cyclic GC on the GUI thread's timer, never in a worker
    QSettings().clear()
    scenario = write_scale_scenario(DEMO, tmp / "scale.json", n, max(1, n // 5))
    if args.latency:
        paced = json.loads(scenario.read_text())
        paced["latency"] = {"autotask": args.latency[0], "xero": args.latency[1]}
        scenario.write_text(json.dumps(paced))
    session = Session.open(tmp / "data", scenario, served=not args.in_process,
                           sandbox_options={"xero_minute_limit": 10**9})  # the sandbox's speed, not Xero's 60 a minute
    conn = session.connections()
    conn.xero.throttle._per_minute = 10**9
    win = MainWindow(session)
    win.ops.apart = not args.thread
    win.resize(1366, 768)
    win.show()
    meter = StallMeter()
    meter.start()  # the first refresh too: a month-end audit of n invoices (in the child when served)
    win.start()
    wait_until(lambda: not win.ops.busy and len(win.rows()) >= n, 300, "first audit")
    meter.stop()
    refresh_max = max(meter.gaps[1:], default=0.0)  # the first gap is the window's first paint
    meter.start()
    wait_until(lambda: meter._clock.elapsed() > 2000, 10, "idle")
    meter.stop()
    idle = max(meter.gaps, default=0.0)
    ready = [r for r in win.rows() if r.status == "ready"]
    meter.start()
    cpu0 = time.thread_time()  # the GUI thread's own CPU time: what the window spends, whatever the load
    started = time.perf_counter()
    assert win.ops.sync(ready, "Syncing to Xero")
    wait_until(lambda: not win.ops.busy, 600, "sync")
    sync_s = time.perf_counter() - started
    settle = time.monotonic() + 0.5
    wait_until(lambda: time.monotonic() > settle, 5, "settle")  # the last row updates and the reload
    meter.stop()
    gui_cpu_ms = (time.thread_time() - cpu0) * 1000
    gaps = meter.gaps
    synced = sum(1 for r in win.rows() if r.status == "synced")
    over = sum(1 for g in gaps if g > 16)
    print(f"window with {n} invoices: idle max stall {idle:.1f} ms; sync of {len(ready)} ready "
          f"({synced} synced) in {sync_s:.1f} s: max stall {max(gaps):.1f} ms, {over} gaps over 16 ms, "
          f"{len(gaps)} ticks; GUI thread CPU {gui_cpu_ms:.0f} ms")
    worst = sorted(gaps, reverse=True)[:10]
    print("ten longest gaps (ms): " + " ".join(f"{g:.0f}" for g in worst))
    print(f"the first refresh (an audit of {n}): max stall {refresh_max:.1f} ms")
    win.close()
    session.close()
    if args.json:
        print(json.dumps({"invoices": n, "sandbox": "in-process" if args.in_process else "child",
                          "work": "thread" if args.thread or args.in_process else "child",
                          "latency": args.latency or [0, 0],
                          **meter.stall_split(), "max_stall_ms": round(max(gaps), 1), "frames_over_16ms": over,
                          "idle_max_stall_ms": round(idle, 1), "sync_s": round(sync_s, 1),
                          "gui_cpu_ms": round(gui_cpu_ms), "refresh_max_stall_ms": round(refresh_max, 1)}))
    del app


if __name__ == "__main__":
    main()
