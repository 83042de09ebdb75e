"""What the run store costs training, and how fast the Runs page reads it.

(a) Training throughput of the digits MLP (64-64-64-10, batch 64, Adam) through the
    registry with the store recording every step vs without it, in one process.
    Rate = steps per second of the *whole process's* CPU time (training thread, the
    store's writer thread, everything): the writer shares the GIL, and counting its
    CPU as if it all stalled training is the pessimistic bound — and, unlike wall
    time, it does not swing with other programs on a shared machine. On and off runs
    alternate, 7 of each; the headline is the ratio of the medians. Wall-clock rates
    are printed too.
(b) The Runs page's queries on a store of 1,000 runs of 10,000 points each (9,800
    training losses, 100 validation losses and accuracies; built once with the
    store's own writer): the run list (all 1,000, newest first) and the overlay of 5
    runs (every point of each, shaped for the charts). Median of 7.
(c) Bytes on disk per 100,000 points (SQLite file after a checkpoint).

SQLite in a temp folder (``--url`` for another database). Prints the figure on its last
line: ``store: throughput ratio X.XX, list 1000 runs Y ms, overlay 5 runs Z ms``.
"""
from __future__ import annotations

import argparse
import math
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import text  # noqa: E402

from playground.config import RunConfig  # noqa: E402
from playground.runs.registry import Limits, RunRegistry, configure_torch_threads  # noqa: E402
from playground.store import NewRun, RunFilter, RunStore  # noqa: E402

DIGITS = RunConfig(dataset="digits", hidden_layers=2, width=64, activation="relu",
                   batch_size=64, optimizer="adam", lr=1e-3, length=3000, eval_every=100)
PAIRS = 7
N_RUNS, N_TRAIN, N_EVAL = 1000, 9800, 100


def throughput(store: RunStore | None) -> tuple[float, float]:
    """(steps per process-CPU second, steps per busy wall second) of one run; with the
    store, until its points are written."""
    reg = RunRegistry(Limits(max_concurrent=1, reap_every_s=3600))
    if store is not None:
        store.connect(reg)
    cpu0 = time.process_time()
    try:
        run_id = reg.start(DIGITS, owner="bench")
        reg.join(run_id, 600)
        if store is not None:
            store.flush()
        cpu = time.process_time() - cpu0
        snap = reg.snapshot(run_id, poll=False, max_points=2, with_weights=False)
        return snap.step / cpu, snap.step / snap.elapsed_s
    finally:
        reg.shutdown()


def stored_run(i: int, rng: random.Random) -> NewRun:
    loss = [2.3 * math.exp(-s / 3000) + 0.05 * rng.random() for s in range(1, N_TRAIN + 1)]
    eval_steps = list(range(0, N_TRAIN + 1, N_TRAIN // (N_EVAL - 1)))[:N_EVAL]
    optimizer = ("sgd", "adam", "momentum", "rmsprop")[i % 4]
    config = DIGITS.replace(optimizer=optimizer, lr=10 ** rng.uniform(-4, -1), seed=i,
                            length=N_TRAIN).to_dict()
    return NewRun(f"bench{i:05d}", f"session{i % 25}", "train", f"{optimizer} run {i}", config,
                  created=1.7e9 + i, points={
                      "loss": (list(range(1, N_TRAIN + 1)), loss),
                      "val_loss": (eval_steps, [v + 0.1 for v in loss[:N_EVAL]]),
                      "val_acc": (eval_steps, [min(1.0, 0.1 + s / 1e4) for s in eval_steps])},
                  metrics={"final_loss": loss[-1], "final_val_acc": 0.9})


def build(store: RunStore) -> float:
    rng = random.Random(0)
    t0 = time.perf_counter()
    for start in range(0, N_RUNS, 20):      # 200,000 points a transaction
        store.add_runs([stored_run(i, rng) for i in range(start, min(N_RUNS, start + 20))])
        assert store.flush(120), store.health()
    return time.perf_counter() - t0


def timed(fn, repeats: int = 7) -> float:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="database URL (default: SQLite in a temp folder)")
    args = parser.parse_args()
    configure_torch_threads()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.url or f"sqlite:///{tmp}/runs.db"
        store = RunStore(url)
        throughput(None)                     # warm-up: data load, first allocations
        offs, ons = [], []
        for _ in range(PAIRS):
            offs.append(throughput(None))
            ons.append(throughput(store))
            print(f"  digits MLP: {offs[-1][0]:,.0f} steps per CPU s without the store, "
                  f"{ons[-1][0]:,.0f} with; wall {offs[-1][1]:,.0f} / {ons[-1][1]:,.0f} steps/s")
        off_cpu, on_cpu = (statistics.median(r[0] for r in rs) for rs in (offs, ons))
        off_wall, on_wall = (statistics.median(r[1] for r in rs) for rs in (offs, ons))
        ratio = on_cpu / off_cpu
        print(f"(a) throughput with/without the store: {on_cpu:,.0f} / {off_cpu:,.0f} steps "
              f"per CPU s = {ratio:.3f} (target ≥ 0.97); wall-clock medians "
              f"{on_wall:,.0f} / {off_wall:,.0f} = {on_wall / off_wall:.3f} (shared machine)")
        store.close()
        bench_store = RunStore(f"sqlite:///{tmp}/bench.db" if not args.url else url)
        seconds = build(bench_store)
        print(f"  built {N_RUNS:,} runs × {N_TRAIN + 2 * N_EVAL:,} points in {seconds:.1f} s")
        listing = timed(lambda: bench_store.list_runs(RunFilter(limit=5000)))
        assert len(bench_store.list_runs(RunFilter(limit=5000))) >= N_RUNS
        five = [f"bench{i:05d}" for i in (3, 250, 500, 750, 999)]
        curves = bench_store.curves(five)
        assert all(len(c["train"]["step"]) > 0 for c in curves.values())
        overlay = timed(lambda: bench_store.curves(five))
        print(f"(b) list {N_RUNS:,} runs: {listing * 1e3:.0f} ms; overlay 5 runs: "
              f"{overlay * 1e3:.0f} ms (targets ≤ 300 ms each)")
        if bench_store.engine.dialect.name == "sqlite":
            with bench_store.engine.begin() as conn:
                conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        runs, points = bench_store.counts()
        size = bench_store.size_bytes() or 0
        print(f"(c) {size / 2**20:,.0f} MB for {points:,} points: "
              f"{size / points * 1e5 / 2**20:.2f} MB per 100k points")
        bench_store.close()
    print(f"store: throughput ratio {ratio:.2f}, list 1000 runs {listing * 1e3:.0f} ms, "
          f"overlay 5 runs {overlay * 1e3:.0f} ms")


if __name__ == "__main__":
    main()
