"""Train page: set up a network in the sidebar, press Start, watch it learn.

Reads top to bottom: take a hand-off, find the attached run, the buttons, then either a
preview of the data (no run yet) or the live panel, then the maths, downloads and the
share links. Every section is a function in a file beside this one.
"""
from __future__ import annotations

import streamlit as st

from playground import data as datasets
from playground.ui import nav, runtime, state
from playground.ui.pages.train.buttons import run_buttons
from playground.ui.pages.train.code import code
from playground.ui.pages.train.downloads import downloads
from playground.ui.pages.train.draw import draw_canvas
from playground.ui.pages.train.ghost import ghost_picker
from playground.ui.pages.train.inside import inside_panel
from playground.ui.pages.train.live_panel import live_panel
from playground.ui.pages.train.maths import maths
from playground.ui.pages.train.preview import preview
from playground.ui.pages.train.run_control import apply_live_changes, attached_run, start
from playground.ui.pages.train.share import share
from playground.ui.widgets.setup_link import classroom


@nav.page("train")
def render() -> None:
    reg, sid = runtime.registry(), runtime.session_id()
    reg.touch(sid)
    handoff = runtime.take_handoff("train")
    if handoff is not None:
        # An uploaded dataset cannot live in the URL: keep it for runs of this config.
        st.session_state[state.TRAIN_HANDED_TASK] = (
            (datasets.cache_key(handoff.config), handoff.task) if handoff.task else None)
    config = runtime.get_config()       # as the sidebar (drawn by the shell) left it
    errors = config.validate()
    run_id = attached_run(reg)
    if handoff is not None and handoff.start and not errors:
        run_id = start(reg, sid, config)

    st.title("Train")
    st.caption("Pick a dataset, a model and an optimizer in the sidebar, press **Start**, "
               "and watch the loss fall. Try a learning rate of 10 to see divergence.")
    snap = reg.snapshot(run_id) if run_id else None
    if snap is not None:
        apply_live_changes(reg, snap, config)
    run_buttons(reg, sid, config, errors, snap)
    ghost_picker(config, run_id, snap is not None and snap.active)
    draw_canvas(config, snap)           # "Draw your own": the points, edited by clicks
    if snap is None:
        preview(config, errors)
    else:
        live_panel(snap)
        inside_panel(run_id)
    maths(config)
    code(config)
    if snap is not None:
        downloads(reg, run_id)
    if not classroom()[1]:
        share(config)
