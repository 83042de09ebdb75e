"""The sidebar's regression loss controls, drawn only when the dataset is a regression
task (classification always trains on cross-entropy)."""
from __future__ import annotations

import streamlit as st

from playground.config.choices import REGRESSION_LOSSES
from playground.ui.widgets.lr_control import key

LOSS_HELP = {
    "mse": "Mean squared error: every error counts squared, so big misses dominate.",
    "huber": "Squared for errors below δ, linear above: a few outliers pull the fit less.",
}


def regression_loss_controls(sidebar, spec) -> None:
    """Loss choice (and Huber's δ) in the Training section, for regression tasks only;
    ``sidebar`` is the setup sidebar drawing its widgets, ``spec`` the chosen dataset."""
    if spec is None or spec.task_of(_WidgetConfig()) != "regression":
        return
    sidebar.select("regression_loss", list(REGRESSION_LOSSES), caption=LOSS_HELP,
                   format_func=lambda n: REGRESSION_LOSSES.get(n, n))
    if st.session_state[key("regression_loss")] == "huber":
        sidebar.number("huber_delta", step=0.1, format="%g")


class _WidgetConfig:
    """What a dataset's task rule reads, from the widgets (a table's target column)."""

    def __getattr__(self, name: str):
        return st.session_state.get(key(name))
