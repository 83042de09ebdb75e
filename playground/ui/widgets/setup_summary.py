"""The shared setup as one line, in the sidebar of pages that do not edit it."""
from __future__ import annotations

import streamlit as st

from playground.data import DATASETS
from playground.ui import runtime
from playground.ui.widgets.safe import md_escape


def setup_summary() -> None:
    """The shared setup in one line, for pages that do not edit it (Loss surface,
    Lessons, Server): the sidebar is never an empty grey panel, and the user sees what
    Train, LR sweep and Compare will use."""
    config = runtime.get_config()
    spec = DATASETS.get(config.dataset)
    sb = st.sidebar
    sb.header("Setup")
    sb.markdown(f"**{md_escape(spec.label if spec else config.dataset)}** · "
                f"{md_escape(config.short_label())}")
    sb.caption("Used by Train, LR sweep and Compare; edit it there.")
