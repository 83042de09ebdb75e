"""A search as a background job: start it, its progress with ETA, Cancel, live views."""
from __future__ import annotations

import time

import streamlit as st

from playground.config import RunConfig
from playground.runs.registry import RunRegistry
from playground.runs.status import JobStatus
from playground.search.space import SAMPLERS, SearchSettings
from playground.search.stored import trial_run
from playground.search.study import LiveSearch, importance, run_search
from playground.store.trials import new_id
from playground.ui import runtime, state
from playground.ui.pages.search.backend import backend
from playground.ui.pages.search.results import views
from playground.ui.pages.sweep.jobs import job_active

POLL_S = 0.7


def start_search(reg: RunRegistry, sid: str, config: RunConfig,
                 settings: SearchSettings) -> None:
    store = runtime.store()      # taken here: the job's thread must not call Streamlit
    runner = backend()
    group = new_id()
    live = LiveSearch(settings.planned_trials(), runner.describe(), runner.workers)

    def mirror(record):          # each trial is a stored run of the search's group
        run = trial_run(record, settings, sid, group)
        store.add_runs([run])
        return type(record)(**{**record.__dict__, "run_id": run.id})

    def fn(progress):
        progress.update(0.0, "waiting for the workers (another search holds them)…")
        while not runner.lease.acquire(timeout=0.5):
            progress.check()
        try:
            if hasattr(runner, "start"):
                progress.update(0.0, "starting the worker processes (each imports torch)…")
                runner.start()
            progress.update(0.0, "running the first trials…")
            live.t0 = time.time()
            study, records = run_search(config, settings, runner, progress, live, mirror)
            return {"records": records, "importance": importance(study, settings)}
        finally:
            runner.lease.release()

    label = f"Search: {SAMPLERS[settings.sampler]}, {settings.planned_trials()} trials"
    job_id = reg.start_job(fn, owner=sid, label=label)
    st.session_state[state.SEARCH_JOB] = {"id": job_id, "settings": settings, "config": config,
                                          "live": live, "group": group, "label": label}


def _eta(live: LiveSearch) -> str:
    eta = live.eta_s()
    return "" if eta is None else f", about {eta:.0f} s left"


def job_panel(reg: RunRegistry) -> None:
    job = st.session_state.get(state.SEARCH_JOB)
    if job is None:
        return
    polling = POLL_S if job_active(reg, job["id"]) else None

    @st.fragment(run_every=polling)
    def panel() -> None:
        snap = reg.job_snapshot(job["id"])
        if snap is None:
            st.warning("The search is gone (the server restarted); its finished trials are "
                       "on the Runs page.")
            st.session_state.pop(state.SEARCH_JOB, None)
            return
        live: LiveSearch = job["live"]
        if snap.active:
            done = len(live.trials())
            text = (f"{done} of {live.planned} trials ended, {live.running()} running"
                    f"{_eta(live)} — {snap.message or 'starting'}")
            c = st.columns([5, 1])
            c[0].progress(min(1.0, done / max(1, live.planned)), text=text)
            if c[1].button("Cancel", key="se_cancel", icon=":material/cancel:",
                           help="Stop every running trial now; the trials that ended stay "
                                "stored."):
                reg.cancel_job(job["id"])
                st.rerun(scope="app")
            views(live.trials(), job["settings"], None, live=True)
            return
        st.session_state.pop(state.SEARCH_JOB, None)
        if snap.status == JobStatus.DONE:
            st.session_state[state.SEARCH_RESULT] = {
                **snap.result, "settings": job["settings"], "config": job["config"],
                "group": job["group"], "seconds": snap.elapsed_s, "backend": live.backend}
        elif snap.status == JobStatus.CANCELLED:
            kept = len([t for t in live.trials() if t.state != "cancelled"])
            st.session_state[state.SEARCH_NOTICE] = (
                "info", f"Search cancelled; the {kept} trials that ended are on the Runs page.")
        else:
            st.session_state[state.SEARCH_NOTICE] = ("error", f"The search failed: {snap.error}")
        if polling:
            st.rerun(scope="app")

    panel()
