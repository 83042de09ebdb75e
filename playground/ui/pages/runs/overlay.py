"""Several runs at once: what differs in their settings (first), then their curves.

The diff comes *above* the overlay, because "only `lr` and `optimizer` differ" is what
makes two parting curves mean something.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from playground.config import OPTIMIZERS
from playground.figures import compare as figs
from playground.runs.status import Status
from playground.store import StoredRun, config_diff, sentence
from playground.ui.pages.runs.regression import loss_words_of, target_of
from playground.ui.widgets.charts import chart
from playground.ui.widgets.safe import html_escape

MAX_OVERLAY = 12


def legend_names(runs: list[StoredRun]) -> list[str]:
    """Names for a legend: the run's name, plus its time when two names are the same."""
    names = [r.label for r in runs]
    out = []
    for r, name in zip(runs, names):
        same = names.count(name) > 1
        out.append(html_escape(f"{name} · {r.id[:5]}" if same else name))
    return out


def _status(value: str) -> Status:
    try:
        return Status(value)
    except ValueError:
        return Status.STOPPED


def differences(runs: list[StoredRun]) -> None:
    diffs = config_diff([r.config for r in runs])
    st.markdown(f"**What differs:** {sentence(diffs, len(runs))}")
    if diffs:
        table = {"setting": [d.field for d in diffs]}
        for i, name in enumerate(r.label for r in runs):    # a table shows text as text
            table[f"{i + 1}. {name}"[:60]] = [str(d.values[i]) for d in diffs]
        st.dataframe(pd.DataFrame(table), hide_index=True, width="stretch")


def overlay(store, runs: list[StoredRun]) -> None:
    """Config diff, then loss and accuracy of every selected run, one colour per optimizer."""
    st.subheader(f"{len(runs)} runs side by side")
    if len(runs) > MAX_OVERLAY:
        st.info(f"Showing the first {MAX_OVERLAY} of the {len(runs)} selected runs.")
        runs = runs[:MAX_OVERLAY]
    differences(runs)
    histories = store.curves([r.id for r in runs])
    members = [figs.Member(name, r.optimizer, histories.get(r.id, {}), _status(r.status),
                           None) for name, r in zip(legend_names(runs), runs)]
    smoothing = st.slider("Smoothing", 0.0, 0.99, 0.6, 0.01, key="runs_smoothing",
                          help="Exponential moving average of the training loss (0 = raw).")
    left, right = st.columns(2)
    with left:
        chart(figs.loss_figure(members, x="step", smoothing=smoothing,
                               words=loss_words_of(runs)), "runs_loss_chart")
    with right:
        chart(figs.score_figure(members, target_of(runs), x="step"), "runs_acc_chart")
    labels = ", ".join(dict.fromkeys(OPTIMIZERS.get(r.optimizer, r.optimizer) for r in runs))
    st.caption(f"Colours follow the optimizer, as on every page ({labels}); a second run "
               "of the same optimizer gets a darker or lighter shade of it.")
