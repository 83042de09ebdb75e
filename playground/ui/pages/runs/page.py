"""Runs page: every run this session (or, for a teacher, the class) has made, kept.

Reads top to bottom: whose runs, the filters, the table; then for the ticked rows the
config diff and overlaid curves (two or more), one run's page (exactly one), and the
downloads. Every section is a function in a file beside this one.
"""
from __future__ import annotations

import streamlit as st

from playground.ui import nav, runtime, state
from playground.ui.pages.runs import actions, detail
from playground.ui.pages.runs.downloads import downloads, weights_download
from playground.ui.pages.runs.filters import run_filter
from playground.ui.pages.runs.overlay import overlay
from playground.ui.pages.runs.scope import owner_filter
from playground.ui.pages.runs.table import runs_table


@nav.page("runs")
def render() -> None:
    store, sid = runtime.store(), runtime.session_id()
    runtime.registry()                 # every run the app starts is recorded from now on
    st.title("Runs")
    st.caption("Every run kept, across restarts: Train runs, Compare members, sweep trials. "
               "Tick rows to overlay their curves and see what differs between them.")
    owner = owner_filter(sid)
    notice = st.session_state.pop(state.RUNS_NOTICE, None)
    if notice:
        getattr(st, notice[0])(notice[1])
    with st.expander("Filter and sort", icon=":material/filter_list:"):
        wanted = run_filter(store, owner)
    runs = store.list_runs(wanted)
    if not runs:
        st.info("No runs yet: start one on the Train page — it appears here as it trains "
                "and stays after the server restarts." if owner is not None else
                "No stored runs match.", icon=":material/info:")
        return
    st.caption(f"{len(runs):,} run{'s' if len(runs) != 1 else ''}"
               + (" (this session's)" if owner is not None else " (every session's)"))
    selected = runs_table(runs)
    if not selected:
        st.caption("Tick one row to open a run, or several to compare them.")
        return
    selected = store.get_runs([r.id for r in selected]) or selected   # with their configs
    if len(selected) > 1:
        overlay(store, selected)
    else:
        one(store, selected[0], owner, sid)
    st.subheader("Download")
    downloads(store, selected)
    actions.delete_box(store, selected, owner, sid)


def one(store, run, owner, sid) -> None:
    detail.header(run)
    config, why = actions.config_of(run)
    has_weights = run.id in store.with_weights([run.id])
    cols = st.columns([1, 1.3, 1.6, 3])
    with cols[0]:
        actions.run_again(run, config, why)
    with cols[1]:
        actions.continue_training(store, run, config, has_weights, sid)
    if has_weights:
        with cols[2]:
            weights_download(store, run)
    detail.curves(store, run)
    detail.settings_and_events(store, run)
    actions.edit_box(store, run, owner, sid)
