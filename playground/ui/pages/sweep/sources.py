"""What a sweep starts from (fresh weights, or a copy of a run's) and which optimizers."""
from __future__ import annotations

import streamlit as st

from playground.config import OPTIMIZERS, RunConfig

FRESH = "__fresh__"
PERSIST = "session"


def source_picker(reg, sid: str, config: RunConfig):
    """Sweep from the config's initial weights, or from a copy of a run's current ones."""
    runs = [r for r in reg.snapshots(owner=sid, max_points=2, with_weights=False)
            if r.total_steps > 0]                  # built: it has weights to copy
    options = [FRESH] + [r.run_id for r in runs]
    labels = {FRESH: f"Fresh initial weights (seed {config.seed})"}
    for r in runs:
        labels[r.run_id] = (f"Run {r.run_id}: {r.label}, current weights at step "
                            f"{r.step:,} ({r.status.value})")
    if st.session_state.get("sw_from") not in options:
        st.session_state["sw_from"] = FRESH
    choice = st.selectbox("Start from", options, format_func=labels.get, key="sw_from",
                          persist_state=PERSIST,
                          help="Fresh: the weights a new run with this setup starts from. A "
                               "run: a copy of its latest weights (with that run's setup); "
                               "the run itself is not changed or paused.")
    if choice == FRESH:
        return None
    snap = reg.snapshot(choice)
    if snap is None or snap.weights is None:
        st.warning("That run has no weights to copy yet; using fresh weights.")
        return None
    st.caption(f"Sweeping from run {choice}'s weights at step {snap.weights_step:,} with that "
               f"run's setup ({snap.config.short_label()}); the sidebar's setup is ignored.")
    return snap.config, snap.weights


def optimizer_picker(config: RunConfig) -> list[str]:
    return st.multiselect("Optimizers", list(OPTIMIZERS), key="sw_opts", persist_state=PERSIST,
                          format_func=OPTIMIZERS.get,
                          help="Sweep several optimizers from the same initial weights and "
                               "the same batches; each keeps its sidebar hyper-parameters "
                               "(momentum, betas…). Colors match every other page.")
