"""Which setup sections are open: the user's choice, kept across pages, and opened by a
new problem.

A section is a Streamlit expander that tracks its state (``on_change``), so a closed one
draws no controls (``setup_sidebar``). Each page has its own expander (Streamlit's
element ids include the page), so the open/closed state the user left is kept here and
handed to the next page's expander as its start.
"""
from __future__ import annotations

import streamlit as st

from playground.config import ConfigError
from playground.ui import state
from playground.ui.widgets.setup_help import SECTION_OF

OPEN_AT_FIRST = {"Data": True, "Model": True, "Optimizer": True, "Training": False}


def section_key(section: str) -> str:
    return "sec_" + section.lower()


def section(sb, name: str):
    """The sidebar expander of section ``name``, open as it was last left."""
    left_open = st.session_state.setdefault(state.SETUP_OPEN, {})
    return sb.expander(name, expanded=left_open.get(name, OPEN_AT_FIRST[name]),
                       key=section_key(name), on_change=_toggled, args=(name,))


def _toggled(name: str) -> None:
    """Opening or closing a section is the user's choice: kept for the other pages (a
    wrong value can still open it again)."""
    st.session_state.setdefault(state.SETUP_OPEN, {})[name] = bool(
        st.session_state.get(section_key(name)))


def open_sections_with(errors: list[ConfigError], known: list) -> None:
    """Open the section of each problem not in ``known`` (the last run's problems): a
    preset or another page can put a wrong value into a closed section, and its marked
    box must be on screen. A user who closes it again is not fought with."""
    for err in errors:
        name = SECTION_OF.get(err.field)
        if name and (err.field, err.reason) not in known:
            st.session_state[section_key(name)] = True
            st.session_state.setdefault(state.SETUP_OPEN, {})[name] = True
