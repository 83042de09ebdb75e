"""How many points a run keeps: every one up to the cap, min/max buckets beyond it.

A run of up to ``POINT_CAP`` steps keeps every step's loss. A longer run (up to 10⁷
steps) keeps ``POINT_CAP`` buckets of ``stride = ceil(total_steps / POINT_CAP)`` steps
each: the bucket's mean as ``loss`` and its extremes as ``loss_min``/``loss_max``, so a
single exploding step still shows — the same rule the live history uses. The stride
is fixed when the run starts (its length is known then), so points are written as they
come, never rewritten. Evaluations follow the same cap with their own stride.

Reading, :func:`downsample` merges neighbouring points the same way to at most N per
series for a chart.
"""
from __future__ import annotations

import math

import numpy as np

POINT_CAP = 20_000          # points per series per run kept exactly (≈ 0.6 MB in SQLite)


def stride_for(expected: int) -> int:
    return max(1, math.ceil(max(0, expected) / POINT_CAP))


class Bucketer:
    """Turns a stream of (step, value) into stored points at a fixed stride."""

    def __init__(self, stride: int = 1):
        self.stride = max(1, int(stride))
        self._n = 0
        self._sum = 0.0
        self._finite = 0
        self._min = math.inf
        self._max = -math.inf
        self._last_step = 0

    def add(self, step: int, value: float, out: list) -> None:
        """Append finished points to ``out`` as (step, mean, min, max)."""
        if self.stride == 1:
            out.append((step, value, value, value))
            return
        self._n += 1
        self._last_step = step
        if math.isfinite(value):
            self._finite += 1
            self._sum += value
            if value < self._min:
                self._min = value
            if value > self._max:
                self._max = value
        elif not math.isnan(value):           # ±inf: keep the blow-up in the extremes
            self._max = max(self._max, value)
            self._min = min(self._min, value)
        if self._n >= self.stride:
            self.flush(out)

    def flush(self, out: list) -> None:
        """The partial bucket (at a run's end)."""
        if self._n == 0:
            return
        mean = self._sum / self._finite if self._finite else math.nan
        lo = self._min if self._min != math.inf else math.nan
        hi = self._max if self._max != -math.inf else math.nan
        out.append((self._last_step, mean, lo, hi))
        self._n = self._finite = 0
        self._sum = 0.0
        self._min, self._max = math.inf, -math.inf


def downsample(steps: np.ndarray, values: np.ndarray, max_points: int, how: str = "mean"
               ) -> tuple[np.ndarray, np.ndarray]:
    """At most ``max_points`` points: groups of neighbours merged by ``how`` (mean, min,
    max, last); each group is placed at its last step."""
    n = len(steps)
    if n <= max_points or max_points < 1:
        return steps, values
    group = math.ceil(n / max_points)
    starts = np.arange(0, n, group)
    ends = np.minimum(starts + group, n)
    out_steps = steps[ends - 1]
    if how == "last":
        return out_steps, values[ends - 1]
    if how == "min":
        return out_steps, np.fmin.reduceat(values, starts)
    if how == "max":
        return out_steps, np.fmax.reduceat(values, starts)
    finite = np.isfinite(values)
    sums = np.add.reduceat(np.where(finite, values, 0.0), starts)
    counts = np.add.reduceat(finite.astype(float), starts)
    with np.errstate(invalid="ignore", divide="ignore"):
        return out_steps, np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)
