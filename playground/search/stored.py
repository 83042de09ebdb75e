"""A search's trials as stored runs of one group (kind ``search``): each trial is one
run with its validation curve, its objective and how it ended, so a search survives a
restart and opens on the Runs page like any other group."""
from __future__ import annotations

import math
import time

from playground.config.parse import format_value
from playground.search.space import OBJECTIVES, SAMPLERS, SearchSettings
from playground.store.rows import NewRun
from playground.store.trials import new_id

# A trial's state in the store's one status vocabulary (playground/runs/status.py).
STATUS = {"complete": "finished", "pruned": "stopped", "diverged": "diverged",
          "failed": "failed", "cancelled": "stopped"}


def params_text(params: dict) -> str:
    return ", ".join(f"{k}={v:.3g}" if isinstance(v, float) else f"{k}={format_value(v)}"
                     for k, v in params.items())


def trial_run(record, settings: SearchSettings, owner: str, group_id: str) -> NewRun:
    curves = record.curves or {}
    steps = list(curves.get("step", []))
    points = {name: (steps, [float(v) for v in curves[name]])
              for name in ("loss", "val_loss", "val_acc", "val_rmse", "val_r2")
              if curves.get(name)}
    finite = {k: v for k, v in {
        "final_loss": (curves.get("loss") or [None])[-1],
        "final_val_loss": (curves.get("val_loss") or [None])[-1],
        "final_val_acc": (curves.get("val_acc") or [None])[-1],
        "best_val_loss": min(curves["val_loss"]) if curves.get("val_loss") else None,
        "best_val_acc": max(curves["val_acc"]) if curves.get("val_acc") else None}.items()
        if v is not None and math.isfinite(v)}
    now = time.time()
    value = "—" if record.value is None else f"{record.value:.4g}"
    return NewRun(
        id=record.run_id or new_id(), owner=owner, kind="search", group_id=group_id,
        label=f"Search trial {record.number + 1} · {params_text(record.params)}",
        config=record.config, status=STATUS.get(record.state, "failed"),
        message=f"{record.message}; {OBJECTIVES[settings.objective]} = {value}",
        tags=("search", SAMPLERS[settings.sampler]) + (("pruned",) if record.state == "pruned"
                                                        else ()),
        created=now - record.seconds, ended=now, points=points,
        events=[(steps[-1] if steps else 0, "stop", record.message)]
        if record.state in ("pruned", "diverged", "cancelled") else [],
        metrics=finite)
