"""How to run an LR range test: the range, its shape, the smoothing and the stop rule.

Presets: the default wide look, the makemore lecture's ``10**linspace(-3, 0, 1000)`` at
batch 32, and fastai's ``lr_find`` range.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from playground.config import ConfigError, RunConfig

RAMPS = {"exp": "Exponential", "linear": "Linear"}
MAX_SWEEP_STEPS = 2000      # one chart point per step; keeps every trace ≤ 2,000 points
MIN_SWEEP_STEPS = 10


def check_lr_range(start, end) -> list[ConfigError]:
    """Problems with an LR range [start, end], named by field (shared by both modes)."""
    errs = []
    for name, v in (("start_lr", start), ("end_lr", end)):
        if not (isinstance(v, (int, float)) and math.isfinite(v) and 0 < v <= 1e4):
            errs.append(ConfigError(name, f"must be a positive number ≤ 10,000, got {v!r}"))
    if not errs and end <= start:
        errs.append(ConfigError("end_lr", f"must be larger than the start LR ({start:g}), "
                                f"got {end:g}"))
    return errs


def check_batch(batch_size) -> list[ConfigError]:
    if batch_size is None or (isinstance(batch_size, int) and batch_size >= 0):
        return []
    return [ConfigError("batch_size", f"must be a whole number ≥ 0, got {batch_size!r}")]


@dataclass(frozen=True)
class SweepSettings:
    """How to ramp: the LR range, its shape, the smoothing and the stop rule."""

    start_lr: float = 1e-5
    end_lr: float = 10.0
    steps: int = 100
    ramp: str = "exp"
    beta: float | None = None   # EMA smoothing of the loss; None = auto_beta(steps)
    stop_factor: float = 4.0    # stop once the smoothed loss exceeds this × its best
    batch_size: int | None = None   # None = the config's batch size

    def validate(self) -> list[ConfigError]:
        errs = check_lr_range(self.start_lr, self.end_lr)
        if not (isinstance(self.steps, int) and MIN_SWEEP_STEPS <= self.steps <= MAX_SWEEP_STEPS):
            errs.append(ConfigError("steps", f"must be a whole number between {MIN_SWEEP_STEPS} "
                                    f"and {MAX_SWEEP_STEPS:,}, got {self.steps!r}"))
        if self.ramp not in RAMPS:
            errs.append(ConfigError("ramp", f"unknown ramp {self.ramp!r}; choose exp or linear"))
        if self.beta is not None and not (isinstance(self.beta, (int, float))
                                          and 0 <= self.beta < 1):
            errs.append(ConfigError("beta", f"must be in [0, 1), got {self.beta!r}"))
        if not (isinstance(self.stop_factor, (int, float)) and self.stop_factor > 1):
            errs.append(ConfigError("stop_factor",
                                    f"must be larger than 1, got {self.stop_factor!r}"))
        return errs + check_batch(self.batch_size)

    @property
    def smoothing(self) -> float:
        return auto_beta(self.steps) if self.beta is None else float(self.beta)

    def lrs(self) -> np.ndarray:
        return lr_ramp(self.start_lr, self.end_lr, self.steps, self.ramp)

    def apply(self, config: RunConfig) -> RunConfig:
        """The config the sweep really trains (batch size override)."""
        if self.batch_size is None or self.batch_size == config.batch_size:
            return config
        return config.replace(batch_size=self.batch_size)


# The menu of starting points. "makemore" is the lecture's 10**linspace(-3, 0, 1000) at batch 32.
PRESETS: dict[str, tuple[str, SweepSettings]] = {
    "default": ("Default: 1e-5 → 10, 100 steps", SweepSettings()),
    "makemore": ("makemore: 1e-3 → 1, 1,000 steps, batch 32",
                 SweepSettings(start_lr=1e-3, end_lr=1.0, steps=1000, batch_size=32)),
    "fastai": ("fastai lr_find: 1e-7 → 10, 100 steps", SweepSettings(start_lr=1e-7)),
    "wide": ("Wide: 1e-6 → 100, 300 steps", SweepSettings(start_lr=1e-6, end_lr=100.0,
                                                            steps=300)),
}


def auto_beta(steps: int) -> float:
    """EMA β whose window is ~5% of the ramp: 0.8 for 100 steps, 0.98 for 1,000.

    fastai's fixed 0.98 averages over ~50 steps: on a 100-step ramp that lags the
    curve by half a decade of η and delays the divergence stop accordingly.
    """
    return float(min(0.98, max(0.8, 1.0 - 20.0 / max(1, steps))))


def lr_ramp(start: float, end: float, steps: int, ramp: str = "exp") -> np.ndarray:
    """The learning rate for each step; both ends included."""
    if ramp == "exp":
        return np.logspace(math.log10(start), math.log10(end), steps)
    if ramp == "linear":
        return np.linspace(start, end, steps)
    raise ValueError(f"unknown ramp {ramp!r}")
