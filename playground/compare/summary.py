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
            "target reached at step": (first_reached(snap.history, target)
                                       if target is not None else None),
            "wall time (s)": round(wall, 2),
            "steps/s": round(snap.step / wall, 1) if wall > 0 else None,
            "diverged at step": snap.diverged_at,
        })
    return rows


def _finite(values) -> np.ndarray:
    if values is None:
        return np.empty(0)
    arr = np.asarray(values, dtype=float)
    return arr[np.isfinite(arr)]


def to_csv(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(SUMMARY_COLUMNS), extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if row.get(k) is None else row[k] for k in SUMMARY_COLUMNS})
    return out.getvalue()
