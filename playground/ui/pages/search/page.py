"""Search page: which learning rate *and* batch size *and* optimizer?

Pick 1–4 fields of the sidebar's setup with their ranges, a budget and a sampler (grid,
random or TPE through Optuna's ask/tell); trials run in worker processes on every core
(or on Ray), each is stored as a run of the search's group, and the views grow as
trials end.
"""
from __future__ import annotations

import streamlit as st

from playground.search.space import SEARCHABLE
from playground.ui import nav, runtime, state
from playground.ui.pages.search.backend import describe
from playground.ui.pages.search.jobs import job_active, job_panel, start_search
from playground.ui.pages.search.results import show_result
from playground.ui.pages.search.space import search_settings
from playground.ui.widgets.setup_sidebar import problems_sentence

LABELS = {"trials": "Trials", "steps": "Steps per trial", "seeds": "Seeds per trial",
          "fields": "Fields to search", "grid_points": "Grid points per range"}


@nav.page("search")
def render() -> None:
    reg = runtime.registry()
    sid = runtime.session_id()
    reg.touch(sid)
    config = runtime.get_config()       # as the sidebar (drawn by the shell) left it
    errors = config.validate()

    st.title("Search")
    st.caption("Which learning rate *and* batch size *and* optimizer? Choose up to four "
               "fields of the sidebar's setup and a budget; **grid** tries every "
               "combination of a few values, **random** draws each trial afresh, **TPE** "
               "learns where good trials are. Trials train in parallel, each is stored as a "
               "run on the Runs page.")
    st.caption(f":material/memory: Runs on: **{describe()}**")
    settings = search_settings(config)
    problems = settings.validate(config)
    for err in problems:
        name = SEARCHABLE[err.field].label if err.field in SEARCHABLE else LABELS.get(
            err.field, err.field)
        st.error(f"**{name}**: {err.reason}", icon=":material/error:")
    if errors:
        st.error(problems_sentence("to run a search"), icon=":material/error:")
    blocked = bool(problems) or bool(errors)
    job = st.session_state.get(state.SEARCH_JOB)
    busy = job is not None and job_active(reg, job["id"])
    planned = settings.planned_trials() if not problems else settings.trials
    if st.button(f"Run search ({planned} trials)", type="primary", key="se_run",
                 icon=":material/play_arrow:", disabled=blocked or busy,
                 help="Start the search in the background; the page stays usable."):
        st.session_state.pop(state.SEARCH_RESULT, None)
        start_search(reg, sid, config, settings)
        st.rerun()
    job_panel(reg)
    notice = st.session_state.pop(state.SEARCH_NOTICE, None)
    if notice:
        getattr(st, notice[0])(notice[1])
    result = st.session_state.get(state.SEARCH_RESULT)
    if result and not busy:
        show_result(result)
