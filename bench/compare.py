"""Benchmark: a comparison group against the same runs one after another.

4 runs (digits MLP, batch 64, 2,000 steps each; SGD, SGD + momentum, Adam, RMSprop)
trained (a) as one comparison group — lockstep, both cores, batched passes where runs
share a minibatch — and (b) one after another, each as an ordinary run of the app
(a run thread with the whole machine to itself). Both do the same bookkeeping per step
(history, evaluation every ``eval_every`` steps, weight copies), use one torch thread
per run, and end with the same number of steps.

Each measurement is repeated (``--repeats``, default 5) in alternation, because this
machine is shared: its speed drifts by up to 1.5× over tens of seconds as neighbours
come and go, which moves both timings of a back-to-back pair alike. The headline is
the median over the pairs of (group time / one-after-another time); the best time of
each side is printed too. A short warm-up of both paths comes first (one-time imports
and allocator growth are not part of either).

Last line: ``compare/sequential wall-time ratio: X.XX`` (target ≤ 0.75).
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
from playground.runs.status import Status  # noqa: E402

OPTIMIZERS = (("sgd", 0.1), ("momentum", 0.05), ("adam", 1e-3), ("rmsprop", 1e-3))


def configs(steps: int) -> list[RunConfig]:
    base = RunConfig(dataset="digits", batch_size=64, length=steps, eval_every=25)
    return [base.replace(optimizer=o, lr=lr) for o, lr in OPTIMIZERS]


def as_group(reg: RunRegistry, cfgs: list[RunConfig]) -> float:
    t0 = time.perf_counter()
    group = reg.start_group(cfgs, [c.optimizer for c in cfgs])
    ids = reg.group(group, poll=False, max_points=2).run_ids
    reg.join(ids[0])
    elapsed = time.perf_counter() - t0
    _check([reg.snapshot(i) for i in ids], cfgs)
    return elapsed


def one_after_another(reg: RunRegistry, cfgs: list[RunConfig]) -> float:
    t0 = time.perf_counter()
    ids = []
    for cfg in cfgs:
        ids.append(reg.start(cfg))
        reg.join(ids[-1])
    elapsed = time.perf_counter() - t0
    _check([reg.snapshot(i) for i in ids], cfgs)
    return elapsed


def _check(snaps, cfgs) -> None:
    for s, c in zip(snaps, cfgs):
        if s.status != Status.FINISHED or s.step != c.length:
            raise SystemExit(f"run {c.optimizer} ended {s.status.value} at step {s.step}: "
                             f"{s.message}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    configure_torch_threads()
    cfgs = configs(args.steps)
    print(f"{len(cfgs)} runs × {args.steps:,} steps, digits MLP "
          f"{cfgs[0].hidden_layers}×{cfgs[0].width}, batch {cfgs[0].batch_size}, "
          f"{os.cpu_count()} cores")
    reg = RunRegistry(Limits(max_concurrent=max(1, os.cpu_count() or 1)))
    warm = configs(100)
    as_group(reg, warm)
    one_after_another(reg, warm)
    group_times, seq_times = [], []
    for r in range(args.repeats):
        seq_times.append(one_after_another(reg, cfgs))
        group_times.append(as_group(reg, cfgs))
        print(f"repeat {r + 1}: one after another {seq_times[-1]:.2f} s, "
              f"comparison group {group_times[-1]:.2f} s")
    best_seq, best_group = min(seq_times), min(group_times)
    load = os.getloadavg()[0]
    if load > (os.cpu_count() or 1):
        print(f"note: load average {load:.1f} on {os.cpu_count()} cores: other jobs share this "
              "machine, so both timings are inflated and the ratio is only indicative")
    print(f"best: one after another {best_seq:.2f} s "
          f"({len(cfgs) * args.steps / best_seq:,.0f} steps/s), comparison group "
          f"{best_group:.2f} s ({len(cfgs) * args.steps / best_group:,.0f} steps/s)")
    pairs = sorted(g / q for g, q in zip(group_times, seq_times))
    print(f"per pair: {', '.join(f'{r:.2f}' for r in pairs)}; best/best "
          f"{best_group / best_seq:.2f}")
    reg.shutdown()
    print(f"compare/sequential wall-time ratio: {statistics.median(pairs):.2f}")


if __name__ == "__main__":
    main()
