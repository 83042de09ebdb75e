"""A past run as the comparison's reference: drawn grey and dashed under the members.

"Does any of these beat what I got yesterday?" The picker lists this session's stored
runs on the comparison's dataset; the chosen run's stored loss is read once per choice.
"""
from __future__ import annotations

import streamlit as st

from playground.figures.reference import add_reference
from playground.store import RunFilter
from playground.ui import runtime, state

_CACHE = "_cmp_reference_curve"    # (run id, label, history)


def reference_picker(dataset: str, exclude: tuple[str, ...] = ()) -> None:
    store, sid = runtime.store(), runtime.session_id()
    past = [r for r in store.list_runs(RunFilter(owner=sid, datasets=(dataset,), limit=50,
                                                 statuses=("finished", "stopped", "diverged",
                                                           "interrupted")))
            if r.id not in exclude]
    by_id = {r.id: r for r in past}
    if not past:
        st.session_state[state.COMPARE_REFERENCE] = None
        return
    if st.session_state.get(state.COMPARE_REFERENCE) not in by_id:
        st.session_state[state.COMPARE_REFERENCE] = None
    choice = st.selectbox(
        "Reference: a past run", [None, *by_id], key=state.COMPARE_REFERENCE,
        format_func=lambda i: "none" if i is None else f"{by_id[i].label} · {by_id[i].status}",
        help="Draw one of your stored runs on this dataset (grey, dashed) under the "
             "comparison's loss curves, as a yardstick (drawn against steps).")
    if choice is None:
        st.session_state.pop(_CACHE, None)
    elif (st.session_state.get(_CACHE) or ("",))[0] != choice:
        st.session_state[_CACHE] = (choice, by_id[choice].label,
                                    store.curves([choice]).get(choice, {}))


def reference_id() -> str | None:
    """The past run drawn under the members, if any (part of what the loss chart shows)."""
    cached = st.session_state.get(_CACHE)
    return cached[0] if cached and st.session_state.get(state.COMPARE_REFERENCE) == cached[0] \
        else None


def with_reference(fig, x: str, smoothing: float, show_val: bool):
    cached = st.session_state.get(_CACHE)
    if not cached or st.session_state.get(state.COMPARE_REFERENCE) != cached[0]:
        return fig
    return add_reference(fig, cached[2], cached[1], x, smoothing, show_val)
