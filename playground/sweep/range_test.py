"""LR range test: ramp the learning rate over one short run and watch the loss.

One optimizer step per learning rate, from small to large (exponential or linear
ramp), as in Smith's range test, fastai's ``lr_find``, torch-lr-finder and the
makemore lecture's ``10**linspace(-3, 0, 1000)``. The loss recorded for step i is the
minibatch loss *before* the update made with ``lrs[i]`` (the references do the same,
so curves and suggestions are comparable).

Every sweep works on a fresh :class:`~playground.training.trainer.Trainer` built from
the config: same seed ⇒ same initial weights and batch order as a real run, and nothing
a live run owns is ever touched. To sweep from where a run is *now*, pass a copy of its
weights (``Snapshot.weights``) as ``init_state``: it is copied into the new model, never
aliased. Each step is the app's one training step (:mod:`playground.training.step`).
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Callable, Sequence

import numpy as np

from playground.config import OPTIMIZERS, RunConfig
from playground.sweep.lr_rules import Suggestion, suggest
from playground.sweep.progress import Part
from playground.sweep.settings import SweepSettings
from playground.training.step import Step


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


def run_ramp(step: Step, next_batch: Callable[[], tuple], lrs: np.ndarray,
             beta: float = 0.98, stop_factor: float = 4.0, progress=None, on_point=None
             ) -> tuple[np.ndarray, int | None, str]:
    """The range-test loop: one :class:`~playground.training.step.Step` per learning
    rate, on the minibatch ``next_batch()`` returns.

    Returns (raw losses, stop index or None, stop reason). Stops when the loss is not
    finite (that step takes no update) or the bias-corrected smoothed loss exceeds
    ``stop_factor`` × its best so far.
    """
    n = len(lrs)
    losses = np.full(n, np.nan)
    groups = step.optimizer.param_groups
    report_every = max(1, n // 50)
    cancel = getattr(progress, "cancel_requested", None)
    avg, best, correction = 0.0, math.inf, 1.0
    for i, lr in enumerate(lrs.tolist()):
        for g in groups:
            g["lr"] = lr
        v = step(*next_batch())
        losses[i] = v
        if not math.isfinite(v):
            return losses[:i + 1], i, f"the loss became {v} at η = {lr:.3g}"
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
    from playground.training.trainer import Trainer  # local: keeps this module light

    errors = settings.validate()
    if errors:
        raise ValueError("; ".join(str(e) for e in errors))
    cfg = settings.apply(config)
    t0 = time.perf_counter()
    trainer = Trainer(cfg, task=task)
    if init_state is not None:
        trainer.model.load_state_dict(init_state)   # copies: the source is never aliased
    train, batches = trainer.task.train, trainer.batches
    trainer.model.train()
    lrs = settings.lrs()
    beta = settings.smoothing
    losses, stop, reason = run_ramp(trainer.one_step, lambda: train.take(batches.next()), lrs,
                                    beta, settings.stop_factor, progress, on_point)
    return SweepCurve(cfg.optimizer, lrs[:len(losses)], losses, lrs, beta,
                      settings.stop_factor, stop, reason, time.perf_counter() - t0,
                      trainer.batch_size, cfg)


def range_test_many(config: RunConfig, optimizers: Sequence[str],
                    settings: SweepSettings = SweepSettings(), progress=None, task=None,
                    init_state: dict | None = None, live=None
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
