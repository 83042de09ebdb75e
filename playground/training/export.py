"""Downloads: a run's history as CSV, its config as JSON, its weights as a state dict."""
from __future__ import annotations

import io
import json

import numpy as np
import torch


COLUMNS = ("step", "epoch", "examples", "time_s", "loss", "loss_min", "loss_max", "lr",
           "val_loss", "val_acc")
# a regression run's evaluations: RMSE in the target's units and R² instead of accuracy
REGRESSION_COLUMNS = COLUMNS[:-1] + ("val_rmse", "val_r2")


def history_csv(train: dict, evals: dict) -> str:
    """One row per recorded step (training bucket or evaluation), merged on step.

    Training columns are bucket summaries (mean/min/max over the steps the bucket
    covers); evaluation columns are empty where no evaluation was made.
    """
    columns = REGRESSION_COLUMNS if "val_rmse" in evals else COLUMNS
    rows: dict[int, dict] = {}
    for i, step in enumerate(np.asarray(train.get("step", [])).astype(int)):
        rows[int(step)] = {"epoch": train["epoch"][i], "examples": train["examples"][i],
                           "time_s": train["time"][i], "loss": train["loss"][i],
                           "loss_min": train["loss_min"][i], "loss_max": train["loss_max"][i],
                           "lr": train["lr"][i]}
    for i, step in enumerate(np.asarray(evals.get("step", [])).astype(int)):
        row = rows.setdefault(int(step), {"epoch": evals["epoch"][i],
                                          "examples": evals["examples"][i],
                                          "time_s": evals["time"][i]})
        row.update({c: evals[c][i] for c in columns[8:]})
    out = io.StringIO()
    out.write(",".join(columns) + "\n")
    for step in sorted(rows):
        row = rows[step]
        cells = [str(step)] + [_cell(row.get(c)) for c in columns[1:]]
        out.write(",".join(cells) + "\n")
    return out.getvalue()


def _cell(value) -> str:
    if value is None:
        return ""
    value = float(value)
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else f"{value:.6g}"


def config_json(config) -> str:
    return json.dumps(config.to_dict(), indent=2, sort_keys=True)


def weights_bytes(weights: dict) -> bytes:
    """``torch.save`` of a state dict (load with ``torch.load(f, weights_only=True)``)."""
    buf = io.BytesIO()
    torch.save({k: v.detach().cpu() for k, v in weights.items()}, buf)
    return buf.getvalue()
