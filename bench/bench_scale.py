"""Benchmark: month-end at scale — audit and sync of many invoices over many companies.

Run on demand (not part of the test run):
    .venv/bin/python bench/bench_scale.py                       # 10x5, 50x20, 200x40, 1000x100
    .venv/bin/python bench/bench_scale.py --sizes 200x40 --unpaced
    .venv/bin/python bench/bench_scale.py --sizes 600x100 --no-sync --contacts 50,2550

For each size (invoices x companies) on the in-process sandbox: a first audit, a second audit
right after, and a sync of every ready invoice. Printed per step: Autotask and Xero calls, the
Xero lower bound and the ratio calls/lower bound, the wall time, the CPU time of the process
(app and in-process sandbox together), and the minimum time Xero's 60 calls a minute allows
for those calls (the first 60 at once, then 60 more each minute).

``--latency autotask=0.25,xero=0.35`` makes each service's answers take that long (the
scenario's ``latency``), as the real services' round trips do. ``--contacts N`` sizes the Xero
contact directory: every second company has its own contact, and other businesses' contacts
fill it up to N (a real organisation has thousands).

The Xero lower bound of an audit: accounts + tax rates + one contact lookup + the invoice
numbers at 40 per call; of a second audit: one refresh each of accounts, contacts and
invoices; of a sync (after an audit): its own audit's three refreshes, one look-up right before
writing, one create per 50 invoices (plus one for the missing contacts, if any).

``--unpaced`` lifts the 60/min limit on both sides (sandbox and client) so that a size with
hundreds of calls finishes quickly; its wall time then excludes waiting, and the printed
minimum time says what the pacing would have added.
"""

from __future__ import annotations

import argparse
import json
import math
import tempfile
import time
from collections import Counter
from pathlib import Path

from depot_gui.sandbox.scale import write_scale_scenario
from depot_gui.sync.session.session import Session

DEMO = Path(__file__).resolve().parent.parent / "depot_gui" / "sandbox" / "scenarios" / "demo.json"
SIZES = ((10, 5), (50, 20), (200, 40), (1000, 100))


def min_time(calls: int) -> float:
    """Seconds Xero's 60-per-minute window needs for this many calls."""
    return 60.0 * max(0, math.ceil(calls / 60) - 1)


def lower_bounds(n: int, companies: int) -> dict[str, int]:
    need_contacts = companies // 2  # scale_scenario gives every second company a contact
    return {
        "audit": 2 + 1 + math.ceil(n / 40),
        "audit again": 3,
        # its own audit (3 "changed since" refreshes), one look-up right before writing, the creates
        "sync": 3 + 1 + math.ceil(n / 50) + (1 if need_contacts else 0),
    }


def measure(n: int, companies: int, tmp: Path, paced: bool, sync: bool = True, contacts: int = 0,
            latency: dict[str, float] | None = None) -> list[dict]:
    scenario = write_scale_scenario(DEMO, tmp / f"scale-{n}-{contacts}.json", n, companies, directory=contacts)
    if latency:
        data = json.loads(scenario.read_text())
        data["latency"] = latency
        scenario.write_text(json.dumps(data))
    rows = []
    with Session.open(tmp / f"data-{n}-{contacts}", scenario) as s:
        conn = s.connections()
        if not paced:
            conn.xero.throttle._per_minute = 10**9
            s.sandbox.set_option("xero_minute_limit", 10**9)
        bounds = lower_bounds(n, companies)

        def step(name, fn):
            a0, x0, t0, c0 = conn.autotask.calls, conn.xero.calls, time.perf_counter(), time.process_time()
            out = fn()
            rows.append({"step": name, "at": conn.autotask.calls - a0, "xero": conn.xero.calls - x0,
                         "wall": time.perf_counter() - t0, "cpu": time.process_time() - c0, "lower": bounds[name]})
            return out

        results = step("audit", lambda: s.auditor().audit())
        step("audit again", lambda: s.auditor().audit())
        if not sync:
            return rows
        ready = [r.invoice_number for r in results if r.status == "ready"]
        outcomes = step("sync", lambda: s.syncer().sync(ready))
        actions = Counter(o.action for o in outcomes)
        state = s.sandbox.state()["xero"]
        numbers = Counter(d.get("InvoiceNumber") for d in state["Invoices"] if d.get("Status") != "DELETED")
        numbers.update(d.get("CreditNoteNumber") for d in state.get("CreditNotes", []) if d.get("Status") != "DELETED")
        rows[-1]["note"] = (f"{len(ready)} ready, {dict(actions)}, "
                            f"{sum(c - 1 for c in numbers.values() if c > 1)} duplicates")
    return rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default=",".join(f"{n}x{c}" for n, c in SIZES))
    ap.add_argument("--unpaced", action="store_true", help="lift the 60/min limit (count calls quickly)")
    ap.add_argument("--no-sync", action="store_true", help="audits only")
    ap.add_argument("--contacts", default="0", help="Xero contact directory sizes, comma-separated (0: only "
                                                    "the companies' own contacts); each size is one run")
    ap.add_argument("--latency", default="", help="each service's round trip in seconds, e.g. "
                                                   "autotask=0.25,xero=0.35 (the scenario's latency)")
    args = ap.parse_args()
    latency = {k: float(v) for k, v in (p.split("=") for p in args.latency.split(",") if p)}
    sizes = [tuple(int(p) for p in s.split("x")) for s in args.sizes.split(",")]
    print(f"{'size':<11}{'contacts':>9} {'step':<13}{'Autotask':>9}{'Xero':>6}{'lower':>7}{'ratio':>7}{'wall':>9}"
          f"{'cpu':>8}{'60/min min':>12}  {'% of 1000/day':>13}")
    with tempfile.TemporaryDirectory() as tmp:
        for n, companies in sizes:
            for contacts in (int(c) for c in args.contacts.split(",")):
                for row in measure(n, companies, Path(tmp), paced=not args.unpaced, sync=not args.no_sync,
                                   contacts=contacts, latency=latency):
                    print(f"{f'{n}/{companies}':<11}{max(contacts, companies // 2):>9} {row['step']:<13}{row['at']:>9}"
                          f"{row['xero']:>6}{row['lower']:>7}{row['xero'] / max(1, row['lower']):>6.1f}x"
                          f"{row['wall']:>8.1f}s{row['cpu']:>7.2f}s{min_time(row['xero']):>11.0f}s"
                          f"  {row['xero'] / 10:>12.1f}%" + (f"  {row['note']}" if row.get("note") else ""),
                          flush=True)


if __name__ == "__main__":
    main()
