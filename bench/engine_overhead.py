"""How much does running through the run thread cost compared with a bare PyTorch loop?

Same model, data, batch size, optimizer and step count, in one process, with the same
torch thread setting the app uses (one intra-op thread per run). The worker path
includes everything the app does per step: command checks, history recording under
a lock, divergence checks, periodic validation, trajectory snapshots and weight
copies for the live view. Repetitions are interleaved and the best of each is kept.

The engine calls the optimizer without torch.optim's per-call profiler wrapper, so it
can beat the idiomatic loop; a second bare loop making that same call is printed too,
which isolates what the worker's bookkeeping costs.

Throughput is steps per second of the training thread's own CPU time
(``time.thread_time``): that is the cost the worker adds, and unlike wall time it does
not swing with whatever else the machine is running. Wall-clock rates are printed too.

Last line: ``worker/bare throughput ratio: X.XX`` (the smaller of the two cases).
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

from playground import data  # noqa: E402
from playground.config import RunConfig  # noqa: E402
from playground.models import build_model  # noqa: E402
from playground.training.fast.lean import lean_step  # noqa: E402
from playground.training.optim import make_optimizer  # noqa: E402
from playground.runs.registry import Limits, RunRegistry, configure_torch_threads  # noqa: E402

STEPS = 2000
REPEATS = 7
CASES = {
    "digits MLP 64-64-64-10, batch 64": RunConfig(dataset="digits", hidden_layers=2, width=64,
                                                  activation="relu", batch_size=64,
                                                  optimizer="adam", lr=1e-3, length=STEPS),
    "2D spiral MLP 2-16-16-3, batch 32": RunConfig(dataset="spiral", batch_size=32,
                                                   optimizer="adam", lr=1e-2, length=STEPS),
}


def bare(config: RunConfig, lean: bool = False) -> tuple[float, float]:
    """A plain training loop: shuffled minibatches, forward, loss, backward, step.
    Returns (steps per CPU second, steps per wall second).

    ``lean`` uses the same optimizer call the engine makes (no torch.optim per-call
    profiler wrapper); the default is the idiomatic ``zero_grad()`` / ``step()`` loop."""
    task = data.load(config)
    model = build_model(config, task)
    opt = make_optimizer(config, model.parameters())
    opt_step, clear = lean_step(opt) if lean else (opt.step, lambda: opt.zero_grad(set_to_none=True))
    x, y = task.train.x, task.train.y
    n, b = len(y), config.batch_size
    g = torch.Generator().manual_seed(0)
    perm, pos = torch.randperm(n, generator=g), 0
    t0, c0 = time.perf_counter(), time.thread_time()
    for _ in range(config.length):
        if pos >= n:
            perm, pos = torch.randperm(n, generator=g), 0
        idx = perm[pos:pos + b]
        pos += b
        loss = F.cross_entropy(model(x[idx]), y[idx])
        clear()
        loss.backward()
        opt_step()
    cpu, wall = time.thread_time() - c0, time.perf_counter() - t0
    return config.length / cpu, config.length / wall


def worker(reg: RunRegistry, config: RunConfig) -> tuple[float, float]:
    run = reg.start(config, owner="bench")
    reg.join(run)
    snap = reg.snapshot(run, poll=False)
    assert snap.status.value == "finished", snap.message
    busy = float(snap.history["train"]["time"][-1])   # wall seconds spent training
    return snap.step / snap.cpu_s, snap.step / busy


def main() -> None:
    configure_torch_threads()
    reg = RunRegistry(Limits(max_concurrent=1))
    for config in CASES.values():      # warm caches and lazy imports for both paths
        bare(config.replace(length=200))
        worker(reg, config.replace(length=200))
    ratios = []
    for name, config in CASES.items():
        b_cpu = b_wall = l_cpu = w_cpu = w_wall = 0.0
        for _ in range(REPEATS):
            c, w = bare(config)
            b_cpu, b_wall = max(b_cpu, c), max(b_wall, w)
            l_cpu = max(l_cpu, bare(config, lean=True)[0])
            c, w = worker(reg, config)
            w_cpu, w_wall = max(w_cpu, c), max(w_wall, w)
        ratio = w_cpu / b_cpu
        ratios.append(ratio)
        print(f"{name}: bare {b_cpu:,.0f} steps/CPU-s ({b_wall:,.0f}/s wall), worker "
              f"{w_cpu:,.0f} steps/CPU-s ({w_wall:,.0f}/s wall), ratio {ratio:.2f} "
              f"(validation every {config.eval_every} steps)")
        print(f"  against a bare loop making the engine's own optimizer call "
              f"({l_cpu:,.0f} steps/CPU-s): {w_cpu / l_cpu:.2f} — the worker's bookkeeping alone")
    reg.shutdown()
    print(f"worker/bare throughput ratio: {min(ratios):.2f}")


if __name__ == "__main__":
    main()
