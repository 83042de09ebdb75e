"""Short runs: train T steps at each of K fixed learning rates, compare final losses.

The range test's loss at η mixes in everything the smaller learning rates before it
already achieved (early steps always have higher loss), so its curve is biased
toward small η. Short runs remove that bias: every LR starts from the *same*
initial weights with the *same* batch order, trains T steps at a constant η, and is
judged by its final train and validation loss. Several seeds (different initial
weights and batch orders on the same data split) show how much of the picture is
luck: the page draws their spread as a band.
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Callable, Sequence

import numpy as np

from playground.config import MAX_SEED, OPTIMIZERS, ConfigError, RunConfig
from playground.sweep.progress import Part
from playground.sweep.settings import check_batch, check_lr_range
from playground.training.step import Step

MAX_POINTS = 30
MAX_STEPS = 5000
MAX_SEEDS = 3
MAX_TOTAL_STEPS = 200_000   # K × T × seeds × optimizers, so a click cannot hog a slot for long


@dataclass(frozen=True)
class ShortRunSettings:
    start_lr: float = 1e-4
    end_lr: float = 1.0
    points: int = 9             # K learning rates on a log grid, both ends included
    steps: int = 200            # T optimizer steps per learning rate
    seeds: int = 1              # 1–3: the config's seed, seed+1, seed+2
    batch_size: int | None = None

    def validate(self, n_optimizers: int = 1) -> list[ConfigError]:
        errs = check_lr_range(self.start_lr, self.end_lr)
        for name, lo, hi in (("points", 2, MAX_POINTS), ("steps", 1, MAX_STEPS),
                             ("seeds", 1, MAX_SEEDS)):
            v = getattr(self, name)
            if not (isinstance(v, int) and lo <= v <= hi):
                errs.append(ConfigError(name, f"must be a whole number between {lo} and "
                                        f"{hi:,}, got {v!r}"))
        if not errs:   # the product only makes sense once every factor is valid
            total = self.points * self.steps * self.seeds * max(1, n_optimizers)
            if total > MAX_TOTAL_STEPS:
                errs.append(ConfigError("steps", f"{total:,} steps in all (LRs × steps × seeds "
                                        f"× optimizers) is over the {MAX_TOTAL_STEPS:,} limit; "
                                        "use fewer of one of them"))
        return errs + check_batch(self.batch_size)

    def lrs(self) -> np.ndarray:
        return np.logspace(math.log10(self.start_lr), math.log10(self.end_lr), self.points)

    def apply(self, config: RunConfig) -> RunConfig:
        """The config the short runs really train (batch size override)."""
        if self.batch_size is None or self.batch_size == config.batch_size:
            return config
        return config.replace(batch_size=self.batch_size)


BLOWUP = 3.0     # a final training loss above 3× the starting one counts as diverged


@dataclass(frozen=True)
class ShortRunsResult:
    optimizer: str
    lrs: np.ndarray            # (K,)
    seeds: tuple[int, ...]     # (S,)
    train_loss: np.ndarray     # (S, K) final loss on the whole training split; NaN if it
                               # blew up mid-run (a run that ended above BLOWUP × its start
                               # keeps its loss but is marked diverged)
    val_loss: np.ndarray       # (S, K)
    val_acc: np.ndarray        # (S, K)
    diverged: np.ndarray       # (S, K) bool
    steps: int
    seconds: float
    config: RunConfig = field(repr=False, default=None)
    val_rmse: np.ndarray | None = None   # (S, K) a regression task's, in the target's units

    @property
    def label(self) -> str:
        return OPTIMIZERS.get(self.optimizer, self.optimizer)

    def mean(self, which: str = "val") -> np.ndarray:
        """Mean over seeds per LR; NaN where any seed diverged (that LR is unsafe)."""
        arr = self.val_loss if which == "val" else self.train_loss
        out = np.full(arr.shape[1], np.nan)
        ok = ~self.diverged.any(axis=0) & np.isfinite(arr).all(axis=0)
        out[ok] = arr[:, ok].mean(axis=0)
        return out

    def best_lr(self, which: str = "val") -> float | None:
        m = self.mean(which)
        if not np.isfinite(m).any():
            return None
        return float(self.lrs[int(np.nanargmin(m))])

    def rows(self) -> list[dict]:
        return [{"optimizer": self.optimizer, "seed": seed, "lr": float(lr), "steps": self.steps,
                 "train_loss": float(self.train_loss[s, k]), "val_loss": float(self.val_loss[s, k]),
                 **({"val_accuracy": float(self.val_acc[s, k])} if self.val_rmse is None
                    else {"val_rmse": float(self.val_rmse[s, k])}),
                 "diverged": bool(self.diverged[s, k])}
                for s, seed in enumerate(self.seeds) for k, lr in enumerate(self.lrs)]


def run_fixed(step: Step, next_batch: Callable[[], tuple], steps: int,
              diverged: Callable[[float], bool] = lambda v: not math.isfinite(v),
              progress=None) -> tuple[float, int | None]:
    """T steps at the optimizer's LR; returns (last minibatch loss, step it diverged or None)."""
    cancel = getattr(progress, "cancel_requested", None)
    v = math.nan
    for i in range(steps):
        v = step(*next_batch())
        if diverged(v):
            return v, i
        if cancel is not None and cancel.is_set():
            progress.check()
    return v, None


def short_runs(config: RunConfig, settings: ShortRunSettings = ShortRunSettings(),
               progress=None, task=None, init_state: dict | None = None) -> ShortRunsResult:
    """K fixed-LR runs of ``config``'s optimizer per seed, each from the same start."""
    from playground import data as data_registry
    from playground.training.batches import BatchOrder
    from playground.training.optim import make_optimizer
    from playground.training.trainer import Trainer

    errors = settings.validate()
    if errors:
        raise ValueError("; ".join(str(e) for e in errors))
    cfg = settings.apply(config)
    t0 = time.perf_counter()
    if task is None:   # one split for every seed; the first load of a dataset can be slow
        if progress is not None:
            progress.update(0.0, "loading the dataset…")
        task = data_registry.load(cfg)
    lrs = settings.lrs()
    seeds = tuple(min(cfg.seed + s, MAX_SEED) for s in range(settings.seeds))
    shape = (len(seeds), len(lrs))
    train_loss, val_loss, val_acc, val_rmse = (np.full(shape, np.nan) for _ in range(4))
    diverged = np.zeros(shape, dtype=bool)
    start_loss = np.full(len(seeds), np.nan)
    n_jobs = len(seeds) * len(lrs)
    for s, seed in enumerate(seeds):
        trainer = Trainer(cfg.replace(seed=seed), task=task)
        if init_state is not None:
            trainer.model.load_state_dict(init_state)
        start = {k: v.detach().clone() for k, v in trainer.model.state_dict().items()}
        model, train = trainer.model, task.train
        start_loss[s] = trainer.evaluate("train").loss
        for k, lr in enumerate(lrs.tolist()):
            part = Part(progress, s * len(lrs) + k, n_jobs,
                        f"{OPTIMIZERS[cfg.optimizer]}, seed {seed}: η = {lr:.3g}")
            model.load_state_dict(start)
            optimizer = make_optimizer(trainer.config, trainer.params, lr=lr)
            batches = BatchOrder(len(train), cfg.batch_size, seed)
            model.train()
            _, bad = run_fixed(Step(model, optimizer, cfg.clip, loss=trainer.loss),
                               lambda b=batches: train.take(b.next()), settings.steps,
                               lambda v: trainer.divergence(v) is not None, part)
            if bad is not None:
                diverged[s, k] = True
                continue
            tr, va = trainer.evaluate("train"), trainer.evaluate("val")
            if not (math.isfinite(tr.loss) and math.isfinite(va.loss)):
                diverged[s, k] = True
                continue
            train_loss[s, k], val_loss[s, k], val_acc[s, k] = tr.loss, va.loss, va.accuracy
            val_rmse[s, k] = math.nan if va.rmse is None else va.rmse
            # Ended well above where it started: the steps made it worse, which is what
            # a student calls diverging even when the loss stayed finite (a loss of 25
            # from a start of 1.1). The run-time rule (100×) is for stopping a live run.
            if tr.loss > BLOWUP * start_loss[s]:
                diverged[s, k] = True
    return ShortRunsResult(cfg.optimizer, lrs, seeds, train_loss, val_loss, val_acc, diverged,
                           settings.steps, time.perf_counter() - t0, cfg,
                           val_rmse if task.is_regression else None)


def short_runs_many(config: RunConfig, optimizers: Sequence[str],
                    settings: ShortRunSettings = ShortRunSettings(), progress=None, task=None,
                    init_state: dict | None = None) -> list[ShortRunsResult]:
    if not optimizers:
        raise ValueError("choose at least one optimizer")
    errors = settings.validate(len(optimizers))
    if errors:
        raise ValueError("; ".join(str(e) for e in errors))
    return [short_runs(config.replace(optimizer=name), settings,
                       Part(progress, k, len(optimizers), f"short runs: {OPTIMIZERS[name]}"),
                       task, init_state)
            for k, name in enumerate(optimizers)]
