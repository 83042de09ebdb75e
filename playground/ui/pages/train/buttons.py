"""The Train page's buttons: Start, Pause/Resume, Step, Epoch, Stop, Reset, and Speed."""
from __future__ import annotations

import streamlit as st

from playground.config import RunConfig
from playground.runs.snapshot import Snapshot
from playground.runs.status import Status
from playground.ui import state
from playground.ui.pages.train.run_control import start as start_run
from playground.ui.pages.train.run_control import wait_for
from playground.ui.widgets.setup_sidebar import problems_sentence

PACE_LABELS = {"slow": "Slow", "watch": "Watch", "max": "Full speed"}


def run_buttons(reg, sid: str, config: RunConfig, errors: list,
                snap: Snapshot | None) -> None:
    active = snap is not None and snap.active
    paused = snap is not None and snap.status == Status.PAUSED
    cols = st.columns([1.2, 1.2, 1, 1.1, 1, 1, 3])
    start = cols[0].button("Restart" if active else "Start", type="primary", key="btn_start",
                           disabled=bool(errors), icon=":material/play_arrow:",
                           help="Start a new run with the sidebar's settings "
                                "(stops the current one).")
    if paused:
        toggle = cols[1].button("Resume", key="btn_pause", icon=":material/resume:",
                                help="Continue training.")
    else:
        toggle = cols[1].button("Pause", key="btn_pause", disabled=not active,
                                icon=":material/pause:", help="Pause to inspect; Step "
                                "then advances one step at a time.")
    can_step = snap is None or paused
    one = cols[2].button("Step", key="btn_step", disabled=bool(errors) or not can_step,
                         help="One optimizer step (pauses a new run before its first step).")
    epoch = cols[3].button("Epoch", key="btn_epoch", disabled=bool(errors) or not can_step,
                           help="One pass over the training set, then pause.")
    stop = cols[4].button("Stop", key="btn_stop", disabled=not active,
                          icon=":material/stop:", help="End the run; its history is kept.")
    reset = cols[5].button("Reset", key="btn_reset", disabled=snap is None,
                           icon=":material/restart_alt:",
                           help="Stop and clear the charts to start afresh.")
    if errors:
        st.error(problems_sentence("to start"), icon=":material/error:")
    with cols[6]:
        pace_key = st.segmented_control(
            "Speed", list(state.TRAIN_PACES), default="watch", key=state.TRAIN_PACE,
            persist_state="session", format_func=PACE_LABELS.get,
            help="Slow and Watch cap the steps per second so you can follow the curves; "
            "Full speed trains as fast as the server allows. Results are identical at "
            "every speed.") or "watch"
    run_id = snap.run_id if snap else None
    if active and snap.pace != state.TRAIN_PACES[pace_key]:
        reg.set_pace(run_id, state.TRAIN_PACES[pace_key])
    if start:
        start_run(reg, sid, config)
        st.rerun()
    if toggle and snap is not None:
        (reg.resume if paused else reg.pause)(run_id)
        wait_for(reg, run_id, lambda s: s.status != snap.status or not s.active)
        st.rerun()
    if one or epoch:
        if snap is None or not snap.active:
            run_id = start_run(reg, sid, config, paused=True)
            wait_for(reg, run_id, lambda s: s.total_steps > 0)   # its trainer is built
            snap = reg.snapshot(run_id)
        n = 1 if one else snap.steps_per_epoch
        reg.step(run_id, n)
        wait_for(reg, run_id, lambda s: s.step >= snap.step + n or not s.active)
        st.rerun()
    if stop:
        reg.stop(run_id)
        wait_for(reg, run_id, lambda s: not s.active)
        st.rerun()
    if reset:
        reg.stop(run_id)
        st.session_state[state.TRAIN_RUN] = None
        st.session_state.pop(state.TRAIN_BOUNDARY, None)
        st.rerun()
