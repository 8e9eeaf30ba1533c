"""Benchmark: the invoice table at N rows against a 1,000-row baseline in the same run.

Run on demand:
    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_table.py [--rows 100000] [--json]
Prints each operation's time at 1k and at N rows and the ratio (linear would be N/1k). With
--json the last line is {"rows": N, "load_ms", "sort_ms", "filter_ms", "clear_ms", "update_ms",
"memory_mib"} for N rows: sort is the slowest of three columns, filter a search typed in, clear
that search emptied, update one row changed in place with its repaint (median of 20), memory the
growth of the process's resident size while the window loads the rows (the rows themselves are
built before; "memory_idle_mib" after the window's first idle second, which makes the search text
and the amounts' sort keys; the sorts are timed after it), and "cpu_ms" the same operations' CPU time on the GUI thread (what the other
sessions' load on this shared machine does not inflate as it does wall time).
Goals (issue 22): load < 1,000 ms, sort/filter/clear < 100 ms, update < 5 ms.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import time
from dataclasses import replace
from decimal import Decimal

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QElapsedTimer, QEventLoop, Qt  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from depot_gui.store.db import InvoiceRow  # noqa: E402
from depot_gui.ui.models.invoice_table import Col  # noqa: E402
from depot_gui.ui.window.invoice_list import InvoiceList  # noqa: E402

STATUSES = ("ready", "synced", "mismatch", "error")
IDLE_MS = 1000


def rows(n: int) -> list[InvoiceRow]:
    out = []
    for i in range(n):
        total = f"{(i * 37) % 99999}.{i % 100:02d}"
        out.append(InvoiceRow(i + 1, f"INV-{i + 1:06d}", f"Company {i % 97}", f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}",
                              total, total, str(Decimal(i % 7)), "0.00", STATUSES[i % 4], [],
                              "Ready to sync.\nThe lines match.", None, None, None, False, "2026-11-26T00:00:00+00:00"))
    return out


def rss_mib() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def measure(n: int) -> dict[str, float]:
    data = rows(n)
    gc.collect()
    before = rss_mib()
    pane = InvoiceList()
    pane.resize(1200, 700)
    pane.show()
    QApplication.processEvents()
    t: dict[str, float] = {}
    cpu: dict[str, float] = {}

    def timed(name, fn):
        start, cpu0 = time.perf_counter(), time.thread_time()
        fn()
        QApplication.processEvents()
        t[name] = (time.perf_counter() - start) * 1000
        cpu[name] = (time.thread_time() - cpu0) * 1000

    timed("load", lambda: pane.set_rows(data))
    t["memory_mib"] = rss_mib() - before
    idle = QElapsedTimer()
    idle.start()
    while idle.elapsed() < IDLE_MS:  # the window idle as it is before anyone can click: keys made meanwhile
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
    t["memory_mib, idle"] = rss_mib() - before
    for col in (Col.COMPANY, Col.AUTOTASK_TOTAL, Col.STATUS):
        timed(f"sort {col.name.lower()}", lambda col=col: pane.view.sortByColumn(col, Qt.SortOrder.DescendingOrder))
    timed("search", lambda: pane.search.setText("company 5"))
    timed("clear search", lambda: pane.search.setText(""))
    pane.view.scrollToTop()
    QApplication.processEvents()
    shown = pane.proxy.index(3, 0).data(0x0101)  # SORT_ROLE of a visible row: a repaint is on screen
    steps, cpu_steps = [], []
    for k in range(20):  # a visible row changes in place (its sort key stays): the update a sync makes
        row = replace(pane.model.rows()[0], explanation=f"Checked {k}.")
        start, cpu0 = time.perf_counter(), time.thread_time()
        pane.update_row(row)
        QApplication.processEvents()
        steps.append((time.perf_counter() - start) * 1000)
        cpu_steps.append((time.thread_time() - cpu0) * 1000)
    del shown
    t["update one row"] = statistics.median(steps)
    cpu["update one row"] = statistics.median(cpu_steps)
    moved = [replace(data[(k * 7919) % n], status=STATUSES[(k + 1) % 4], company=f"Company {k % 13}")
             for k in range(20)]
    start = time.perf_counter()
    for row in moved:  # the row's sort key changes: it moves (sorted by status since the last sort above)
        pane.update_row(row)
        QApplication.processEvents()
    t["update + move (mean)"] = (time.perf_counter() - start) * 1000 / len(moved)
    pane.close()
    pane.deleteLater()
    QApplication.processEvents()
    t["cpu"] = cpu
    return t


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--json", action="store_true", help="end with one JSON line of the N-row figures")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    measure(1_000)  # warm-up: first show, fonts, style
    base = measure(1_000)
    big = measure(args.rows)
    n = args.rows
    print(f"{'operation':<22}{'1k rows':>11}{f'{n // 1000}k rows':>12}{'ratio':>8}")
    for name in (k for k in base if k != "cpu"):
        unit = " MiB" if name.startswith("memory_mib") else "ms"
        print(f"{name:<22}{base[name]:>9.1f}{unit:<3}{big[name]:>9.1f}{unit:<3}{big[name] / max(base[name], 1e-6):>7.1f}x")
    if args.json:
        sort_ms = max(v for k, v in big.items() if k.startswith("sort "))
        cpu = big["cpu"]
        print(json.dumps({"rows": n, "load_ms": round(big["load"], 1), "sort_ms": round(sort_ms, 1),
                          "filter_ms": round(big["search"], 1), "clear_ms": round(big["clear search"], 1),
                          "update_ms": round(big["update one row"], 2), "memory_mib": round(big["memory_mib"], 1),
                          "memory_idle_mib": round(big["memory_mib, idle"], 1),
                          "cpu_ms": {"load": round(cpu["load"], 1),
                                     "sort": round(max(v for k, v in cpu.items() if k.startswith("sort ")), 1),
                                     "filter": round(cpu["search"], 1), "clear": round(cpu["clear search"], 1),
                                     "update": round(cpu["update one row"], 2)}}))
    del app


if __name__ == "__main__":
    main()
