"""What the Runs page needs to show a stored regression run: its target's name (chart
axes are titled in its units) and the RMSE / R² columns."""
from __future__ import annotations

from playground.store import StoredRun


def target_of(runs: list[StoredRun]) -> str | None:
    """The regression target the runs share (None when any is a classification run):
    read from the first run's task, "target" if its data cannot be rebuilt (an upload
    this server no longer holds)."""
    if not runs or not all(r.is_regression for r in runs):
        return None
    from playground import data
    from playground.config import RunConfig

    try:
        return data.load(RunConfig.from_dict(runs[0].config)[0]).class_names[0]
    except Exception:   # any failure to rebuild the data: the axis still gets a name
        return "target"


def loss_words_of(runs: list[StoredRun]) -> tuple[str, str]:
    """The loss chart's name and unit for these runs (cross-entropy unless all regress)."""
    from playground.config import RunConfig
    from playground.training.losses import loss_words

    target = target_of(runs)
    return loss_words(RunConfig.from_dict(runs[0].config)[0] if runs else None, target)


def regression_columns(runs: list[StoredRun]) -> dict[str, list]:
    """The table's RMSE and R² columns, present only when a listed run is a regression."""
    if not any(r.is_regression for r in runs):
        return {}
    return {"val RMSE": [r.final_val_rmse for r in runs],
            "val R²": [r.final_val_r2 for r in runs]}
