"""Compare page: 2–6 runs side by side, from the same start, on the same batches.

The table defines the runs (blank cells inherit the sidebar's config); presets fill it
with the classic comparisons. Start asks the registry for a comparison group: its
members are runs stepped in lockstep on both cores. The live panel polls the group's
snapshot.
"""
from __future__ import annotations

import streamlit as st

from playground.runs.registry import RunLimitError
from playground.ui import nav, runtime, state
from playground.ui.pages.compare.code import run_code
from playground.ui.pages.compare.live_panel import panel
from playground.ui.pages.compare.reference import reference_picker
from playground.ui.pages.compare.setup_table import accept_handoff, chosen_pace, setup_table


@nav.page("compare")
def render() -> None:
    reg, sid = runtime.registry(), runtime.session_id()
    reg.touch(sid)
    handoff = runtime.take_handoff("compare")
    exact = accept_handoff(handoff) if handoff is not None else None
    base = runtime.get_config()       # as the sidebar (drawn by the shell) left it
    st.title("Compare")
    st.caption("Train 2–6 runs side by side: same data, same starting weights, same batches, "
               "advancing in lockstep. Change one thing per run and watch what it does.")
    group = _attached_group(reg)
    if exact is not None and handoff.start:
        group = _start(reg, sid, exact["configs"], exact["labels"]) or group
    # A new key per group: the setup folds away while a group trains, opens after.
    with st.expander("Set up the runs", expanded=group is None or not group.active,
                     icon=":material/tune:",
                     key=f"cmp_setup_{group.group_id if group else 'new'}"):
        plan = setup_table(base)
        if plan is not None and _start(reg, sid, list(plan.configs), list(plan.labels)):
            st.rerun()
    if group is None:
        st.info("Pick a preset or fill the table, then press **Start comparison**.",
                icon=":material/info:")
    else:
        reference_picker(group.members[0].config.dataset, tuple(group.run_ids))
        panel(group.group_id)
        run_code(group)


def _attached_group(reg):
    """The group this tab shows (after a reload, the shell re-attached the link's)."""
    group = reg.group(st.session_state.get(state.COMPARE_GROUP), poll=False, max_points=2,
                      with_weights=False)
    st.session_state[state.COMPARE_GROUP] = group.group_id if group is not None else None
    return group


def _start(reg, sid: str, configs: list, labels: list[str]):
    """One comparison per tab: a new one replaces (stops) the one shown."""
    old = st.session_state.get(state.COMPARE_GROUP)
    if old:
        reg.stop_group(old)
    try:
        group_id = reg.start_group(configs, labels, owner=sid, pace=chosen_pace())
    except (RunLimitError, ValueError, RuntimeError) as exc:
        st.error(f"Could not start the comparison: {exc}", icon=":material/block:")
        return None
    st.session_state[state.COMPARE_GROUP] = group_id
    return reg.group(group_id, poll=False, max_points=2, with_weights=False)
