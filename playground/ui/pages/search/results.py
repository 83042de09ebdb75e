"""What a search found: the live views (trials, parallel coordinates, 2D map) and, once
it ended, field importance, the best trial's curves, Use best and the CSV."""
from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from playground.config import RunConfig
from playground.data import is_regression
from playground.figures.search import (best_curves_figure, importance_figure, map_figure,
                                       parallel_figure, trials_figure)
from playground.search.space import OBJECTIVES, SearchSettings
from playground.search.stored import params_text
from playground.search.study import best_so_far, best_trial
from playground.ui import nav, runtime, state
from playground.ui.widgets.charts import chart
from playground.ui.widgets.tables import table


def objective_label(settings: SearchSettings, regression: bool = False) -> str:
    name, objective = OBJECTIVES[settings.objective], settings.objective
    if objective.endswith("_rmse"):
        return name + " (units of the target)"
    if objective.endswith("_r2"):
        return name + " (share of variance)"
    if regression:                          # a regression loss: standardised target
        return name + " (standardised)"
    return name + (" (share)" if objective.endswith("_acc") else " (nats)")


def _regression(record) -> bool:
    return bool(record.config) and is_regression(RunConfig.from_dict(record.config)[0])


def trials_frame(records, settings: SearchSettings) -> pd.DataFrame:
    rows = []
    for r in sorted(records, key=lambda r: r.number):
        rows.append({"trial": r.number + 1, **r.params, "state": r.state,
                     settings.objective: r.value, "steps": max(r.intermediate, default=0),
                     "seconds": round(r.seconds, 2), "run_id": r.run_id or ""})
    return pd.DataFrame(rows)


def views(records, settings: SearchSettings, importances: dict | None, live: bool) -> None:
    label = objective_label(settings, any(_regression(r) for r in records[:1]))
    best = best_so_far(records, settings.direction)
    st.subheader("Objective per trial")
    chart(trials_figure(records, best, label, settings.objective), "search_trials")
    numeric = [f for f in settings.fields if f.numeric and not (
        f.choices and not all(isinstance(c, (int, float)) for c in f.choices))]
    st.subheader("Every trial, every field")
    chart(parallel_figure(records, settings.fields, label), "search_parallel")
    st.subheader("Two fields, one map")
    if len(numeric) >= 2:
        names = {f.name: f.spec.label for f in numeric}
        pair = st.columns(2)
        x = pair[0].selectbox("Across", list(names), index=0, key="se_map_x",
                              format_func=names.get,
                              help="The field along the map's horizontal axis.")
        y = pair[1].selectbox("Up", list(names), index=1, key="se_map_y",
                              format_func=names.get,
                              help="The field along the map's vertical axis.")
        by = {f.name: f for f in numeric}
        chart(map_figure(records, by[x], by[y], label), "search_map")
    else:
        st.caption("The map needs two numeric fields in the search (learning rate, "
                   "batch size, width, dropout …).")
    if live:
        st.caption("Field importance and the best trial's curves appear when the search ends.")


def show_result(result: dict) -> None:
    settings: SearchSettings = result["settings"]
    records = result["records"]
    best = best_trial(records, settings.direction)
    pruned = sum(r.state == "pruned" for r in records)
    diverged = sum(r.state == "diverged" for r in records)
    st.success(f"{len(records)} trials in {result['seconds']:.1f} s on {result['backend']}"
               f" ({pruned} pruned, {diverged} diverged); stored as one search group on the "
               "Runs page.", icon=":material/check_circle:")
    views(records, settings, result.get("importance"), live=False)
    c = st.columns(2)
    with c[0]:
        st.subheader("Which field mattered")
        if result.get("importance"):
            labels = {f.name: f.spec.label for f in settings.fields}
            chart(importance_figure(result["importance"], labels), "search_importance")
        else:
            st.caption("Importance needs at least 4 trials that trained their whole budget "
                       "and a field that varied.")
    with c[1]:
        st.subheader("The best trial")
        if best is None:
            st.warning("No trial trained its whole budget without diverging.")
        else:
            value = best.value
            shown = (f"{value:.1%}" if settings.objective.endswith("_acc") else
                     f"{value:.3f}" if settings.objective.endswith("_r2") else f"{value:.4g}")
            st.markdown(f"Trial **{best.number + 1}**: {params_text(best.params)} → "
                        f"{OBJECTIVES[settings.objective]} **{shown}**")
            axis = ("loss (standardised target)" if _regression(best) else
                    "cross-entropy loss (nats)")
            chart(best_curves_figure(best, loss_axis=axis), "search_best_curves")
            config, _ = RunConfig.from_dict(best.config)
            if st.button("Use best", key="se_use_best", type="primary",
                         icon=":material/arrow_forward:",
                         help="Open the Train page with the best trial's setup (press Start "
                              "there)."):
                runtime.hand_off("train", config=config, start=False)
                nav.switch_to("train")
    frame = trials_frame(records, settings)
    with st.expander(f"All {len(records)} trials", expanded=False):
        table(frame.drop(columns=["run_id"]), hide_index=True)
    st.download_button("Download trials (CSV)", frame.to_csv(index=False).encode(),
                       file_name=f"search-{result['group']}.csv", mime="text/csv",
                       key="se_csv", icon=":material/download:",
                       help="Every trial: its values, how it ended, its objective, its "
                            "stored run id.")


def _finite(v) -> bool:
    return isinstance(v, (int, float)) and math.isfinite(v)
