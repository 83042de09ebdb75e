"""Toy 2-D landscapes and the real ``torch.optim`` optimizers walking on them.

Each function is written once with torch operations, so the same code gives the
gradient (autograd, for the optimizers) and the contour grid (vectorized). The
optimizers are the real classes from :func:`playground.optim.make_optimizer` acting on
one 2-element parameter, so what students see here is exactly what those classes do
inside a network — just in a space small enough to draw.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import torch

from playground.config import OPTIMIZERS
from playground.training.optim import make_optimizer

# A path that leaves the domain by more than this many domain widths has diverged:
# it will never come back into the picture, and its values overflow soon after.
ESCAPE_WIDTHS = 50.0
MAX_STEPS = 2000   # 8 optimizers × 2,000 steps stay within a couple of seconds


@dataclass(frozen=True)
class ToyFunction:
    name: str
    label: str
    formula: str                                   # shown under the chart (LaTeX)
    x_range: tuple[float, float]
    y_range: tuple[float, float]
    start: tuple[float, float]
    minima: tuple[tuple[float, float], ...]
    f_min: float                                   # value at the global minima
    fn: object = field(repr=False)                 # (x, y, kappa) -> value, torch ops
    adam_lr: float = 0.05                          # presets: a step that works here
    sgd_lr: float = 0.01
    note: str = ""

    def value(self, x, y, kappa: float = 10.0):
        return self.fn(x, y, kappa)

    def grid(self, resolution: int = 160, kappa: float = 10.0
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(xs, ys, Z) with Z[j, i] = f(xs[i], ys[j]) — plotly's contour layout."""
        xs = torch.linspace(*self.x_range, resolution, dtype=torch.float64)
        ys = torch.linspace(*self.y_range, resolution, dtype=torch.float64)
        yy, xx = torch.meshgrid(ys, xs, indexing="ij")
        with torch.no_grad():
            z = self.fn(xx, yy, kappa)
        return xs.numpy(), ys.numpy(), z.numpy()

    def minima_for(self, kappa: float) -> tuple[tuple[float, float], ...]:
        return self.minima


def _rosenbrock(x, y, kappa):
    return (1 - x) ** 2 + 100 * (y - x ** 2) ** 2


def _beale(x, y, kappa):
    return ((1.5 - x + x * y) ** 2 + (2.25 - x + x * y ** 2) ** 2
            + (2.625 - x + x * y ** 3) ** 2)


def _himmelblau(x, y, kappa):
    return (x ** 2 + y - 11) ** 2 + (x + y ** 2 - 7) ** 2


def _rastrigin(x, y, kappa):
    two_pi = 2 * math.pi
    return 20 + x ** 2 - 10 * torch.cos(two_pi * x) + y ** 2 - 10 * torch.cos(two_pi * y)


def _saddle(x, y, kappa):
    # A saddle at the origin between two valleys at (0, ±1): bounded below, so a
    # path that escapes the saddle has somewhere to go.
    return x ** 2 + 0.25 * y ** 4 - 0.5 * y ** 2


def _quadratic(x, y, kappa):
    # Curvatures 1 and κ: the condition number is κ, SGD's safe step is < 2/κ.
    return 0.5 * (x ** 2 + kappa * y ** 2)


FUNCTIONS: dict[str, ToyFunction] = {f.name: f for f in (
    ToyFunction("rosenbrock", "Rosenbrock", r"f = (1-x)^2 + 100\,(y-x^2)^2",
                (-2.0, 2.0), (-1.0, 3.0), (-1.2, 1.0), ((1.0, 1.0),), 0.0, _rosenbrock,
                adam_lr=0.05, sgd_lr=0.001,
                note="A long curved valley: easy to find, slow to follow to (1, 1)."),
    ToyFunction("beale", "Beale",
                r"f = (1.5-x+xy)^2 + (2.25-x+xy^2)^2 + (2.625-x+xy^3)^2",
                (-4.5, 4.5), (-4.5, 4.5), (1.0, 1.5), ((3.0, 0.5),), 0.0, _beale,
                adam_lr=0.05, sgd_lr=0.005,
                note="Flat plateaus and steep walls: gradients differ by orders of magnitude."),
    ToyFunction("himmelblau", "Himmelblau", r"f = (x^2+y-11)^2 + (x+y^2-7)^2",
                (-5.0, 5.0), (-5.0, 5.0), (0.0, 0.0),
                ((3.0, 2.0), (-2.805118, 3.131312), (-3.779310, -3.283186),
                 (3.584428, -1.848126)), 0.0, _himmelblau,
                adam_lr=0.1, sgd_lr=0.005,
                note="Four equal minima: which one you reach depends on the optimizer."),
    ToyFunction("rastrigin", "Rastrigin",
                r"f = 20 + x^2 - 10\cos 2\pi x + y^2 - 10\cos 2\pi y",
                (-5.12, 5.12), (-5.12, 5.12), (-3.6, 2.4), ((0.0, 0.0),), 0.0, _rastrigin,
                adam_lr=0.3, sgd_lr=0.002,
                note="A bowl covered in local minima: gradient methods get stuck in one."),
    ToyFunction("saddle", "Saddle", r"f = x^2 + y^4/4 - y^2/2",
                (-2.0, 2.0), (-2.0, 2.0), (-1.8, 0.001), ((0.0, 1.0), (0.0, -1.0)), -0.25,
                _saddle, adam_lr=0.05, sgd_lr=0.05,
                note="Starting almost on the ridge: plain SGD lingers at the saddle (0, 0)."),
    ToyFunction("quadratic", "Ill-conditioned quadratic", r"f = \tfrac12\,(x^2 + \kappa\,y^2)",
                (-2.0, 2.0), (-1.5, 1.5), (-1.8, 1.0), ((0.0, 0.0),), 0.0, _quadratic,
                adam_lr=0.05, sgd_lr=0.05,
                note="Condition number κ: large κ makes SGD zig-zag across the valley."),
)}


@dataclass(frozen=True)
class ToyOptimizer:
    """One optimizer's settings; the attribute names match RunConfig so
    :func:`make_optimizer` builds it exactly as it builds a training run's."""

    optimizer: str = "sgd"
    lr: float = 0.01
    momentum: float = 0.9
    beta1: float = 0.9
    beta2: float = 0.999
    alpha: float = 0.99
    eps: float = 1e-8
    weight_decay: float = 0.0
    rmsprop_momentum: float = 0.0      # torch's defaults, as on Train (see RunConfig)
    adamw_decay: float = 0.01
    label: str = ""

    @property
    def display(self) -> str:
        return self.label or f"{OPTIMIZERS.get(self.optimizer, self.optimizer)} lr={self.lr:g}"

    def problems(self) -> list[str]:
        """Every invalid setting, each naming the optimizer and the field."""
        out = []
        who = self.display
        if self.optimizer not in OPTIMIZERS:
            out.append(f"{who}: unknown optimizer {self.optimizer!r}")
        for name, lo, hi in (("lr", 0.0, 1e4), ("eps", 0.0, 1.0)):
            v = getattr(self, name)
            if not (isinstance(v, (int, float)) and math.isfinite(v) and lo < v <= hi):
                out.append(f"{who}: {name} must be in (0, {hi:g}], got {v!r}")
        for name in ("momentum", "beta1", "beta2", "alpha", "rmsprop_momentum"):
            v = getattr(self, name)
            if not (isinstance(v, (int, float)) and math.isfinite(v) and 0.0 <= v < 1.0):
                out.append(f"{who}: {name} must be in [0, 1), got {v!r}")
        for name in ("weight_decay", "adamw_decay"):
            wd = getattr(self, name)
            if not (isinstance(wd, (int, float)) and math.isfinite(wd) and 0.0 <= wd <= 10.0):
                out.append(f"{who}: {name} must be in [0, 10], got {wd!r}")
        return out


@dataclass(frozen=True)
class ToyPath:
    optimizer: ToyOptimizer
    points: np.ndarray          # (n, 2): start, then one row per completed step
    values: np.ndarray          # (n,) f at each point
    diverged_at: int | None     # step at which it left for good, or None
    nearest_min: tuple[float, float]
    distance: float             # final distance to the nearest minimum
    steps_to_converge: int | None   # first step within CONVERGED_DIST of a minimum

    @property
    def final_value(self) -> float:
        return float(self.values[-1])


CONVERGED_DIST = 0.01


def run_optimizer(fn: ToyFunction, opt: ToyOptimizer, start: tuple[float, float],
                  steps: int, clip: float = 0.0, kappa: float = 10.0) -> ToyPath:
    """Run ``opt`` for ``steps`` steps from ``start``; deterministic (no randomness)."""
    return run_all(fn, [opt], start, steps, clip, kappa)[0]


def run_all(fn: ToyFunction, optimizers: list[ToyOptimizer], start: tuple[float, float],
            steps: int, clip: float = 0.0, kappa: float = 10.0) -> list[ToyPath]:
    """Every optimizer from the same start: a fair race on one landscape.

    Each optimizer owns its 2-element parameter; one backward pass through the sum of
    all their values gives every parameter its own gradient (the terms share nothing),
    so a race of eight costs one autograd call per step instead of eight.
    """
    errors = [p for o in optimizers for p in o.problems()]
    if errors:
        raise ValueError("; ".join(errors))
    if not (isinstance(steps, int) and 1 <= steps <= MAX_STEPS):
        raise ValueError(f"steps must be between 1 and {MAX_STEPS:,}, got {steps}")
    # float64: the hand-checked first steps and long runs on steep walls stay exact.
    thetas = [torch.nn.Parameter(torch.tensor(start, dtype=torch.float64)) for _ in optimizers]
    optims = [make_optimizer(o, [t]) for o, t in zip(optimizers, thetas)]
    lo = np.array([fn.x_range[0], fn.y_range[0]])
    hi = np.array([fn.x_range[1], fn.y_range[1]])
    width = float(max(hi - lo))
    points = [[np.array(start, dtype=float)] for _ in optimizers]
    values: list[list[float]] = [[] for _ in optimizers]
    diverged: list[int | None] = [None] * len(optimizers)
    live = list(range(len(optimizers)))
    for step in range(steps + 1):
        terms = [fn.fn(thetas[i][0], thetas[i][1], kappa) for i in live]
        for i, term in zip(live, terms):
            values[i].append(float(term.detach()))
            if not math.isfinite(values[i][-1]) and step < steps:
                diverged[i] = step
        if step == steps:
            break
        stepping = [(i, t) for i, t in zip(live, terms) if diverged[i] is None]
        if not stepping:
            break
        for i, _ in stepping:
            optims[i].zero_grad(set_to_none=True)
        torch.stack([t for _, t in stepping]).sum().backward()
        live = []
        for i, _ in stepping:
            if clip > 0:
                torch.nn.utils.clip_grad_norm_([thetas[i]], clip)
            optims[i].step()
            p = thetas[i].detach().numpy().copy()
            points[i].append(p)
            outside = np.maximum(lo - p, p - hi).max()
            if not np.all(np.isfinite(p)) or outside > ESCAPE_WIDTHS * width:
                diverged[i] = step + 1           # left for good: record where, then stop
                with torch.no_grad():
                    values[i].append(float(fn.fn(thetas[i][0], thetas[i][1], kappa)))
            else:
                live.append(i)
    return [_summarize(fn, o, np.vstack(pts), np.array(vals, dtype=float), d, kappa)
            for o, pts, vals, d in zip(optimizers, points, values, diverged)]


def _summarize(fn: ToyFunction, opt: ToyOptimizer, pts: np.ndarray, vals: np.ndarray,
               diverged_at: int | None, kappa: float) -> ToyPath:
    minima = np.array(fn.minima_for(kappa))
    dists = np.linalg.norm(pts[:, None, :] - minima[None, :, :], axis=2)   # (n, m)
    last = dists[-1]
    k = int(np.nanargmin(last)) if np.isfinite(last).any() else 0
    close = np.nonzero(dists.min(axis=1) < CONVERGED_DIST)[0]
    return ToyPath(opt, pts, vals, diverged_at, tuple(minima[k]), float(last[k]),
                   int(close[0]) if len(close) else None)


# ------------------------------------------------------------------------ presets
def preset(name: str, fn: ToyFunction) -> list[ToyOptimizer]:
    """Ready-made races, with step sizes that suit ``fn``."""
    s, a = fn.sgd_lr, fn.adam_lr
    base = {
        "SGD vs momentum vs Adam": [
            ToyOptimizer("sgd", s), ToyOptimizer("momentum", s, momentum=0.9),
            ToyOptimizer("adam", a)],
        "Every optimizer": [
            ToyOptimizer("sgd", s), ToyOptimizer("momentum", s), ToyOptimizer("nesterov", s),
            ToyOptimizer("adam", a), ToyOptimizer("adamw", a),
            ToyOptimizer("rmsprop", a / 5), ToyOptimizer("adagrad", a * 5)],
        "Adaptive methods": [
            ToyOptimizer("adam", a), ToyOptimizer("rmsprop", a / 5),
            ToyOptimizer("adagrad", a * 5)],
        "Learning rate: too small, right, too large": [
            ToyOptimizer("sgd", s / 10, label=f"SGD lr={s / 10:g} (small)"),
            ToyOptimizer("sgd", s, label=f"SGD lr={s:g}"),
            ToyOptimizer("sgd", s * 20, label=f"SGD lr={s * 20:g} (large)")],
    }
    return base[name]


PRESETS = ("SGD vs momentum vs Adam", "Every optimizer", "Adaptive methods",
           "Learning rate: too small, right, too large")
