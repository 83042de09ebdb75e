"""LR range test: ramp the learning rate over one short run and watch the loss.

One optimizer step per learning rate, from small to large (exponential or linear
ramp), as in Smith's range test, fastai's ``lr_find``, torch-lr-finder and the
makemore lecture's ``10**linspace(-3, 0, 1000)``. The loss recorded for step i is the
minibatch loss *before* the update made with ``lrs[i]`` (the references do the same,
so curves and suggestions are comparable).

Every sweep works on a fresh :class:`~playground.engine.Trainer` built from the
config: same seed ⇒ same initial weights and batch order as a real run, and nothing
a live run owns is ever touched. To sweep from where a run is *now*, pass a copy of
its weights (``Snapshot.weights``) as ``init_state``: it is copied into the new
model, never aliased.

The hot loop is deliberately bare (no DataLoader, no scheduler object, no state
saving): index the shared tensors, forward, backward, step, one ``.item()``.
Fixed-LR short runs live in :mod:`playground.short_runs`; the suggestion rules in
:mod:`playground.lr_rules`.
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Callable, Sequence

import numpy as np
import torch
import torch.nn.functional as F

from playground.config import OPTIMIZERS, ConfigError, RunConfig
from playground.lr_rules import Suggestion, suggest
from playground.optim import lean_step

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


def smooth(losses: Sequence[float], beta: float) -> np.ndarray:
    """Bias-corrected exponential moving average (fastai's ``SmoothenValue``).

    Non-finite losses are skipped (their output is NaN) so one NaN never poisons the
    rest of the curve; the bias correction counts only the values actually averaged.
    """
    out = np.full(len(losses), np.nan)
    avg, n = 0.0, 0
    for i, v in enumerate(losses):
        if not math.isfinite(v):
            continue
        n += 1
        avg = beta * avg + (1.0 - beta) * v
        out[i] = avg / (1.0 - beta ** n) if beta > 0 else v
    return out


@dataclass(frozen=True)
class SweepCurve:
    """One range test's result. ``losses`` may hold NaN/inf at the stop point."""

    optimizer: str
    lrs: np.ndarray            # learning rate of each completed step
    losses: np.ndarray         # raw minibatch loss before that step's update
    planned_lrs: np.ndarray    # the whole ramp, for showing how far the test got
    beta: float
    stop_factor: float
    stop_index: int | None     # index of the step that triggered the stop, or None
    stop_reason: str
    seconds: float
    batch_size: int
    config: RunConfig = field(repr=False, default=None)

    @property
    def label(self) -> str:
        return OPTIMIZERS.get(self.optimizer, self.optimizer)

    @property
    def stopped(self) -> bool:
        return self.stop_index is not None

    def smoothed(self, beta: float | None = None) -> np.ndarray:
        return smooth(self.losses, self.beta if beta is None else beta)

    def suggestions(self, beta: float | None = None) -> list[Suggestion]:
        return suggest(self.lrs, self.smoothed(beta), self.stop_index)

    def rows(self, beta: float | None = None) -> list[dict]:
        """One dict per step, for the CSV download."""
        sm = self.smoothed(beta)
        return [{"optimizer": self.optimizer, "step": i, "lr": float(lr),
                 "log10_lr": math.log10(lr), "loss": float(v), "smoothed_loss": float(s),
                 "stopped_here": i == self.stop_index}
                for i, (lr, v, s) in enumerate(zip(self.lrs, self.losses, sm))]


def run_ramp(step_loss: Callable[[], torch.Tensor], optimizer: torch.optim.Optimizer,
             lrs: np.ndarray, beta: float = 0.98, stop_factor: float = 4.0,
             progress=None, clip: float = 0.0, params=None, on_point=None
             ) -> tuple[np.ndarray, int | None, str]:
    """The range-test loop on any model: ``step_loss()`` returns the next batch's loss.

    Returns (raw losses, stop index or None, stop reason). Stops when the loss is not
    finite (that step's update is skipped) or the bias-corrected smoothed loss exceeds
    ``stop_factor`` × its best so far.
    """
    n = len(lrs)
    losses = np.full(n, np.nan)
    groups = optimizer.param_groups
    opt_step, clear_grads = lean_step(optimizer)
    report_every = max(1, n // 50)
    cancel = getattr(progress, "cancel_requested", None)
    avg, best, correction = 0.0, math.inf, 1.0
    for i, lr in enumerate(lrs.tolist()):
        for g in groups:
            g["lr"] = lr
        loss = step_loss()
        clear_grads()
        loss.backward()
        v = loss.item()
        losses[i] = v
        if not math.isfinite(v):
            return losses[:i + 1], i, f"the loss became {v} at η = {lr:.3g}"
        if clip > 0:
            torch.nn.utils.clip_grad_norm_(params, clip)
        opt_step()
        avg = beta * avg + (1.0 - beta) * v
        correction *= beta
        s = avg / (1.0 - correction) if beta > 0 else v
        if s < best:
            best = s
        elif s > stop_factor * best:
            return losses[:i + 1], i, (f"the smoothed loss {s:.3g} passed {stop_factor:g}× its "
                                       f"best ({best:.3g}) at η = {lr:.3g}")
        if on_point is not None:
            on_point(i, lr, v)
        if cancel is not None:
            if i % report_every == 0:
                progress.update((i + 1) / n)
            elif cancel.is_set():
                progress.check()
    return losses, None, ""


def range_test(config: RunConfig, settings: SweepSettings = SweepSettings(), progress=None,
               task=None, init_state: dict | None = None, on_point=None) -> SweepCurve:
    """Range test of ``config``'s optimizer on a fresh copy of its model."""
    from playground.engine import Trainer  # local: keeps `import playground.sweep` light

    errors = settings.validate()
    if errors:
        raise ValueError("; ".join(str(e) for e in errors))
    cfg = settings.apply(config)
    t0 = time.perf_counter()
    trainer = Trainer(cfg, task=task)
    if init_state is not None:
        trainer.model.load_state_dict(init_state)   # copies: the source is never aliased
    model, train, batches = trainer.model, trainer.task.train, trainer.batches
    model.train()

    def step_loss() -> torch.Tensor:
        inputs, targets = train.take(batches.next())
        return F.cross_entropy(model(*inputs), targets)

    lrs = settings.lrs()
    beta = settings.smoothing
    losses, stop, reason = run_ramp(step_loss, trainer.optimizer, lrs, beta,
                                    settings.stop_factor, progress, cfg.clip, trainer.params,
                                    on_point)
    return SweepCurve(cfg.optimizer, lrs[:len(losses)], losses, lrs, beta,
                      settings.stop_factor, stop, reason, time.perf_counter() - t0,
                      trainer.batch_size, cfg)


def range_test_many(config: RunConfig, optimizers: Sequence[str],
                    settings: SweepSettings = SweepSettings(), progress=None, task=None,
                    init_state: dict | None = None, live: "LiveCurves | None" = None
                    ) -> list[SweepCurve]:
    """One range test per optimizer: same initial weights, same batches, one chart.
    ``live`` (optional) receives every point as it is computed, for a live chart."""
    if not optimizers:
        raise ValueError("choose at least one optimizer to sweep")
    unknown = [o for o in optimizers if o not in OPTIMIZERS]
    if unknown:
        raise ValueError(f"unknown optimizer(s): {', '.join(unknown)}")
    if task is None:   # once for all optimizers; the first load of a dataset can be slow
        if progress is not None:
            progress.update(0.0, "loading the dataset…")
        from playground import data as data_registry
        task = data_registry.load(settings.apply(config))
    curves = []
    for k, name in enumerate(optimizers):
        part = Part(progress, k, len(optimizers), f"sweeping {OPTIMIZERS[name]}")
        if live is not None:
            live.begin(name)
        curves.append(range_test(config.replace(optimizer=name), settings, part, task,
                                 init_state, live.add if live is not None else None))
    return curves


class LiveCurves:
    """The points of a running sweep, for drawing it while it runs.

    Written by the job thread, read by the page. ``list.append`` is atomic in CPython
    and the reader only takes the prefix both lists already have, so no lock (and no
    cost for the sweep beyond two appends per step).
    """

    def __init__(self) -> None:
        self._curves: list[tuple[str, list, list]] = []

    def begin(self, optimizer: str) -> None:
        self._curves.append((optimizer, [], []))

    def add(self, step: int, lr: float, loss: float) -> None:
        _, lrs, losses = self._curves[-1]
        lrs.append(lr)
        losses.append(loss)

    def view(self) -> list[tuple[str, np.ndarray, np.ndarray]]:
        out = []
        for name, lrs, losses in list(self._curves):
            n = min(len(lrs), len(losses))
            out.append((name, np.array(lrs[:n]), np.array(losses[:n])))
        return out

    def curves(self, settings: "SweepSettings") -> list[SweepCurve]:
        """The partial curves as SweepCurve objects (no stop yet), for the same figure."""
        return [SweepCurve(name, lrs, losses, settings.lrs(), settings.smoothing,
                           settings.stop_factor, None, "", 0.0, 0)
                for name, lrs, losses in self.view() if len(lrs) > 1]


class Part:
    """A slice [k/n, (k+1)/n] of a job's progress bar, for one of n sub-tasks.

    ``Part(None, ...)`` is None-like: it has no ``cancel_requested``, so loops that
    look for one skip progress reporting entirely.
    """

    def __new__(cls, progress, k: int, n: int, message: str):
        if progress is None:
            return None
        return super().__new__(cls)

    def __init__(self, progress, k: int, n: int, message: str):
        self._p, self._k, self._n = progress, k, n
        self.cancel_requested = progress.cancel_requested
        progress.update(k / n, f"{message} ({k + 1}/{n})" if n > 1 else message)

    def update(self, fraction: float, message: str = "") -> None:
        self._p.update((self._k + fraction) / self._n, message)

    def check(self) -> None:
        self._p.check()
