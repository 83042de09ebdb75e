"""A past run behind the live curves ("ghost curve"): did this change beat last time?

The picker lists this session's stored runs on the same dataset; the chosen run's
stored loss is drawn grey and dashed under the live loss curve. Its points are read
from the store once per choice, not on every live refresh.
"""
from __future__ import annotations

import time

import streamlit as st

from playground.config import RunConfig
from playground.figures.reference import add_reference
from playground.store import RunFilter
from playground.ui import runtime, state

_CACHE = "_train_ghost_curve"      # (run id, label, history) of the chosen ghost
_PAST = "_train_ghost_past"        # (what was asked, when, the runs listed)
PAST_FOR_S = 5.0
ENDED = ("finished", "stopped", "diverged", "interrupted")


def _past_runs(dataset: str, attached: str | None, live: bool) -> list:
    """This session's ended runs on ``dataset``. While the attached run is ``live`` they
    are read from the store at most every few seconds (a query on every rerun cost ~1.5
    ms of it); once it has ended, on every rerun, so the run just watched joins the list
    as soon as the store has it."""
    store, sid = runtime.store(), runtime.session_id()
    asked = (sid, dataset, attached)
    kept = st.session_state.get(_PAST)
    if (live and kept is not None and kept[0] == asked
            and time.monotonic() - kept[1] < PAST_FOR_S):
        return kept[2]
    past = [r for r in store.list_runs(RunFilter(owner=sid, datasets=(dataset,),
                                                 statuses=ENDED, limit=50))
            if r.id != attached]
    st.session_state[_PAST] = (asked, time.monotonic(), past)
    return past


def ghost_picker(config: RunConfig, attached: str | None, live: bool = False) -> None:
    """``live``: the attached run is still queued, running or paused."""
    store = runtime.store()
    past = _past_runs(config.dataset, attached, live)
    if not past:
        st.session_state[state.TRAIN_GHOST] = None
        return
    by_id = {r.id: r for r in past}
    if st.session_state.get(state.TRAIN_GHOST) not in by_id:
        st.session_state[state.TRAIN_GHOST] = None
    choice = st.selectbox(
        "Overlay a past run", [None, *by_id], key=state.TRAIN_GHOST,
        format_func=lambda i: "none" if i is None else
        f"{by_id[i].label} · {by_id[i].status} · {by_id[i].step:,} steps",
        help="Draw one of your earlier runs on this dataset (grey, dashed) behind the live "
             "loss, to see whether this change does better. Runs are kept on the Runs page.")
    if choice is None:
        st.session_state.pop(_CACHE, None)
    elif (st.session_state.get(_CACHE) or ("",))[0] != choice:
        history = store.curves([choice]).get(choice, {})
        st.session_state[_CACHE] = (choice, by_id[choice].label, history)


def ghost_id() -> str | None:
    """The past run drawn under the live loss, if any (part of what that chart shows)."""
    cached = st.session_state.get(_CACHE)
    return cached[0] if cached and st.session_state.get(state.TRAIN_GHOST) == cached[0] \
        else None


def with_ghost(fig, view: dict):
    """The live loss figure with the chosen past run underneath (if any)."""
    cached = st.session_state.get(_CACHE)
    if not cached or st.session_state.get(state.TRAIN_GHOST) != cached[0]:
        return fig
    return add_reference(fig, cached[2], cached[1], view["x"], view["smoothing"])
