"""Where training threads in one process stop scaling: the GIL, measured.

Two tables, from a registry inside this process (no server, no pages):

1. *k full-speed runs on k cores' worth of turns* (``max_concurrent = k``): total steps/s
   and the cores the process used (process CPU time / wall time). With perfect scaling
   k threads give k× one thread; the GIL serialises the Python part of every step.
2. *n Watch-paced runs* (150 steps/s) with default limits: the median pace they reach
   and the cores used: how many watching students one process can carry.

Model: spiral, Adam, batch 32 (the classroom link's). Other work on the machine shows in
the printed load average. Last line: ``2 threads / 1 thread: X× the steps/s`` (perfect: 2).
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from playground.config import RunConfig  # noqa: E402
from playground.runs.registry import Limits, RunRegistry, configure_torch_threads  # noqa: E402

CONFIG = RunConfig(dataset="spiral", optimizer="adam", lr=0.01, batch_size=32,
                   length=10_000_000)
WATCH = 150.0


def measure(n: int, pace: float | None, cores: int | None, seconds: float
            ) -> tuple[list[float], float]:
    """(steps/s of each of ``n`` runs, cores the process used) over ``seconds``."""
    limits = Limits(max_live_per_owner=1000, reap_every_s=600,
                    **({"max_concurrent": cores} if cores else {}))
    reg = RunRegistry(limits)
    try:
        ids = [reg.start(CONFIG, owner=f"s{i}", pace=pace) for i in range(n)]

        def steps() -> list[int]:
            return [reg.snapshot(i, poll=False, max_points=2, with_weights=False).step
                    for i in ids]
        time.sleep(2.0 + n / 20)                  # built, measured, settled
        a, t0, c0 = steps(), time.perf_counter(), time.process_time()
        time.sleep(seconds)
        b, t1, c1 = steps(), time.perf_counter(), time.process_time()
        return [(y - x) / (t1 - t0) for x, y in zip(a, b)], (c1 - c0) / (t1 - t0)
    finally:
        reg.shutdown()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seconds", type=float, default=4.0)
    ap.add_argument("--paced", type=int, nargs="*", default=[20, 40, 80])
    args = ap.parse_args()
    configure_torch_threads()
    print(f"machine load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    totals = {}
    for k in (1, 2, 4):
        rates, used = measure(k, None, k, args.seconds)
        totals[k] = sum(rates)
        print(f"{k} full-speed thread(s), {k} lane(s): total {sum(rates):,.0f} steps/s "
              f"({sum(rates) / totals[1]:.2f}× one), process used {used:.2f} cores")
    for n in args.paced:
        rates, used = measure(n, WATCH, None, args.seconds)
        print(f"{n} Watch-paced runs: median {statistics.median(rates):.0f} steps/s "
              f"(min {min(rates):.0f}), total {sum(rates):,.0f} steps/s, process used "
              f"{used:.2f} cores")
    print(f"2 threads / 1 thread: {totals[2] / totals[1]:.2f}× the steps/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
