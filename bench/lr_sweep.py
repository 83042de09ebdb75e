"""LR range test: ours vs torch-lr-finder, same process, same model, same data.

Digits MLP (the app's default architecture: 2 × 16 tanh, Adam), batch 64, 100-step
exponential ramp 1e-5 → 10, one torch thread each (what the app gives every job).
Times are the process's CPU time: on a shared machine wall time mostly measures the
neighbours. Ours is timed from config to suggestions (it builds its own fresh model
every time); torch-lr-finder for ``LRFinder(...)`` + ``range_test`` + ``reset``
(caching and restoring the weights is how it leaves the model as it was), with the
model, optimizer and DataLoader built outside the clock. Repetitions alternate so
background load hits both alike; medians are compared. Each stops at its own
divergence rule, so the per-step ratio is printed too, and torch-lr-finder is also
timed with the same fused optimizer kernel ours uses.

    python bench/lr_sweep.py    # needs torch-lr-finder: see bench/requirements.txt
"""
from __future__ import annotations

import contextlib
import io
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import torch  # noqa: E402
from torch.utils.data import DataLoader, TensorDataset  # noqa: E402

from playground import data  # noqa: E402
from playground.config import RunConfig  # noqa: E402
from playground.models import build_model  # noqa: E402
from playground.training.optim import make_optimizer  # noqa: E402
from playground.sweep.range_test import SweepSettings, range_test  # noqa: E402

START, END, STEPS, BATCH = 1e-5, 10.0, 100, 64
# CPU time of this process: on a shared 2-core machine wall time mostly measures the
# neighbours. Both sides run single-threaded in this process, so CPU time is their cost.
CLOCK = time.process_time
REPEATS = 15


def ours(cfg: RunConfig) -> tuple[float, float | None, int]:
    t0 = CLOCK()
    curve = range_test(cfg, SweepSettings(start_lr=START, end_lr=END, steps=STEPS))
    steep = next((s.lr for s in curve.suggestions() if s.rule == "steep"), None)
    return CLOCK() - t0, steep, len(curve.losses)


def theirs(cfg: RunConfig, task, seed: int, fused: bool = False
           ) -> tuple[float, float | None, int]:
    from torch_lr_finder import LRFinder

    model = build_model(cfg, task)
    # make_optimizer gives the fused kernel ours uses; by default torch-lr-finder gets the
    # optimizer a user would build (same class and settings, torch's default kernel).
    optimizer = make_optimizer(cfg, model.parameters(), lr=START)
    if not fused:
        settings = {k: v for k, v in optimizer.defaults.items()
                    if k not in ("fused", "foreach", "differentiable", "capturable")}
        optimizer = type(optimizer)(model.parameters(), **settings)
    loader = DataLoader(TensorDataset(task.train.x, task.train.y), batch_size=BATCH,
                        shuffle=True, generator=torch.Generator().manual_seed(seed))
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        t0 = CLOCK()
        # Construction caches the model/optimizer state that reset() restores afterwards:
        # that is how torch-lr-finder leaves the model as it was, so it is on the clock.
        finder = LRFinder(model, optimizer, torch.nn.CrossEntropyLoss(), device="cpu")
        finder.range_test(loader, end_lr=END, num_iter=STEPS, step_mode="exp")
        finder.reset()
        elapsed = CLOCK() - t0
    return elapsed, _their_steepest(finder.history), len(finder.history["loss"])


def _their_steepest(history: dict, skip_start: int = 10, skip_end: int = 5) -> float | None:
    """torch-lr-finder's own rule (LRFinder.plot, suggest_lr=True), without the plotting."""
    import numpy as np

    lrs, losses = history["lr"], history["loss"]
    if len(lrs) < skip_start + skip_end + 2:
        return None
    lrs, losses = lrs[skip_start:-skip_end], losses[skip_start:-skip_end]
    return float(lrs[int(np.gradient(np.array(losses)).argmin())])


def main() -> None:
    torch.set_num_threads(1)
    try:
        import torch_lr_finder
    except ImportError:
        sys.exit("torch-lr-finder is missing: pip install --no-deps torch-lr-finder tqdm "
                 "matplotlib  (never let pip replace torch)")
    cfg = RunConfig(dataset="digits", batch_size=BATCH, optimizer="adam", lr=START)
    task = data.load(cfg)
    version = getattr(torch_lr_finder, "__version__", "?")
    print(f"torch {torch.__version__}, torch-lr-finder {version}, "
          f"threads {torch.get_num_threads()}")
    print(f"digits MLP {cfg.hidden_layers}×{cfg.width} {cfg.activation}, {cfg.optimizer}, "
          f"batch {BATCH}, exp ramp {START:g} → {END:g}, {STEPS} steps, {REPEATS} repeats")
    ours(cfg), theirs(cfg, task, 0)           # warm-up: first-call allocations, imports
    t_ours, t_theirs, s_ours, s_theirs, n_ours, n_theirs, fused = [], [], [], [], [], [], []
    for r in range(REPEATS):
        a = ours(cfg.replace(seed=r))
        b = theirs(cfg.replace(seed=r), task, r)
        fused.append(theirs(cfg.replace(seed=r), task, r, fused=True)[0])
        t_ours.append(a[0])
        t_theirs.append(b[0])
        s_ours.append(a[1])
        s_theirs.append(b[1])
        n_ours.append(a[2])
        n_theirs.append(b[2])
        print(f"  repeat {r:2d}: ours {a[0] * 1e3:7.1f} ms ({a[2]} steps, steep {a[1]:.3g})   "
              f"torch-lr-finder {b[0] * 1e3:7.1f} ms ({b[2]} steps, steepest {b[1]:.3g})")
    m_ours, m_theirs = statistics.median(t_ours), statistics.median(t_theirs)
    per_ours = statistics.median(t / n for t, n in zip(t_ours, n_ours))
    per_theirs = statistics.median(t / n for t, n in zip(t_theirs, n_theirs))
    print(f"median: ours {m_ours * 1e3:.1f} ms, torch-lr-finder {m_theirs * 1e3:.1f} ms; per step "
          f"actually taken (each stops at its own divergence rule): {per_ours * 1e6:.0f} vs "
          f"{per_theirs * 1e6:.0f} µs = {per_theirs / per_ours:.2f}×")
    agree = [a is not None and b is not None and max(a / b, b / a) <= 2.0
             for a, b in zip(s_ours, s_theirs)]
    med_a, med_b = statistics.median(s_ours), statistics.median(s_theirs)
    ratio = max(med_a / med_b, med_b / med_a)
    print(f"steepest-slope suggestion, median over seeds: ours {med_a:.3g}, torch-lr-finder "
          f"{med_b:.3g} (ratio {ratio:.2f}: {'agree' if ratio <= 2 else 'DISAGREE'} within 2×); "
          f"per seed within 2×: {sum(agree)}/{len(agree)}")
    print(f"torch-lr-finder given the same fused {cfg.optimizer} kernel ours uses: median "
          f"{statistics.median(fused) * 1e3:.1f} ms = {statistics.median(fused) / m_ours:.2f}× "
          "ours (the headline gives it the optimizer a user would build: torch.optim.Adam)")
    print(f"spread over seeds (max/min): ours {max(s_ours) / min(s_ours):.2f}, "
          f"torch-lr-finder {max(s_theirs) / min(s_theirs):.2f}")
    print(f"lr sweep speedup vs torch-lr-finder: {m_theirs / m_ours:.2f}")


if __name__ == "__main__":
    main()
