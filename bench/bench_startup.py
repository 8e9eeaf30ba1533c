"""Benchmark: start-up to first paint, frozen bundle against the pip-installed package in the same run.

Run on demand (installer/build.sh --test runs it on the installed .deb):
    python bench/bench_startup.py FROZEN_DEPOT_GUI SOURCE_DEPOT_GUI [--runs 5]
Each run is `depot-gui --demo --quit-after 0` offscreen in a fresh HOME: wall time from launch
until the process has painted its window and exited. Prints the median of each and the ratio
frozen/source (below 1 means the frozen app starts faster).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import tempfile
import time


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
    parser.add_argument("frozen")
    parser.add_argument("source")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
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
