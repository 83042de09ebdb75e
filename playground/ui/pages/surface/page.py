"""Loss surface page: optimizers on toy landscapes, and a network's own landscape."""
from __future__ import annotations

import streamlit as st

from playground.ui import nav, runtime
from playground.ui.pages.surface import network, toy

TOY, NETWORK = "Toy landscapes", "Network landscape"


@nav.page("surface")
def render() -> None:
    st.title("Loss surface")
    runtime.registry().touch(runtime.session_id())
    handoff = runtime.take_handoff("surface")
    if handoff is not None and handoff.run_ids:
        st.session_state["surface_tab"] = NETWORK   # runs sent from Compare: show them
    # Lazy tabs: only the open tab's code runs, so the network tab's controls never pay
    # for the toy race and vice versa.
    toy_tab, network_tab = st.tabs([TOY, NETWORK], key="surface_tab", on_change="rerun")
    if toy_tab.open is not False:
        with toy_tab:
            toy.render()
    if network_tab.open is not False:
        with network_tab:
            network.render(handoff)
