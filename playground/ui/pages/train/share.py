"""Share this setup: the link that reproduces it, and a classroom version of it."""
from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

from playground.config import RunConfig
from playground.ui.widgets.setup_help import label
from playground.ui.widgets.setup_link import classroom_query


def share(config: RunConfig) -> None:
    """The link that reproduces this setup, and a classroom version of it."""
    box = st.expander("Share this setup", icon=":material/share:", key="train_share_open",
                      on_change="rerun")
    if not box.open:
        return   # built only when opened (see maths)
    with box:
        base = (st.context.url or "").split("?")[0]
        st.markdown("**This exact setup** (the address bar always holds it too):")
        st.code(share_link(base, config), language=None)
        st.markdown("**As a classroom exercise**: hide the controls students should not "
                    "touch, or lock them all.")
        cols = st.columns([3, 1])
        hide = cols[0].multiselect(
            "Hide these controls", ["sidebar", *RunConfig.field_names()], key="share_hide",
            format_func=lambda f: "every control (a one-line summary)" if f == "sidebar"
            else label(f),
            # no "Select all" at the top of the list, where it is easy to hit by mistake
            # (hiding every control has its own, explained entry)
            select_all=False,
            help="Each control chosen here is hidden from the students; 'every control' "
            "hides the whole sidebar and shows a one-line summary instead.")
        lock = cols[1].checkbox("Lock the rest", key="share_lock",
                                help="Students see the settings but cannot change them.")
        st.code(share_link(base, config, set(hide), lock), language=None)


def share_link(base: str, config: RunConfig, hidden: set[str] = frozenset(),
               locked: bool = False) -> str:
    """A link that opens this setup (and the classroom settings), URL-encoded."""
    query = {**config.to_query(), **classroom_query(hidden, locked)}
    return f"{base}?{urlencode(query)}"
