"""The frame around every page: navigation, the shared setup sidebar, the address bar.

Why the sidebar is drawn here and not by the pages: Streamlit gives a widget an
identity that includes the page drawing it, so one sidebar drawn by three pages is
three sets of widgets, and a page switch resets them (its docs, "Working with widgets
in multipage apps", recommend drawing shared widgets in the entrypoint). Drawn here,
around ``page.run()``, the setup is one set of widgets for the whole session.

The address bar holds the setup, the classroom settings and the session's attached
run and comparison on every page, so a reload anywhere (a new session) reproduces the
setup and re-attaches both.
"""
from __future__ import annotations

import streamlit as st

import playground.ui.pages  # noqa: F401  (each page registers itself with nav)
from playground.ui import nav, runtime, state
from playground.ui.widgets import setup_link, store_health
from playground.ui.widgets.setup_sidebar import config_sidebar
from playground.ui.widgets.setup_summary import setup_summary


# Streamlit's main area starts 6rem below the navigation; on a 1440×1000 projector that
# pushed the Train page's loss chart below the fold. (CSS-only st.html takes no space.)
PAGE_CSS = "<style>.stMainBlockContainer { padding-top: 2.5rem; }</style>"


def main(default: str = nav.DEFAULT) -> None:
    page = st.navigation(nav.pages(default), position="top")
    st.html(PAGE_CSS)
    spec = nav.spec_of(page)
    setup_link.load_from_url()
    _reattach(runtime.registry(), runtime.session_id())
    handed = runtime.handed_config(spec.key)
    if handed is not None and handed != runtime.get_config():
        runtime.set_config(handed)        # the sidebar below then shows it
    if spec.uses_setup:
        hidden, locked = setup_link.classroom()
        config_sidebar(hidden=hidden, locked=locked)
    else:
        setup_summary()
    store_health.warning()
    page.run()
    setup_link.sync_url(runtime.get_config(), attached_ids())


def attached_ids() -> dict[str, str]:
    """The run and the group this session shows, for the address bar."""
    ids = {setup_link.RUN_PARAM: st.session_state.get(state.TRAIN_RUN),
           setup_link.GROUP_PARAM: st.session_state.get(state.COMPARE_GROUP)}
    return {k: v for k, v in ids.items() if v}


def _reattach(reg, sid: str) -> None:
    """Once per session: the run and the group the link names become this session's
    (a reload is a new session), before any page or the reaper can miss them."""
    linked = setup_link.take_link_ids()
    run_id = linked.get(setup_link.RUN_PARAM)
    snap = reg.snapshot(run_id, poll=False, max_points=2) if run_id else None
    if snap is not None and snap.group_id is None:
        if snap.active:
            reg.claim(run_id, sid)
        st.session_state[state.TRAIN_RUN] = run_id
        st.session_state[state.TRAIN_APPLIED_LR] = snap.config.lr
        st.session_state[state.TRAIN_PACE] = state.pace_key(snap.pace)
    group = reg.group(linked.get(setup_link.GROUP_PARAM), poll=False, max_points=2)
    if group is not None:
        reg.claim(group.run_ids[0], sid)
        st.session_state[state.COMPARE_GROUP] = group.group_id
