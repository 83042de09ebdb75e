"""Where to read a learning rate off a range-test curve: three rules, each explained.

All rules look at the *smoothed* loss before the stop point, against log10(η), so
they behave the same for 100 or 1,000 steps and for exponential or linear ramps.
Known weaknesses of the references, and what is done here instead:

- torch-lr-finder's steepest point is ``np.gradient`` of neighbouring points: one
  noisy step moves it. Here the slope is a line fitted over a window of ±5% of
  the curve, so the suggestion is stable across seeds.
- NaNs (a diverged step) break ``argmin``/``gradient`` in the references; here every
  rule only looks at finite values.
- The first few smoothed values are averages of very few losses; rules skip them.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

MIN_POINTS = 5   # fewer usable points than this: no rule can say anything sensible
RULES = {
    "steep": "Steepest descent",
    "valley": "Valley",
    "min10": "Minimum ÷ 10",
}
RULE_TEXT = {
    "steep": "where the smoothed loss falls fastest per decade of η",
    "valley": "the middle (in log η) of the longest stretch where the smoothed loss keeps "
              "falling (by ≥ 10% of its total drop per decade)",
    "min10": "one tenth of the η with the lowest smoothed loss (the minimum itself is too "
             "close to divergence)",
}


@dataclass(frozen=True)
class Suggestion:
    rule: str             # key in RULES
    lr: float
    loss: float           # smoothed loss at that η (interpolated for minimum ÷ 10)
    detail: str           # the numbers behind it, for the table

    @property
    def name(self) -> str:
        return RULES[self.rule]

    @property
    def why(self) -> str:
        return RULE_TEXT[self.rule]


def slopes(lrs: np.ndarray, smoothed: np.ndarray, half_window: int | None = None) -> np.ndarray:
    """d(smoothed loss)/d(log10 η): least-squares slope over ±half_window points.

    A fitted line over a window (±5% of the curve by default) rather than the
    difference of two neighbours: minibatch noise averages out, so the steepest point
    no longer jumps with the seed.
    """
    n = len(lrs)
    out = np.full(n, np.nan)
    if n < 3:
        return out
    h = half_window or max(2, n // 20)
    x = np.log10(np.asarray(lrs, dtype=float))
    y = np.asarray(smoothed, dtype=float)
    # Windowed sums via cumulative sums: O(n) whatever the window.
    c = lambda a: np.concatenate([[0.0], np.cumsum(a)])  # noqa: E731
    sx, sy, sxx, sxy, s1 = c(x), c(y), c(x * x), c(x * y), c(np.ones(n))
    lo = np.clip(np.arange(n) - h, 0, n)
    hi = np.clip(np.arange(n) + h + 1, 0, n)
    k = s1[hi] - s1[lo]
    mx, my = (sx[hi] - sx[lo]) / k, (sy[hi] - sy[lo]) / k
    var = (sxx[hi] - sxx[lo]) / k - mx * mx
    cov = (sxy[hi] - sxy[lo]) / k - mx * my
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where(var > 1e-18, cov / np.where(var > 1e-18, var, 1.0), np.nan)
    return out


def usable_range(n: int, stop_index: int | None) -> tuple[int, int]:
    """[start, end) of the points the rules may use: skip warm-up, end before the stop."""
    end = n if stop_index is None else min(n, stop_index)
    start = min(max(1, n // 20), max(0, end - 3))
    return start, end


def suggest(lrs: np.ndarray, smoothed: np.ndarray, stop_index: int | None = None
            ) -> list[Suggestion]:
    """Suggestions in RULES order; a rule that finds nothing is left out."""
    lrs = np.asarray(lrs, dtype=float)
    smoothed = np.asarray(smoothed, dtype=float)
    start, end = usable_range(len(lrs), stop_index)
    if end - start < MIN_POINTS:
        return []
    x, s = lrs[start:end], smoothed[start:end]
    finite = np.isfinite(s)
    if finite.sum() < MIN_POINTS:
        return []
    x, s = x[finite], s[finite]
    slope = slopes(x, s)
    # Steep and valley look only up to the lowest point: a dip after it is noise on the
    # way to divergence, not a learning rate to train with.
    j = int(np.argmin(s))
    slope[j + 1:] = np.nan
    out: list[Suggestion] = []

    ok = np.isfinite(slope)
    if ok.any() and np.nanmin(slope) < 0:
        i = int(np.nanargmin(np.where(ok, slope, np.inf)))
        out.append(Suggestion("steep", float(x[i]), float(s[i]),
                              f"slope {slope[i]:.3g} per decade of η"))

    # "Descending" means falling by at least 10% of the curve's total drop per decade:
    # minibatch noise makes nearly flat stretches wobble just below zero otherwise.
    drop = float(s[0] - s.min())
    stretch = _longest_descent(slope, -0.1 * drop) or _longest_descent(slope, 0.0)
    if stretch is not None:
        a, b = stretch
        mid_log = 0.5 * (math.log10(x[a]) + math.log10(x[b]))
        i = a + int(np.argmin(np.abs(np.log10(x[a:b + 1]) - mid_log)))
        out.append(Suggestion("valley", float(x[i]), float(s[i]),
                              f"falling from η = {x[a]:.3g} to {x[b]:.3g}"))

    target = float(x[j]) / 10.0
    out.append(Suggestion("min10", target, _loss_at(x, s, target),
                          f"lowest smoothed loss {s[j]:.3g} at η = {x[j]:.3g}"))
    return out


def _longest_descent(slope: np.ndarray, below: float) -> tuple[int, int] | None:
    """(first, last) index of the longest run of slopes below ``below`` (≤ 0), or None."""
    best, run_start, best_len = None, None, 0
    for i, v in enumerate(np.append(slope, np.nan)):
        if np.isfinite(v) and v < below:
            if run_start is None:
                run_start = i
        elif run_start is not None:
            length = i - run_start
            if length > best_len:
                best, best_len = (run_start, i - 1), length
            run_start = None
    return best


def _loss_at(x: np.ndarray, s: np.ndarray, lr: float) -> float:
    """Smoothed loss interpolated at ``lr`` (NaN outside the swept range)."""
    lx = np.log10(x)
    t = math.log10(lr)
    if t < lx[0] or t > lx[-1]:
        return float("nan")
    return float(np.interp(t, lx, s))
