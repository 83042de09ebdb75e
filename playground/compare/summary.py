"""The live summary table of a comparison: one row per run, from its snapshot.

Pure: snapshots in, plain rows out (the page shows them and offers them as CSV).
"""
from __future__ import annotations

import csv
import io
import math

import numpy as np

SUMMARY_COLUMNS = (
    "run", "optimizer", "status", "steps", "examples seen",
    "final val loss", "best val loss", "final val accuracy", "best val accuracy",
    "target reached at step", "wall time (s)", "steps/s", "diverged at step",
)
# a regression comparison: RMSE (in the target's units) and R² where accuracy would be
REGRESSION_COLUMNS = tuple(
    c for name in SUMMARY_COLUMNS
    for c in ({"final val accuracy": ("final val RMSE", "final val R²"),
               "best val accuracy": ("best val RMSE", "best val R²")}.get(name, (name,))))


def columns_for(snapshots: list) -> tuple[str, ...]:
    """The summary's columns: regression ones when the runs are regression runs."""
    return REGRESSION_COLUMNS if snapshots and snapshots[0].is_regression else SUMMARY_COLUMNS


def first_reached(history: dict, target: float) -> int | None:
    """First evaluated step whose validation loss was ≤ ``target`` (None if never).

    Uses each bucket's minimum, so a dip is never missed; with a downsampled history
    the step is the end of the bucket where it happened ("reached by step N").
    """
    ev = history.get("eval", {})
    low = ev.get("val_loss_min", ev.get("val_loss"))
    if low is None or len(low) == 0 or not math.isfinite(target):
        return None
    hit = np.flatnonzero(np.nan_to_num(low, nan=np.inf) <= target)
    return int(ev["step"][hit[0]]) if len(hit) else None


def summary_rows(snapshots: list, labels: list[str], target: float | None = None) -> list[dict]:
    rows = []
    for snap, label in zip(snapshots, labels):
        ev = snap.history.get("eval", {})
        loss_min = _finite(ev.get("val_loss_min", ev.get("val_loss")))
        acc_max = _finite(ev.get("val_acc_max", ev.get("val_acc")))
        wall = snap.elapsed_s
        rows.append({
            "run": label,
            "optimizer": snap.config.optimizer_label,
            "status": snap.status.value,
            "steps": snap.step,
            "examples seen": snap.examples,
            "final val loss": snap.val_loss,
            "best val loss": float(loss_min.min()) if len(loss_min) else None,
            "final val accuracy": snap.val_acc,
            "best val accuracy": float(acc_max.max()) if len(acc_max) else None,
            **(_regression(snap, ev) if snap.is_regression else {}),
            "target reached at step": (first_reached(snap.history, target)
                                       if target is not None else None),
            "wall time (s)": round(wall, 2),
            "steps/s": round(snap.step / wall, 1) if wall > 0 else None,
            "diverged at step": snap.diverged_at,
        })
    return rows


def _regression(snap, ev: dict) -> dict:
    """Final and best validation RMSE (target units) and R² of a regression run."""
    rmse_min = _finite(ev.get("val_rmse_min", ev.get("val_rmse")))
    r2_max = _finite(ev.get("val_r2_max", ev.get("val_r2")))
    return {"final val RMSE": snap.val_rmse, "final val R²": snap.val_r2,
            "best val RMSE": float(rmse_min.min()) if len(rmse_min) else None,
            "best val R²": float(r2_max.max()) if len(r2_max) else None}


def _finite(values) -> np.ndarray:
    if values is None:
        return np.empty(0)
    arr = np.asarray(values, dtype=float)
    return arr[np.isfinite(arr)]


def to_csv(rows: list[dict], columns: tuple[str, ...] = SUMMARY_COLUMNS) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if row.get(k) is None else row[k] for k in columns})
    return out.getvalue()
