"""The Server page's compute share: what the training lanes use and what is left."""
from __future__ import annotations

import os
import time

import streamlit as st

# From when the page was first imported (the app's start-up), so the first look already
# has something to measure against.
_last: dict[str, float] = {"wall": time.monotonic(), "cpu": time.process_time()}


def app_cores() -> float | None:
    """Cores this app process (pages, the store, threads) used since the last look."""
    now, cpu = time.monotonic(), time.process_time()
    then, cpu_then = _last.get("wall"), _last.get("cpu")
    _last.update(wall=now, cpu=cpu)
    if then is None or now - then < 0.5:
        return None
    return (cpu - cpu_then) / (now - then)


def compute_panel(reg, rows: list[dict]) -> None:
    lanes = reg.lanes()
    cores = os.cpu_count() or 1
    if not lanes:
        st.caption("Runs train on threads of this process (PLAYGROUND_LANES=0).")
        return
    app = app_cores()
    training = sum(lane["cpu_share"] for lane in lanes)
    paced = [r for r in rows if r.get("pace") and r["status"] == "running"]
    slowed = sum(1 for r in paced if r.get("slowed"))
    cols = st.columns(4)
    cols[0].metric("Training processes", f"{sum(lane['alive'] for lane in lanes)}",
                   help="Lanes: worker processes that train single runs, one thread each, "
                        "in turns (PLAYGROUND_LANES, default one per core but one).")
    cols[1].metric("Cores training", f"{training:.2f}",
                   help="CPU the lanes used over the last second, in cores.")
    cols[2].metric("Cores for pages", "–" if app is None else f"{app:.2f}",
                   help="CPU this app process (pages, comparisons, jobs, the run store) "
                        "used since the last refresh, in cores.")
    headroom = None if app is None else max(0.0, cores - training - app)
    cols[3].metric("Headroom", "–" if headroom is None else f"{headroom:.2f} of {cores}",
                   help="Cores nobody used lately: what more runs could have.")
    if slowed:
        st.warning(f"{slowed} of {len(paced)} paced runs are slowed: the lanes cannot give "
                   "every run its pace, so each is slowed alike.", icon=":material/speed:")
