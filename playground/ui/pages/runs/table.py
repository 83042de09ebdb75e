"""The table of stored runs; ticking rows selects them for the sections below."""
from __future__ import annotations

import datetime as dt
import hashlib

import pandas as pd
import streamlit as st

from playground.config import OPTIMIZERS
from playground.store import StoredRun
from playground.ui import state
from playground.ui.pages.runs.regression import regression_columns


def table_key(runs: list[StoredRun]) -> str:
    digest = hashlib.sha1(",".join(r.id for r in runs).encode()).hexdigest()[:10]
    return state.runs_table(digest)


def when(t: float | None) -> str:
    return dt.datetime.fromtimestamp(t).strftime("%Y-%m-%d %H:%M") if t else ""


def frame(runs: list[StoredRun]) -> pd.DataFrame:
    table = pd.DataFrame({
        "name": [r.label for r in runs],
        "status": [r.status for r in runs],
        "dataset": [r.dataset for r in runs],
        "optimizer": [OPTIMIZERS.get(r.optimizer, r.optimizer) for r in runs],
        "lr": [r.lr for r in runs],
        "batch": [r.batch_size for r in runs],
        "steps": [r.step for r in runs],
        "train loss": [r.final_loss for r in runs],
        "val loss": [r.final_val_loss for r in runs],
        "best val acc": [None if r.best_val_acc is None else 100 * r.best_val_acc
                         for r in runs],
        "val acc": [None if r.final_val_acc is None else 100 * r.final_val_acc for r in runs],
        **regression_columns(runs),
        "tags": [", ".join(r.tags) for r in runs],
        "started": [when(r.created) for r in runs],
        "kind": [r.kind for r in runs],
        "id": [r.id for r in runs],
    })
    if runs and all(r.is_regression for r in runs):    # no accuracy to show
        table = table.drop(columns=["best val acc", "val acc"])
    return table


def runs_table(runs: list[StoredRun]) -> list[StoredRun]:
    """Draw the table; the runs whose rows are ticked, in table order."""
    event = st.dataframe(
        frame(runs), hide_index=True, width="stretch", height=min(420, 38 + 35 * len(runs)),
        on_select="rerun", selection_mode="multi-row", key=table_key(runs),
        column_config={
            "lr": st.column_config.NumberColumn("lr", format="%.3g"),
            "train loss": st.column_config.NumberColumn(format="%.4f"),
            "val loss": st.column_config.NumberColumn(format="%.4f"),
            "best val acc": st.column_config.NumberColumn(format="%.1f%%"),
            "val acc": st.column_config.NumberColumn(format="%.1f%%"),
            "val RMSE": st.column_config.NumberColumn(format="%.4g", help="Regression runs: "
                                                      "validation RMSE in the target's units."),
            "val R²": st.column_config.NumberColumn(format="%.3f", help="Regression runs: "
                                                    "share of the target's variance explained."),
        })
    rows = sorted(event.selection.rows) if event is not None else []
    return [runs[i] for i in rows if 0 <= i < len(runs)]
