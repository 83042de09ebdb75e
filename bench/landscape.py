"""Benchmark: a 51×51 filter-normalized random loss plane, ours vs ``loss-landscapes``.

A 64-128-10 MLP is trained briefly on the 1,797 digits; then both implementations
evaluate the full-data cross-entropy on a 51×51 grid around the trained weights, in
this process, on the same threads. Prints the timing ratio on the last line:

    51x51 grid: ours X.XX s, loss-landscapes Y.YY s, speedup Z.Z

Run: ``python bench/landscape.py`` (needs ``pip install --no-deps loss-landscapes``,
see bench/requirements.txt; it is pure Python and leaves torch alone).
"""
from __future__ import annotations

import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from playground.config import RunConfig  # noqa: E402
from playground.data.digits import _raw  # noqa: E402
from playground.models import build_model  # noqa: E402
from playground.surface.directions import random_directions  # noqa: E402
from playground.surface.grid import grid_losses, plane_losses  # noqa: E402

STEPS = 51
REPEATS = 5          # best-of for ours; the reference gets best-of per thread count


class _Digits:
    n_features, n_classes, model_kind = 64, 10, "mlp"


def trained_model(x: torch.Tensor, y: torch.Tensor) -> torch.nn.Module:
    cfg = RunConfig(dataset="digits", hidden_layers=1, width=128, activation="relu", seed=0)
    model = build_model(cfg, _Digits())
    opt = torch.optim.Adam(model.parameters(), lr=0.01)
    g = torch.Generator().manual_seed(0)
    for _ in range(150):
        idx = torch.randint(0, len(y), (64,), generator=g)
        loss = F.cross_entropy(model(x[idx]), y[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
    return model.eval()


def ours(model, x, y) -> tuple[float, np.ndarray]:
    """Our grid on both cores as two grid halves in two threads, one intra-op thread
    each (torch's own intra-op threading stalls at barriers when the machine is
    busy); the threads setting is restored afterwards for the reference."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        return _ours(model, x, y, workers=max(1, threads))
    finally:
        torch.set_num_threads(threads)


def _ours(model, x, y, workers: int) -> tuple[float, np.ndarray]:
    theta = torch.nn.utils.parameters_to_vector(model.parameters()).detach().clone()
    shapes = [p.shape for p in model.parameters()]
    t0 = time.perf_counter()
    d1, d2 = random_directions(theta, shapes, seed=0)
    span = torch.linspace(-1.0, 1.0, STEPS)
    z = grid_losses(model, theta, d1, d2, span, span, (x,), y, workers=workers)
    return time.perf_counter() - t0, z.numpy()


def reference(model, x, y) -> tuple[float, np.ndarray]:
    import loss_landscapes
    import loss_landscapes.metrics

    metric = loss_landscapes.metrics.Loss(torch.nn.CrossEntropyLoss(), x, y)
    t0 = time.perf_counter()
    with torch.no_grad():   # the fairest setting for it: no autograd graph per point
        z = loss_landscapes.random_plane(model, metric, distance=1, steps=STEPS,
                                         normalization="filter", deepcopy_model=True)
    return time.perf_counter() - t0, np.asarray(z)


def check_exact(model, x, y) -> float:
    """Largest relative gap between the fast grid and a direct forward pass."""
    theta = torch.nn.utils.parameters_to_vector(model.parameters()).detach().clone()
    shapes = [p.shape for p in model.parameters()]
    d1, d2 = random_directions(theta, shapes, seed=1)
    coords = torch.tensor([[-1.0, -1.0], [0.3, -0.7], [0.0, 0.0], [1.0, 0.5]])
    fast = plane_losses(model, theta, d1, d2, coords, (x,), y)
    probe = build_model(RunConfig(dataset="digits", hidden_layers=1, width=128,
                                  activation="relu"), _Digits()).eval()
    gaps = []
    for (a, b), v in zip(coords.tolist(), fast.tolist()):
        torch.nn.utils.vector_to_parameters(theta + a * d1 + b * d2, probe.parameters())
        with torch.no_grad():
            direct = F.cross_entropy(probe(x), y).item()
        gaps.append(abs(v - direct) / abs(direct))
    return max(gaps)


def reference_best(model, x, y) -> tuple[float, np.ndarray, dict]:
    """loss-landscapes at its best: both 2 intra-op threads and 1 thread are timed, the
    faster counts (on a busy machine 2 threads can stall badly at OpenMP barriers)."""
    threads = torch.get_num_threads()
    times, z = {}, None
    for n in sorted({threads, 1}, reverse=True):
        torch.set_num_threads(n)
        try:
            for _ in range(2 if n == 1 else 1):     # 1 thread: cheap enough to repeat
                t, z = reference(model, x, y)
                times[n] = min(t, times.get(n, t))
        finally:
            torch.set_num_threads(threads)
    return min(times.values()), z, times


def main() -> None:
    xs, ys = _raw()
    x, y = torch.from_numpy(xs), torch.from_numpy(ys)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, "
          f"{len(y):,} samples, model 64-128-10, load average {load:.1f}")
    model = trained_model(x, y)
    print(f"trained loss {F.cross_entropy(model(x), y).item():.4f}; "
          f"max relative gap fast vs direct: {check_exact(model, x, y):.1e}")
    ours(model, x, y)                       # warm-up (allocator, kernels)
    t_ours = min(ours(model, x, y)[0] for _ in range(REPEATS))
    t_ref, z_ref, per_threads = reference_best(model, x, y)
    _, z = ours(model, x, y)
    print("loss-landscapes by torch threads: " +
          ", ".join(f"{n}: {t:.2f} s" for n, t in per_threads.items()))
    print(f"grid loss range: ours {z.min():.3f}..{z.max():.3f}, "
          f"loss-landscapes {z_ref.min():.3f}..{z_ref.max():.3f} (different random planes)")
    print(f"51x51 grid: ours {t_ours:.2f} s, loss-landscapes {t_ref:.2f} s, "
          f"speedup {t_ref / t_ours:.1f}")


if __name__ == "__main__":
    main()
