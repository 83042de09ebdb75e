"""Whose runs a session sees: its own by default, the whole class for a teacher.

Session ids are random, so "your runs" are the runs this browser session started. A
teacher sees everyone's with the link ``/runs?teacher=<key>`` or by typing the key on
the page, where the key is the server's ``PLAYGROUND_TEACHER_KEY``; a server started
with ``PLAYGROUND_RUNS_VISIBLE=all`` (one person's laptop) shows every run to everyone.
"""
from __future__ import annotations

import hmac
import os

import streamlit as st

from playground.ui import state

TEACHER_PARAM = "teacher"


def _key() -> str:
    return os.environ.get("PLAYGROUND_TEACHER_KEY", "").strip()


def _matches(given: str) -> bool:
    key = _key()
    return bool(key) and hmac.compare_digest(given.strip().encode(), key.encode())


def everyone_visible() -> bool:
    return os.environ.get("PLAYGROUND_RUNS_VISIBLE", "").strip().lower() == "all"


def owner_filter(sid: str) -> str | None:
    """The owner to list (this session), or None for every session's runs."""
    linked = st.query_params.get(TEACHER_PARAM)
    if linked and _matches(str(linked)):
        st.session_state[state.RUNS_TEACHER] = True
    if everyone_visible():
        st.caption("This server shows every session's runs to everyone "
                   "(PLAYGROUND_RUNS_VISIBLE=all).")
        return None
    if st.session_state.get(state.RUNS_TEACHER):
        whole = st.toggle("Whole class", value=True, key="runs_whole_class",
                          help="Show the runs of every session on this server (you opened "
                               "the teacher link), or only this session's.")
        return None if whole else sid
    with st.popover("Teacher view", icon=":material/groups:",
                    help="See the whole class's runs (needs the server's teacher key)."):
        if not _key():
            st.markdown("The server has no teacher key. Start it with "
                        "`PLAYGROUND_TEACHER_KEY=…` to let a teacher see every session's "
                        "runs here.")
        else:
            typed = st.text_input("Teacher key", type="password", key="runs_teacher_key",
                                  help="The server's PLAYGROUND_TEACHER_KEY.")
            if typed:
                if _matches(typed):
                    st.session_state[state.RUNS_TEACHER] = True
                    st.rerun()
                st.error("That is not the teacher key.")
    return sid
