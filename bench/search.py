"""Does a search really use every core? 16 trials × 1,000 steps of the digits MLP.

The same 16 configs (a random search over learning rate and batch size, fixed sampler
seed) run (a) one after another in this process and (b) on the warm process pool with
one worker per core. Every trial, in-process or in a worker, trains with one torch
thread, so the only difference is how many trials run at once. The pool is started and
warmed by a first search (starting a worker imports torch: seconds, printed as the
cold start); the timed pool search is the second one, as it is on the page. Ray's
per-trial overhead (a local Ray with one CPU per core, warm) is printed above the last
line when Ray is installed (``--no-ray`` skips it).

Last line: ``search: pool/sequential wall-time ratio X.XX on N cores`` (the ratio of
the medians of ``--rounds`` alternated pairs; target ≤ 0.60 on
2 cores: the second core really works).
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

TRIALS, STEPS = 16, 1000


def settings():
    from playground.search.space import FieldRange, SearchSettings

    return SearchSettings(fields=(FieldRange("lr", 1e-3, 1e-1),
                                  FieldRange("batch_size", choices=(32, 64))),
                          sampler="random", trials=TRIALS, steps=STEPS, checkpoints=4)


def timed(backend, base) -> tuple[float, list]:
    from playground.search.study import run_search

    t0 = time.perf_counter()
    _, records = run_search(base, settings(), backend)
    return time.perf_counter() - t0, records


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=3, help="sequential/pool pairs timed")
    ap.add_argument("--no-ray", action="store_true", help="skip Ray's per-trial overhead")
    args = ap.parse_args()
    import torch

    torch.set_num_threads(1)   # what each worker uses: the comparison is cores, not threads
    from playground.config import RunConfig
    from playground.search.backends import InProcess
    from playground.search.pool import WorkerPool

    base = RunConfig(dataset="digits", hidden_layers=2, width=64, optimizer="adam")
    cores = os.cpu_count() or 1
    load = os.getloadavg()[0]
    timed(InProcess(), base.replace(length=10))          # this process's own warm-up
    pool = WorkerPool(cores)
    cold = pool.start()
    warm_up, _ = timed(pool, base)                       # first search on fresh workers
    seq_times, pool_times = [], []
    for _ in range(args.rounds):   # alternated: a shared machine's load hits both alike
        sequential, seq_records = timed(InProcess(), base)
        parallel, pool_records = timed(pool, base)
        seq_times.append(sequential)
        pool_times.append(parallel)
    pool.close()
    sequential, parallel = statistics.median(seq_times), statistics.median(pool_times)
    ratios = sorted(p / s for p, s in zip(pool_times, seq_times))
    same = ({(tuple(r.params.items()), round(r.value, 5)) for r in seq_records}
            == {(tuple(r.params.items()), round(r.value, 5)) for r in pool_records})
    per_trial = sum(r.seconds for r in seq_records) / len(seq_records)
    print(f"{TRIALS} trials × {STEPS:,} steps, digits MLP 64-64-64-10, one torch thread each")
    print(f"pool cold start ({cores} workers import torch, warm-up trial): {cold:.1f} s; "
          f"first search on the fresh pool {warm_up:.2f} s")
    print(f"sequential in-process {sequential:.2f} s ({per_trial:.3f} s per trial); "
          f"warm pool {parallel:.2f} s (medians of {args.rounds}; pair ratios "
          f"{', '.join(f'{r:.2f}' for r in ratios)}); same objectives: {same}")
    print(f"load average {load:.1f} → {os.getloadavg()[0]:.1f} on {cores} cores (other "
          "programs' load stretches wall times)")
    if not args.no_ray:
        try:
            from playground.search.ray_backend import RayBackend
        except ImportError:
            print("Ray: not installed")
        else:
            import ray

            t0 = time.perf_counter()
            backend = RayBackend(num_cpus=cores)
            start = time.perf_counter() - t0
            timed(backend, base)                         # Ray's workers import torch here
            on_ray, ray_records = timed(backend, base)
            trial_s = sum(r.seconds for r in ray_records)
            overhead = (on_ray * min(cores, backend.workers) - trial_s) / len(ray_records)
            print(f"Ray (local, {backend.workers} CPUs): start {start:.1f} s, warm search "
                  f"{on_ray:.2f} s, overhead per trial {overhead * 1e3:.0f} ms "
                  "(wall × workers − trial time, per trial)")
            ray.shutdown()
    print(f"search: pool/sequential wall-time ratio {parallel / sequential:.2f} on {cores} cores")


if __name__ == "__main__":
    main()
