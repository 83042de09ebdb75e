"""LR sweep page: find a learning rate before you train.

Two modes on the sidebar's setup: a range test (one step per η on a ramp, as in
fastai / torch-lr-finder / makemore) and short runs (T steps at each of K fixed η).
Sweeps are registry jobs: they run off the page with a progress bar and Cancel, on
fresh copies of the model, and leave every live run untouched.
"""
from __future__ import annotations

import streamlit as st

from playground.sweep.settings import PRESETS
from playground.ui import nav, runtime, state
from playground.ui.pages.sweep.jobs import job_active, job_panel, start_sweep
from playground.ui.pages.sweep.results import show_result
from playground.ui.pages.sweep.settings import (FIELD_LABELS, MODES, apply_preset,
                                                init_widgets, range_settings, short_settings)
from playground.ui.pages.sweep.sources import optimizer_picker, source_picker
from playground.ui.widgets.setup_sidebar import problems_sentence


@nav.page("sweep")
def render() -> None:
    reg = runtime.registry()
    sid = runtime.session_id()
    reg.touch(sid)
    handoff = runtime.take_handoff("sweep")
    if handoff is not None and handoff.preset in PRESETS:
        apply_preset(handoff.preset)
        st.session_state["sw_mode"] = "range"
    config = runtime.get_config()       # as the sidebar (drawn by the shell) left it
    errors = config.validate()
    init_widgets(config)

    st.title("LR sweep")
    st.caption("Find a learning rate before you train. The **range test** raises η a little "
               "every step and watches the loss: it falls, flattens, then blows up. **Short "
               "runs** train a few hundred steps at each of several fixed η and compare where "
               "they end. Both use the setup in the sidebar and never touch your runs.")
    mode = st.radio("Mode", list(MODES), format_func=MODES.get, horizontal=True, key="sw_mode",
                    persist_state="session",
                    help="Range test: one step per η, fast, biased toward small η (early "
                         "steps always have higher loss). Short runs: slower, unbiased.")
    source = source_picker(reg, sid, config)
    run_config = source[0] if source else config
    optimizers = optimizer_picker(run_config)
    if mode == "range":
        settings = range_settings(run_config)
    else:
        settings = short_settings(run_config, len(optimizers))

    problems = settings.validate() if mode == "range" else settings.validate(len(optimizers))
    if not problems and not (errors and source is None):
        # What the sweep will really train (its own batch size on this setup): checked
        # here, by its box, instead of failing once the job has started.
        problems = [e for e in settings.apply(run_config).validate() if e.field == "batch_size"]
    for err in problems:
        st.error(f"**{FIELD_LABELS.get(err.field, err.field)}**: {err.reason}",
                 icon=":material/error:")
    if errors and source is None:
        st.error(problems_sentence("to run a sweep"), icon=":material/error:")
    if not optimizers:
        st.error("Choose at least one optimizer to sweep.", icon=":material/error:")
    blocked = bool(problems) or (bool(errors) and source is None) or not optimizers

    job = st.session_state.get(state.SWEEP_JOB)
    busy = job is not None and job_active(reg, job["id"])
    go = st.button("Run sweep", type="primary", key="sw_run", icon=":material/play_arrow:",
                   disabled=blocked or busy,
                   help="Start the sweep in the background; the page stays usable.")
    if (go or (handoff is not None and handoff.start)) and not blocked and not busy:
        start_sweep(reg, sid, mode, run_config, optimizers, settings, source)
        st.rerun()
    job_panel(reg)
    if st.session_state.get(state.sweep_result(mode)):
        show_result(st.session_state[state.sweep_result(mode)], config)
