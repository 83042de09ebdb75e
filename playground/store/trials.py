"""Runs that are not registry runs, as whole stored runs: sweep trials, lesson evidence.

Sweeps and lessons train their own Trainers inside a background job; nothing is added
to their hot loops. When a job is done its result is turned into :class:`NewRun`
objects here and handed to the store in one go: one run per range-test curve (loss
and η at every step), one per short-run trial (its final losses), one per lesson's
evidence (every series it measured; tagged ``lesson`` and hidden by default). A
search (several fields at once) can hand its trials over the same way.
"""
from __future__ import annotations

import math
import time
import uuid

from playground.store.rows import NewRun


def new_id() -> str:
    return uuid.uuid4().hex[:10]


def _finite(values) -> list[float]:
    return [float(v) for v in values if isinstance(v, (int, float)) and math.isfinite(v)]


def from_range_tests(curves, owner: str, group_id: str | None = None) -> list[NewRun]:
    group_id = group_id or new_id()
    now = time.time()
    out = []
    for c in curves:
        losses = [float(v) for v in c.losses]
        steps = list(range(len(losses)))
        finite = _finite(losses)
        out.append(NewRun(
            id=new_id(), owner=owner, kind="sweep", group_id=group_id,
            label=f"Range test · {c.label}", config=c.config.to_dict() if c.config else {},
            message=c.stop_reason or "the ramp ran to its end", tags=("lr sweep",),
            created=now, ended=now,
            points={"loss": (steps, losses), "lr": (steps, [float(v) for v in c.lrs])},
            events=[(c.stop_index, "stop", c.stop_reason)] if c.stopped else [],
            metrics={"final_loss": finite[-1] if finite else None}))
    return out


def from_short_runs(results, owner: str, group_id: str | None = None) -> list[NewRun]:
    group_id = group_id or new_id()
    now = time.time()
    out = []
    for res in results:
        base = res.config
        for s, seed in enumerate(res.seeds):
            for k, lr in enumerate(res.lrs):
                diverged = bool(res.diverged[s, k])
                config = base.replace(lr=float(lr), seed=int(seed), length=res.steps,
                                      length_unit="steps").to_dict() if base else {}
                metrics = {"final_loss": float(res.train_loss[s, k]),
                           "final_val_loss": float(res.val_loss[s, k]),
                           "final_val_acc": float(res.val_acc[s, k])}
                if res.val_rmse is not None:            # a regression task
                    metrics["final_val_rmse"] = float(res.val_rmse[s, k])
                    metrics["best_val_rmse"] = metrics["final_val_rmse"]
                metrics["best_val_loss"] = metrics["final_val_loss"]
                metrics["best_val_acc"] = metrics["final_val_acc"]
                out.append(NewRun(
                    id=new_id(), owner=owner, kind="sweep", group_id=group_id,
                    label=f"Short run · {res.label} η={lr:.3g} seed {seed}", config=config,
                    status="diverged" if diverged else "finished",
                    message=f"{res.steps:,} steps at η = {lr:.3g}"
                    + (" (diverged)" if diverged else ""), tags=("lr sweep",),
                    created=now, ended=now,
                    points={} if diverged else {
                        "val_loss": ([res.steps], [metrics["final_val_loss"]]),
                        "val_acc": ([res.steps], [metrics["final_val_acc"]])},
                    metrics=metrics))
    return out


def _series_points(series: dict) -> dict[str, tuple[list, list]]:
    """A lesson's ``{"curves": {"step": [...], "loss": [...], "eval_step": ...}}`` as
    stored series (``curves/loss`` against ``step``, ``curves/eval_loss`` against
    ``eval_step``; lists without a step column against their index)."""
    out: dict[str, tuple[list, list]] = {}
    for name, columns in (series or {}).items():
        if not isinstance(columns, dict):
            continue
        xs = {k: v for k, v in columns.items() if k in ("step", "eval_step")
              and isinstance(v, list) and all(isinstance(s, int) for s in v)}
        for key, values in columns.items():
            if key in xs or not isinstance(values, list) or not values or not all(
                    isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
                continue
            x = next((s for k, s in sorted(xs.items(), key=lambda kv: kv[0] != (
                "eval_step" if key.startswith("eval_") else "step"))
                if len(s) == len(values)), list(range(len(values))))
            out[f"{name}/{key}"[:64]] = (list(x), [float(v) for v in values])
    return out


def from_evidence(lesson, evidence, owner: str, group_id: str | None = None) -> list[NewRun]:
    """One hidden run per measured lesson, tagged ``lesson`` and the lesson's key."""
    now = time.time()
    config = {}
    for preset in lesson.presets:
        payload = preset.payload
        first = payload.get("config") or next(iter(payload.get("configs") or ()), None)
        if first is not None:
            config = first.to_dict()
            break
    numbers = {k: v for k, v in (evidence.numbers or {}).items()
               if isinstance(v, (int, float)) and math.isfinite(v)}
    return [NewRun(
        id=new_id(), owner=owner, kind="lesson", group_id=group_id, label=f"Lesson · "
        f"{lesson.title}", config=config, status="finished",
        message=evidence.verdict[:2000], tags=("lesson", lesson.key), hidden=True,
        created=now, ended=now, points=_series_points(evidence.series),
        events=[(0, "observed" if evidence.observed else "not observed",
                 ", ".join(f"{k}={v:.4g}" for k, v in list(numbers.items())[:12]))],
        metrics={"final_loss": numbers.get("final_loss")})]
