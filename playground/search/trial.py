"""One trial, as a plain function of plain data: it runs in a worker process or on Ray.

Everything arrives as dicts and numbers (the config as ``RunConfig.to_dict()``), and the
model and data are rebuilt here from the config and its seed, never pickled tensors:
a trial in a worker trains exactly what the same trial would train in-process.

Pruning is decided here, by Optuna's own pruner, on an in-memory study holding what the
search knew when the trial was sent (the other trials' validation curves): the worker
never has to ask the driver between two checkpoints.
"""
from __future__ import annotations

import math
import os
import time

DIVERGED_LOSS_FACTOR = 100.0   # a diverged trial's loss objective: 100× the chance loss,
                               # the level at which the Trainer itself calls it diverged
CANCEL_EVERY = 50              # steps between looks at the cancel flag (~10 ms of digits MLP)


def worst_value(objective: str, n_classes: int, target_std: float | None = None) -> float:
    """The objective a diverged trial is recorded with: the worst any trial can get.
    A regression task (``target_std`` given) diverges at 100× the mean's loss (MSE 1 on
    standardised targets): R² = 1 − 100, RMSE = √100 target standard deviations."""
    if objective.endswith("_acc"):
        return 0.0
    if objective.endswith("_r2"):
        return 1.0 - DIVERGED_LOSS_FACTOR
    if objective.endswith("_rmse"):
        return math.sqrt(DIVERGED_LOSS_FACTOR) * target_std
    if target_std is not None:
        return DIVERGED_LOSS_FACTOR
    return DIVERGED_LOSS_FACTOR * math.log(max(2, n_classes))


def _metric(objective: str) -> str:
    """The curve an objective reads: "best_val_rmse" → "val_rmse"."""
    return "val_" + objective.rsplit("_val_", 1)[1]


def _pruning_study(spec: dict):
    """An in-memory study with the finished trials' curves, for the pruner to judge by."""
    import optuna
    from optuna.trial import TrialState, create_trial

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    pruner = {"median": lambda: optuna.pruners.MedianPruner(n_startup_trials=2,
                                                            n_warmup_steps=0),
              "halving": lambda: optuna.pruners.SuccessiveHalvingPruner(
                  min_resource=spec["first_checkpoint"], reduction_factor=3)}[spec["pruner"]]()
    study = optuna.create_study(direction=spec["direction"], pruner=pruner)
    for past in spec.get("history", ()):
        state = TrialState.PRUNED if past["state"] == "pruned" else TrialState.COMPLETE
        study.add_trial(create_trial(
            state=state, value=past["value"] if state == TrialState.COMPLETE else None,
            intermediate_values={int(k): v for k, v in past["intermediate"].items()},
            system_attrs=past.get("system_attrs", {})))
    return study, study.ask()


def run_trial(spec: dict, cancel=None) -> dict:
    """Train ``spec["config"]`` for its length on ``spec["seeds"]`` seeds; return its
    objective, its validation curve and how it ended ("complete", "pruned", "diverged"
    or "cancelled"). ``cancel`` is any object with ``is_set()`` (a threading or
    multiprocessing Event), looked at every few steps."""
    import torch

    from playground.config import RunConfig
    from playground.config.choices import MAX_SEED
    from playground.training.trainer import Trainer

    t0, cpu0 = time.perf_counter(), time.process_time()
    config, errors = RunConfig.from_dict(spec["config"])
    if errors or config.validate():
        raise ValueError("; ".join(str(e) for e in (errors or config.validate())))
    objective = spec["objective"]
    seeds = [min(config.seed + s, MAX_SEED) for s in range(spec.get("seeds", 1))]
    trainers = [Trainer(config.replace(seed=s)) for s in seeds]
    n_classes = trainers[0].task.n_classes
    task = trainers[0].task
    worst = worst_value(objective, n_classes, task.extra.get("target_std")
                        if task.is_regression else None)
    metrics = ("val_loss", "val_rmse", "val_r2") if task.is_regression else ("val_loss",
                                                                             "val_acc")
    total = trainers[0].total_steps
    n_checks = max(1, min(spec.get("checkpoints", 10), total))
    checks = sorted({round(total * (k + 1) / n_checks) for k in range(n_checks)})
    study, pruned_trial = (_pruning_study(spec) if spec.get("pruner", "none") != "none"
                           else (None, None))
    curves = {"step": [], "loss": [], **{name: [] for name in metrics}}
    intermediate: dict[int, float] = {}
    state, message, done = "complete", f"{total:,} steps", 0
    best = None
    for check in checks:
        losses = []
        for trainer in trainers:
            for i in range(check - done):
                v = trainer.step().loss
                why = trainer.divergence(v)
                if why:
                    state, message = "diverged", f"diverged at step {trainer.step_count}: {why}"
                    break
                losses.append(v)
                if i % CANCEL_EVERY == 0 and cancel is not None and cancel.is_set():
                    state, message = "cancelled", f"cancelled at step {trainer.step_count}"
                    break
            if state != "complete":
                break
        if state != "complete":
            break
        done = check
        evals = [t.evaluate("val") for t in trainers]
        val_loss = sum(e.loss for e in evals) / len(evals)
        if not math.isfinite(val_loss):
            state, message = "diverged", f"the validation loss became {val_loss} at step {check}"
            break
        curves["step"].append(check)
        curves["loss"].append(sum(losses) / max(1, len(losses)))
        for j, name in enumerate(metrics):      # each measure's mean over the seeds
            curves[name].append(sum(e.values()[j] for e in evals) / len(evals))
        now = curves[_metric(objective)][-1]
        if objective.startswith("best_"):
            better = max if objective.endswith(("_acc", "_r2")) else min
            now = now if best is None else better(best, now)
        best = now
        intermediate[check] = now
        if pruned_trial is not None and check < total:
            pruned_trial.report(now, check)
            if pruned_trial.should_prune():
                state, message = "pruned", f"pruned at step {check:,} of {total:,}"
                break
    value = best if state in ("complete", "pruned") else worst
    system_attrs = {}
    if study is not None:
        system_attrs = dict(study.trials[-1].system_attrs)
    return {"state": state, "value": float(value) if value is not None else None,
            "intermediate": intermediate, "curves": curves, "message": message,
            "seconds": time.perf_counter() - t0, "pid": os.getpid(),
            "cpu_seconds": time.process_time() - cpu0,   # of the whole worker process
            "threads": torch.get_num_threads(), "system_attrs": system_attrs}
