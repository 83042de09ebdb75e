"""A sweep as a background job: start it, show its progress and live curve, Cancel."""
from __future__ import annotations

import streamlit as st

from playground.config import OPTIMIZERS, RunConfig
from playground.figures.sweep import range_test_figure
from playground.runs.registry import RunRegistry
from playground.sweep.live import LiveCurves
from playground.sweep.range_test import range_test_many
from playground.sweep.short_runs import short_runs_many
from playground.runs.status import JobStatus
from playground.store import trials
from playground.training.losses import loss_axis
from playground.ui import runtime, state
from playground.ui.widgets.charts import chart
from playground.ui.pages.sweep.settings import MODES

POLL_S = 0.5


def start_sweep(reg: RunRegistry, sid: str, mode: str, config: RunConfig, optimizers: list[str],
           settings, source) -> None:
    init_state = source[1] if source else None
    live = LiveCurves() if mode == "range" else None
    store = runtime.store()      # taken here: the job's thread must not call Streamlit
    if mode == "range":
        def fn(progress):
            curves = range_test_many(config, optimizers, settings, progress,
                                     init_state=init_state, live=live)
            store.add_runs(trials.from_range_tests(curves, sid))   # after the hot loop
            return curves
    else:
        def fn(progress):
            results = short_runs_many(config, optimizers, settings, progress,
                                      init_state=init_state)
            store.add_runs(trials.from_short_runs(results, sid))
            return results
    label = f"{MODES[mode]}: {', '.join(OPTIMIZERS[o] for o in optimizers)}"
    job_id = reg.start_job(fn, owner=sid, label=label)
    st.session_state[state.SWEEP_JOB] = {"id": job_id, "mode": mode, "settings": settings,
                                 "config": config, "label": label, "live": live}


def job_active(reg: RunRegistry, job_id: str) -> bool:
    snap = reg.job_snapshot(job_id)
    return snap is not None and snap.active


def job_panel(reg: RunRegistry) -> None:
    job = st.session_state.get(state.SWEEP_JOB)
    if job is None:
        return
    polling = POLL_S if job_active(reg, job["id"]) else None

    @st.fragment(run_every=polling)
    def panel() -> None:
        snap = reg.job_snapshot(job["id"])
        if snap is None:
            st.warning("The sweep is gone (the server restarted); run it again.")
            st.session_state.pop(state.SWEEP_JOB, None)
            return
        if snap.active:
            if snap.status == JobStatus.QUEUED:
                text = (f"Waiting for a free compute slot (place {snap.queue_position} in the "
                        "queue)…" if snap.queue_position else "Starting…")
            else:
                text = f"{job['label']} — {snap.message or 'running'} ({snap.fraction:.0%})"
            c = st.columns([5, 1])
            c[0].progress(snap.fraction, text=text)
            if c[1].button("Cancel", key="sw_cancel", icon=":material/cancel:",
                           help="Stop the sweep; nothing is kept from it."):
                reg.cancel_job(job["id"])
                st.rerun(scope="app")
            live = job.get("live")
            partial = live.curves(job["settings"]) if live is not None else []
            if partial:   # the curve so far, redrawn with every poll
                span = (job["settings"].start_lr, job["settings"].end_lr)
                chart(range_test_figure(partial, suggestions=False, x_span=span, title=None,
                                        y_title=loss_axis(runtime.get_config())),
                      "sw_live_chart")
            return
        st.session_state.pop(state.SWEEP_JOB, None)
        if snap.status == JobStatus.DONE:
            st.session_state[state.sweep_result(job["mode"])] = {
                "id": job["id"], "mode": job["mode"], "items": snap.result,
                "settings": job["settings"], "config": job["config"],
                "seconds": snap.elapsed_s}
        elif snap.status == JobStatus.CANCELLED:
            st.session_state[state.SWEEP_NOTICE] = ("info", "Sweep cancelled.")
        else:
            st.session_state[state.SWEEP_NOTICE] = ("error", f"The sweep failed: {snap.error}")
        if polling:
            st.rerun(scope="app")

    panel()
    notice = st.session_state.pop(state.SWEEP_NOTICE, None)
    if notice:
        getattr(st, notice[0])(notice[1])
