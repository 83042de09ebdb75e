"""Server page: what this app process is doing, for the teacher running it.

Read-only: live runs with their session ids (random, no personal data), status, age,
memory, the compute-slot queue, and totals. Refreshes itself every two seconds.
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
from playground.ui.pages.server.compute_panel import compute_panel
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


def run_rows(reg) -> list[dict]:
    """One row per run on the server: no personal data, only random ids."""
    now, gone = time.time(), reg.disconnected()
    return [{"run": s.run_id, "label": s.label, "status": s.status.value, "step": s.step,
             "of": s.total_steps, "pace": s.pace,
             "reached": round(s.steps_per_sec, 1) if s.status == Status.RUNNING else None,
             "cpu": round(s.cpu_share, 3) if s.cpu_share is not None
             and s.status == Status.RUNNING else None,
             "step_ms": None if s.step_cost_s is None else round(1e3 * s.step_cost_s, 3),
             "slowed": s.slowed, "queue": s.queue_position, "session": s.owner or "–",
             "group": s.group_id or "", "age_s": round(now - s.created),
             "memory_kb": round(s.memory_bytes / 1024), "dataset": s.config.dataset,
             "optimizer": s.config.optimizer, "disconnected": s.owner in gone}
            for s in reg.snapshots(max_points=2, with_weights=False)]


@nav.page("server")
def render() -> None:
    st.title("Server")
    st.caption("Everything this app process is running, for whoever looks after the "
               "server. Session ids are random tokens, not user data.")
    reg = runtime.registry()
    runtime.session_id()

    @st.fragment(run_every=2.0)
    def panel() -> None:
        rows = run_rows(reg)
        busy, queued = reg.usage()
        live = [r for r in rows if Status(r["status"]) in ACTIVE]
        lim = reg.limits
        cols = st.columns(6)
        cols[0].metric("Computing", f"{busy} / {lim.max_concurrent}",
                       help="Comparisons, jobs (sweeps, surfaces, lesson evidence) and runs "
                            "trained in this process holding a compute slot now (the cap is "
                            "PLAYGROUND_MAX_CONCURRENT, default = CPU cores). Single runs on "
                            "lanes are counted below.")
        cols[1].metric("Queued", queued, help="Waiting for a free slot.")
        cols[2].metric("Live runs", len(live), help="Queued, running or paused.")
        cols[3].metric("Sessions", len({r["session"] for r in live}))
        cols[4].metric("Threads", threading.active_count(),
                       help="Python threads in this process: one per run, group or job "
                            "trained here, plus Streamlit's own (runs on lanes train in "
                            "their own processes).")
        rss = _rss_mb()
        cols[5].metric("Memory", f"{rss:,.0f} MB" if rss else "–",
                       help="Resident memory of the whole app process.")
        st.caption(f"Runs are paused after {lim.pause_after_s:.0f} s unwatched (a closed tab: "
                   f"{lim.released_pause_after_s:.0f} s) and stopped after "
                   f"{lim.stop_after_s:.0f} s ({lim.released_stop_after_s:.0f} s); a session "
                   f"may hold {lim.max_live_per_owner} live runs.")
        compute_panel(reg, rows)
        store_panel()
        if not rows:
            st.info("No runs yet.")
            return
        frame = pd.DataFrame(rows).sort_values(["status", "age_s"])
        table(frame, formats={"age_s": "{:,.0f}"}, column_config={
            "age_s": st.column_config.NumberColumn("age (s)"),
            "memory_kb": st.column_config.NumberColumn("memory (KB)"),
            "queue": st.column_config.NumberColumn("queue position"),
            "pace": st.column_config.NumberColumn(
                "pace asked (steps/s)", help="Slow or Watch; empty: full speed."),
            "reached": st.column_config.NumberColumn(
                "pace reached (steps/s)", help="Steps per second over the last second."),
            "cpu": st.column_config.NumberColumn(
                "CPU share (cores)", help="Cores its training used lately (on a lane)."),
            "step_ms": st.column_config.NumberColumn(
                "step cost (ms CPU)", help="Measured CPU per step (moving average)."),
            "slowed": st.column_config.CheckboxColumn(
                "slowed", help="Paced, but the server cannot give it its pace now."),
            "disconnected": st.column_config.CheckboxColumn("tab closed"),
        })
        st.download_button("Runs (CSV)", frame.to_csv(index=False), "runs.csv", "text/csv",
                           icon=":material/table:", on_click="ignore")

    panel()
