"""Server page: what this app process is doing, for the teacher running it.

Read-only: live runs with their session ids (random, no personal data), status, age,
memory, each run's CPU share and pace asked vs achieved, the headroom left, the queue,
and totals. Refreshes itself every two seconds.
"""
from __future__ import annotations

import os
import threading
import time

import pandas as pd
import streamlit as st

from playground.ui.widgets.tables import table
from playground.runs.status import ACTIVE, Status
from playground.ui import nav, runtime
from playground.ui.pages.server.store_panel import store_panel


def _rss_mb() -> float | None:
    try:
        with open(f"/proc/{os.getpid()}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def run_rows(reg, share=None) -> list[dict]:
    """One row per run on the server: no personal data, only random ids. With the
    compute ``share`` (``reg.compute()``), how much of the cores each run uses and the
    pace it asked for against the pace it reaches."""
    now, gone = time.time(), reg.disconnected()
    by_id = {r.id: r for r in share.rows} if share is not None else {}
    rows = []
    for s in reg.snapshots(max_points=2, with_weights=False):
        r = by_id.get(s.run_id)
        rows.append({
            "run": s.run_id, "session": s.owner or "–", "status": s.status.value,
            "step": s.step, "of": s.total_steps,
            "cpu_share": r.cpu_share if r else None,
            "pace_asked": s.pace if s.active else None,
            "pace_achieved": s.steps_per_sec if s.status == Status.RUNNING else None,
            "step_cost_ms": r.step_cost_ms if r else None,
            "queue": s.queue_position, "label": s.label, "group": s.group_id or "",
            "age_s": round(now - s.created), "memory_kb": round(s.memory_bytes / 1024),
            "dataset": s.config.dataset, "optimizer": s.config.optimizer,
            "disconnected": s.owner in gone})
    return rows


def share_caption(share) -> str:
    """One sentence on how the cores are shared right now."""
    if share.factor >= 0.95:
        slowed = "paced runs get their full pace"
    elif share.paced_budget is not None:
        slowed = (f"the machine gave the paced runs only {share.paced_budget:.2f} cores "
                  "lately (other programs on it, or the GIL), so every paced run is slowed "
                  f"to {share.factor:.0%} of its pace")
    else:
        slowed = (f"they ask for more than the cores, so every paced run is slowed to "
                  f"{share.factor:.0%} of its pace")
    return (f"Runs are admitted by the CPU they need: a paced run reserves its pace × its "
            f"measured step cost; full-speed runs take turns on the {share.lanes} core"
            f"{'s' if share.lanes != 1 else ''} left. Now {slowed}.")


@nav.page("server")
def render() -> None:
    st.title("Server")
    st.caption("Everything this app process is running, for whoever looks after the "
               "server. Session ids are random tokens, not user data.")
    reg = runtime.registry()
    runtime.session_id()

    @st.fragment(run_every=2.0)
    def panel() -> None:
        share = reg.compute()
        rows = run_rows(reg, share)
        busy, queued = reg.usage()
        live = [r for r in rows if Status(r["status"]) in ACTIVE]
        lim = reg.limits
        cols = st.columns(4)
        cols[0].metric("CPU used", f"{share.used:.2f} of {share.capacity:g} cores",
                       help="CPU time the runs and jobs used lately, in cores (the "
                            "capacity is PLAYGROUND_MAX_CONCURRENT, default = CPU cores).")
        cols[1].metric("Headroom", f"{share.headroom:.2f} cores",
                       help="Cores nobody used lately: room for more runs.")
        cols[2].metric("Computing", busy, help="Runs and jobs admitted to the cores now.")
        cols[3].metric("Queued", queued, help="Waiting until the cores can take them.")
        cols = st.columns(4)
        cols[0].metric("Live runs", len(live), help="Queued, running or paused.")
        cols[1].metric("Sessions", len({r["session"] for r in live}))
        cols[2].metric("Threads", threading.active_count(),
                       help="Python threads in this process: one per live run, plus "
                            "Streamlit's own.")
        rss = _rss_mb()
        cols[3].metric("Memory", f"{rss:,.0f} MB" if rss else "–",
                       help="Resident memory of the whole app process.")
        st.caption(share_caption(share))
        st.caption(f"Runs are paused after {lim.pause_after_s:.0f} s unwatched (a closed tab: "
                   f"{lim.released_pause_after_s:.0f} s) and stopped after "
                   f"{lim.stop_after_s:.0f} s ({lim.released_stop_after_s:.0f} s); a session "
                   f"may hold {lim.max_live_per_owner} live runs.")
        store_panel()
        if not rows:
            st.info("No runs yet.")
            return
        frame = pd.DataFrame(rows).sort_values(["status", "age_s"])
        table(frame, formats={
            "age_s": "{:,.0f}", "cpu_share": "{:.3f}", "pace_asked": "{:,.0f}",
            "pace_achieved": "{:,.0f}", "step_cost_ms": "{:.3f}"}, column_config={
            "age_s": st.column_config.NumberColumn("age (s)"),
            "memory_kb": st.column_config.NumberColumn("memory (KB)"),
            "queue": st.column_config.NumberColumn("queue position"),
            "cpu_share": st.column_config.NumberColumn(
                "CPU share (cores)", help="CPU seconds per second, lately"),
            "pace_asked": st.column_config.NumberColumn(
                "pace asked (steps/s)", help="Empty: full speed."),
            "pace_achieved": st.column_config.NumberColumn("pace achieved (steps/s)"),
            "step_cost_ms": st.column_config.NumberColumn(
                "step cost (CPU ms)", help="Measured on the first steps, then kept up "
                                           "to date (a moving average)."),
            "disconnected": st.column_config.CheckboxColumn("tab closed"),
        })
        st.download_button("Runs (CSV)", frame.to_csv(index=False), "runs.csv", "text/csv",
                           icon=":material/table:", on_click="ignore")

    panel()
