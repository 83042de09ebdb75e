"""The Train page's side of a run: which run it shows, starting one, live changes."""
from __future__ import annotations

import time

import streamlit as st

from playground import data as datasets
from playground.config import InvalidConfig, RunConfig
from playground.runs.registry import RunLimitError
from playground.runs.snapshot import Snapshot
from playground.ui import state


def attached_run(reg) -> str | None:
    """The run this tab shows (after a reload, the shell re-attached the link's run)."""
    run_id = st.session_state.get(state.TRAIN_RUN)
    if run_id and reg.snapshot(run_id, poll=False, max_points=2) is None:
        run_id = None                  # cleared from the server meanwhile
    st.session_state[state.TRAIN_RUN] = run_id
    return run_id


def chosen_pace() -> float | None:
    return state.TRAIN_PACES[st.session_state.get(state.TRAIN_PACE) or "watch"]


def start(reg, sid: str, config: RunConfig, paused: bool = False) -> str | None:
    """Start a run of ``config`` (stopping the one shown); its id, or the old one."""
    old = st.session_state.get(state.TRAIN_RUN)
    if old:
        reg.stop(old)
    handed = st.session_state.get(state.TRAIN_HANDED_TASK)
    task = handed[1] if handed and handed[0] == datasets.cache_key(config) else None
    try:
        run_id = reg.start(config, owner=sid, start_paused=paused, task=task,
                           pace=chosen_pace())
    except (InvalidConfig, RunLimitError) as exc:
        st.error(str(exc))
        return old
    st.session_state[state.TRAIN_RUN] = run_id
    st.session_state[state.TRAIN_APPLIED_LR] = config.lr
    st.session_state.pop(state.TRAIN_BOUNDARY, None)
    return run_id


def apply_live_changes(reg, snap: Snapshot, config: RunConfig) -> None:
    """A new LR goes straight to the running run; other edits need a restart."""
    if not snap.active:
        return
    applied = st.session_state.get(state.TRAIN_APPLIED_LR, snap.config.lr)
    if not config.validate() and config.lr != applied:
        reg.set_lr(snap.run_id, config.lr)
        st.session_state[state.TRAIN_APPLIED_LR] = config.lr
        st.toast(f"Learning rate → {config.lr:g} from the next step")
    if config.replace(lr=snap.config.lr) != snap.config:
        changed = [k for k, v in config.to_dict().items()
                   if k != "lr" and v != getattr(snap.config, k)]
        st.warning(f"Config changed ({', '.join(changed)}) — press **Start** to restart with "
                   "it. The learning rate applies live; everything else needs a restart.",
                   icon=":material/sync_problem:")


def wait_for(reg, run_id: str, done, timeout: float = 3.0) -> None:
    """Let a command take effect before the page redraws (at most ``timeout`` s)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        snap = reg.snapshot(run_id)
        if snap is None or done(snap):
            return
        time.sleep(0.03)
