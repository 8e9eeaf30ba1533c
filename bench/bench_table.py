"""Benchmark: the invoice table at 10,000 and 100,000 rows against a 1,000-row baseline in the same run.

Run on demand:  QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_table.py [--no-100k]
Prints each operation's time at each size and the ratio to 1k (linear would be ~10x and ~100x;
the targets: no operation a user triggers takes more than ~100 ms at 10k rows, and a one-row
update, which a long audit or sync makes for every invoice, takes a few ms even at 100k).
"""

from __future__ import annotations

import os
import time
from dataclasses import replace
from decimal import Decimal

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from depot_gui.store.db import InvoiceRow  # noqa: E402
from depot_gui.ui.window.invoice_list import InvoiceList  # noqa: E402
from depot_gui.ui.models.invoice_table import Col  # noqa: E402

STATUSES = ("ready", "synced", "mismatch", "error")


def rows(n: int) -> list[InvoiceRow]:
    out = []
    for i in range(n):
        total = f"{(i * 37) % 99999}.{i % 100:02d}"
        out.append(InvoiceRow(i + 1, f"INV-{i + 1:06d}", f"Company {i % 97}", f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}",
                              total, total, str(Decimal(i % 7)), "0.00", STATUSES[i % 4], [], "", None, None, None,
                              False, "2026-11-26T00:00:00+00:00"))
    return out


def measure(n: int) -> dict[str, float]:
    pane = InvoiceList()
    pane.resize(900, 600)
    pane.show()
    data = rows(n)
    t: dict[str, float] = {}

    def timed(name, fn):
        start = time.perf_counter()
        fn()
        QApplication.processEvents()
        t[name] = time.perf_counter() - start

    timed("load", lambda: pane.set_rows(data))
    for col in (Col.COMPANY, Col.AUTOTASK_TOTAL, Col.STATUS):
        timed(f"sort {col.name.lower()}", lambda col=col: pane.view.sortByColumn(col, Qt.SortOrder.DescendingOrder))
    timed("search", lambda: pane.search.setText("company 5"))
    timed("clear search", lambda: pane.search.setText(""))
    timed("update one row", lambda: pane.update_row(data[n // 2]))
    moved = [replace(data[(k * 7919) % n], status=STATUSES[(k + 1) % 4], company=f"Company {k % 13}")
             for k in range(20)]
    start = time.perf_counter()
    for row in moved:  # the row's sort key changes: it moves (sorted by status since the last sort above)
        pane.update_row(row)
        QApplication.processEvents()
    t["update + move (mean)"] = (time.perf_counter() - start) / len(moved)
    again = [replace(r, status=STATUSES[(k + 2) % 4]) for k, r in enumerate(moved)]
    start = time.perf_counter()
    for row in again:  # the same without the repaint after each: what the update itself costs
        pane.update_row(row)
    t["update + move, no paint"] = (time.perf_counter() - start) / len(again)
    QApplication.processEvents()
    pane.close()
    return t


def main() -> None:
    import sys

    app = QApplication.instance() or QApplication([])
    measure(1_000)  # warm-up: first show, fonts, style
    sizes = [1_000, 10_000] + ([] if "--no-100k" in sys.argv else [100_000])
    runs = {n: measure(n) for n in sizes}
    base = runs[1_000]
    print(f"{'operation':<20}" + "".join(f"{f'{n // 1000}k rows':>11}" for n in sizes)
          + "".join(f"{f'{n // 1000}k/1k':>9}" for n in sizes[1:]))
    for name in base:
        print(f"{name:<20}" + "".join(f"{runs[n][name] * 1000:>9.1f}ms" for n in sizes)
              + "".join(f"{runs[n][name] / max(base[name], 1e-6):>8.1f}x" for n in sizes[1:]))
    del app


if __name__ == "__main__":
    main()
