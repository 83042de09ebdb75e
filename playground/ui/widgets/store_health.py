"""The one warning every page shows when run history is not being saved."""
from __future__ import annotations

import streamlit as st

from playground.ui import runtime


def warning() -> None:
    """Nothing while the store works; otherwise one plain sentence saying what is wrong
    (training is unaffected: the store never raises into a run)."""
    health = runtime.store().health()
    if not health.ok:
        st.warning(health.warning, icon=":material/database:")
