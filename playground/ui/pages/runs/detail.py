"""One stored run: what it was, its curves, its settings and what happened to it."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from playground.figures.curves import Curve, loss_figure, lr_figure, score_figure
from playground.figures.stored import series_figure
from playground.figures.theme import optimizer_color
from playground.store import StoredRun
from playground.ui.pages.runs.regression import loss_words_of, target_of
from playground.ui.pages.runs.table import when
from playground.ui.widgets.charts import chart
from playground.ui.widgets.safe import html_escape, md_escape

STATUS_ICONS = {"finished": ":material/check_circle:", "stopped": ":material/stop_circle:",
                "diverged": ":material/error:", "failed": ":material/error:",
                "interrupted": ":material/power_off:"}


def header(run: StoredRun) -> None:
    st.subheader(md_escape(run.label, limit=200))
    what = {"train": "a Train run", "compare": "a Compare member", "sweep": "a sweep trial",
            "lesson": "a lesson's evidence"}.get(run.kind, run.kind)
    took = (f", ended {when(run.ended)}" if run.ended else "")
    st.caption(f"Run {run.id} · {what} · started {when(run.created)}{took} · "
               f"{run.step:,} of {run.total_steps or run.step:,} steps"
               + (f" · group {run.group_id}" if run.group_id else "")
               + (f" · continued from run {run.parent_id}" if run.parent_id else ""))
    message = md_escape(run.message or run.status, limit=600)
    icon = STATUS_ICONS.get(run.status, ":material/pending:")
    (st.warning if run.status in ("diverged", "failed", "interrupted") else st.info)(
        f"**{run.status}** — {message}", icon=icon)
    if run.stride > 1:
        st.caption(f"Longer than the store's point cap: each stored point summarises "
                   f"{run.stride} steps (mean, with the minimum and maximum as the band).")
    if run.notes:
        st.markdown("**Notes:** " + md_escape(run.notes, limit=5000))


def curves(store, run: StoredRun) -> None:
    history = store.curves([run.id]).get(run.id, {})
    train, evals, other = history.get("train", {}), history.get("eval", {}), history.get(
        "other", {})
    if not train and not evals and not other:
        st.caption("No points were stored for this run.")
        return
    curve = Curve(html_escape(run.label), optimizer_color(run.optimizer), train, evals)
    left, right = st.columns(2)
    if train or evals:
        with left:
            chart(loss_figure([curve], x="step", words=loss_words_of([run])), "runs_one_loss")
        with right:
            if evals:
                chart(score_figure([curve], target_of([run]), x="step"), "runs_one_acc")
            elif train:
                chart(lr_figure([curve], x="step"), "runs_one_lr")
    if other:
        chart(series_figure(other, title="What the run measured"), "runs_one_other")


def settings_and_events(store, run: StoredRun) -> None:
    left, right = st.columns(2)
    with left:
        st.markdown("**Settings**")
        config = run.config
        st.dataframe(pd.DataFrame({"setting": list(config), "value": [str(v) for v in
                                                                     config.values()]}),
                     hide_index=True, width="stretch", height=300)
    with right:
        st.markdown("**Events**")
        events = store.events(run.id)
        if not events:
            st.caption("Nothing was changed while it trained.")
            return
        st.dataframe(pd.DataFrame({
            "step": [e["step"] for e in events],
            "time": [dt.datetime.fromtimestamp(e["time"]).strftime("%H:%M:%S") for e in events],
            "event": [e["kind"] for e in events],
            "detail": [e["detail"] for e in events]}), hide_index=True, width="stretch")
