"""Where training threads in one process stop scaling (the GIL), and what lanes give.

The same two tables three times, from a registry inside this process (no server, no
pages): every run on its own thread of this process (``lanes=0``) with the compute-slot
cap (one slot per core, the rest queue), the same with every run admitted, then on
lanes (worker processes, one thread each, runs in turns; ``lanes`` = cores):

1. *k full-speed runs* (``max_concurrent = k``): total steps/s. With perfect scaling k
   runs on k cores give k× one; on threads the GIL serialises the Python part of every
   step (and each of torch's calls gives the GIL up and must win it back).
2. *n Watch-paced runs* (150 steps/s asked): the median pace they reach, and the cores
   the training used (this process, plus the lanes' processes).

Model: spiral, Adam, batch 32 (the classroom link's). Other work on the machine shows in
the printed load average. Last line: ``20 Watch runs, median pace: threads capped A,
threads all admitted B, lanes C steps/s`` (capped: a compute slot per core, the rest
queue — the app before lanes).
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


def cpu_s(pids: list[int]) -> float:
    """CPU seconds used so far by this process and the given ones (the lanes)."""
    total = time.process_time()
    for pid in pids:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def measure(n: int, pace: float | None, cores: int | None, seconds: float, lanes: int
            ) -> tuple[list[float], float]:
    """(steps/s of each of ``n`` runs, cores used for training) over ``seconds``."""
    limits = Limits(max_live_per_owner=1000, reap_every_s=600, lanes=lanes,
                    **({"max_concurrent": cores} if cores else {}))
    reg = RunRegistry(limits)
    try:
        ids = [reg.start(CONFIG, owner=f"s{i}", pace=pace) for i in range(n)]
        pids = [lane["pid"] for lane in reg.lanes()]

        def steps() -> list[int]:
            return [reg.snapshot(i, poll=False, max_points=2, with_weights=False).step
                    for i in ids]
        time.sleep(2.0 + n / 20)                  # built, measured, settled
        a, t0, c0 = steps(), time.perf_counter(), cpu_s(pids)
        time.sleep(seconds)
        b, t1, c1 = steps(), time.perf_counter(), cpu_s(pids)
        return [(y - x) / (t1 - t0) for x, y in zip(a, b)], (c1 - c0) / (t1 - t0)
    finally:
        reg.shutdown()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seconds", type=float, default=4.0)
    ap.add_argument("--paced", type=int, nargs="*", default=[20, 40])
    args = ap.parse_args()
    configure_torch_threads()
    print(f"machine load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    median20 = {}
    # threads, capped: the app before lanes (a compute slot per core, the rest queue);
    # threads, all admitted: what every run on a thread of one process gives; lanes.
    for name, lanes, capped in (("threads, capped", 0, True), ("threads, all admitted", 0, False),
                                ("lanes", os.cpu_count() or 1, True)):
        totals = {}
        for k in (1, 2, 4):
            rates, used = measure(k, None, k, args.seconds, lanes)
            totals[k] = sum(rates)
            print(f"{name}: {k} full-speed run(s): total {sum(rates):,.0f} steps/s "
                  f"({sum(rates) / totals[1]:.2f}× one), training used {used:.2f} cores")
        for n in args.paced:
            rates, used = measure(n, WATCH, None if capped else n, args.seconds, lanes)
            waiting = sum(r == 0 for r in rates)
            median20.setdefault(name, statistics.median(rates))
            print(f"{name}: {n} Watch-paced runs: median {statistics.median(rates):.0f} "
                  f"steps/s (min {min(rates):.0f}, {waiting} not moving), total "
                  f"{sum(rates):,.0f} steps/s, training used {used:.2f} cores", flush=True)
    print(f"{args.paced[0]} Watch runs, median pace: threads capped "
          f"{median20['threads, capped']:.0f}, threads all admitted "
          f"{median20['threads, all admitted']:.0f}, lanes {median20['lanes']:.0f} steps/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
