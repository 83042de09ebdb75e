"""The makemore lecture's LR sweep, and where its smoothed loss bottoms out.

Karpathy's sweep (makemore part 2): one SGD step at each of 10^linspace(-3, 0, 1000),
in order, on minibatches of 32; plot loss against the exponent and read the best LR
off the valley. Run here on the app's Trainer for several seeds and inits, so the
lesson can say how reproducible the valley is and how it moves with the init.
"""
from __future__ import annotations

import math
import statistics

import numpy as np

from playground.config import RunConfig

from .base import Span, trainer_for

SWEEP_STEPS = 1000
SMOOTHING = 50          # steps in the centered moving average the minimum is read from
# The lecture reads lr 0.1 off its plot; "near" is 10^(-1 ± 0.4), i.e. 0.04 to 0.25.
LECTURE_EXPONENT, NEAR = -1.0, 0.4


def lr_sweep(task, config: RunConfig, span: Span) -> dict[str, list]:
    """One sweep from ``config``'s initial weights: raw and smoothed losses, the LR of the
    smoothed minimum, and the first step's loss and gradient norm (the scale that decides
    how far a step at a given LR moves the weights)."""
    exponents = np.linspace(-3, 0, SWEEP_STEPS)
    tr = trainer_for(config, task)
    losses, first_grad_norm = [], float("nan")
    for i, e in enumerate(exponents):
        tr.set_lr(float(10 ** e))
        losses.append(tr.step().loss)
        if i == 0:
            first_grad_norm = gradient_norm(tr.params)
        if i % 100 == 0:
            span(i / SWEEP_STEPS)
    span(1.0)
    smooth = moving_average(np.array(losses), SMOOTHING)
    best = int(np.nanargmin(smooth))
    return {"exponent": exponents.tolist(), "loss": losses, "smoothed": smooth.tolist(),
            "best_lr": [float(10 ** exponents[best])], "first_loss": [losses[0]],
            "first_grad_norm": [first_grad_norm]}


def gradient_norm(params) -> float:
    """The L2 norm of the gradient the last step left in ``.grad``."""
    return math.sqrt(sum(float((p.grad ** 2).sum()) for p in params if p.grad is not None))


def moving_average(x: np.ndarray, k: int) -> np.ndarray:
    """Centered mean over k points; the window shrinks at the ends instead of padding."""
    window = np.ones(k)
    return np.convolve(x, window, mode="same") / np.convolve(np.ones_like(x), window,
                                                             mode="same")


def sweeps_over_seeds(task, config: RunConfig, seeds, progress, lo: float, hi: float,
                      label: str) -> list[dict[str, list]]:
    """The same sweep from each seed's initial weights (and batch order)."""
    seeds = list(seeds)
    out = []
    for i, seed in enumerate(seeds):
        a = lo + (hi - lo) * i / len(seeds)
        b = lo + (hi - lo) * (i + 1) / len(seeds)
        out.append(lr_sweep(task, config.replace(seed=seed),
                            Span(progress, a, b, f"LR sweep, {label}, seed {seed}")))
    return out


def best_lrs(sweeps: list[dict[str, list]]) -> list[float]:
    return [s["best_lr"][0] for s in sweeps]


def near_lecture(lr: float) -> bool:
    return abs(math.log10(lr) - LECTURE_EXPONENT) <= NEAR


def median(values: list[float]) -> float:
    return float(statistics.median(values))


def lrs_text(values: list[float]) -> str:
    return ", ".join(f"{v:.2g}" for v in values)

