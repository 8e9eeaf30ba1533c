"""Benchmark: audit cost in Autotask calls and time, against a baseline measured in the same run.

Run on demand:  .venv/bin/python bench/bench_audit.py [--items 1200] [--invoices 3]

Baseline: the theoretical lower bound of Autotask calls (1 invoice page + ceil(items/500)
item pages) and, for time, a plain audit of the 5-invoice demo tenant in the same process.
Printed: calls beyond the lower bound and the time ratio large/demo.
"""

from __future__ import annotations

import argparse
import json
import math
import tempfile
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path

from depot_gui.sandbox.http.messages import dumps
from depot_gui.sync.session.session import Session

DEMO = Path(__file__).resolve().parent.parent / "depot_gui" / "sandbox" / "scenarios" / "demo.json"


def big_scenario(n_invoices: int, n_items: int, path: Path) -> None:
    """The demo tenant with n_invoices invoices sharing n_items billing items."""
    sc = json.loads(DEMO.read_text(), parse_float=Decimal)
    ents = sc["autotask"]["entities"]
    ents["OrganizationalResources"] = []
    sc["autotask"]["pending"] = []
    template = dict(ents["Invoices"][0])
    items, invoices = [], []
    per = n_items // n_invoices
    next_id = 100000
    for k in range(n_invoices):
        inv_id = 7000 + k
        total = Decimal(0)
        for j in range(per + (1 if k < n_items % n_invoices else 0)):
            rate = Decimal("12.3456") if j % 3 else Decimal("45")
            ext = (rate * 2).quantize(Decimal("0.01"))
            tax = (ext / 10).quantize(Decimal("0.01"))
            items.append({**ents["BillingItems"][0], "id": next_id, "invoiceID": inv_id, "quantity": Decimal(2),
                          "rate": rate, "extendedPrice": ext, "taxDollars": tax, "totalAmount": ext + tax,
                          "lineItemID": next_id, "itemName": f"Line {j}", "description": f"Line {j}"})
            next_id += 1
            total += ext + tax
        invoices.append({**template, "id": inv_id, "invoiceNumber": f"BIG-{k + 1}", "invoiceTotal": total,
                         "totalTaxValue": (total / 11).quantize(Decimal("0.01"))})
    ents["Invoices"], ents["BillingItems"] = invoices, items
    path.write_text(dumps(sc))


def run(scenario: Path, data: Path) -> tuple[float, int, int, int]:
    with Session.open(data, scenario) as s:
        auditor = s.auditor()
        tracemalloc.start()
        t0 = time.perf_counter()
        results = auditor.audit()
        dt = time.perf_counter() - t0
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        calls = sum(1 for r in s.sandbox.state()["requests"] if r["api"] == "autotask")
        return dt, calls, len(results), peak


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--items", type=int, default=1200)
    ap.add_argument("--invoices", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        base_dt, base_calls, n, base_peak = run(DEMO, t / "demo")
        big = t / "big.json"
        big_scenario(args.invoices, args.items, big)
        dt, calls, n_big, peak = run(big, t / "big")
        lower = 1 + math.ceil(args.items / 500)
        print(f"demo baseline: {n} invoices, {base_calls} Autotask calls, {base_dt * 1000:.0f} ms, "
              f"peak {base_peak / 1e6:.1f} MB")
        print(f"large: {n_big} invoices, {args.items} items, {calls} Autotask calls "
              f"(lower bound {lower}, +{calls - lower}), {dt * 1000:.0f} ms, peak {peak / 1e6:.1f} MB")
        print(f"ratio large/demo: time {dt / base_dt:.2f}x, peak memory {peak / base_peak:.2f}x "
              f"(items {args.items / 13:.0f}x); calls beyond lower bound: {calls - lower}")


if __name__ == "__main__":
    main()
