"""Loss surface page: optimizers on toy landscapes, and a network's own landscape."""
from __future__ import annotations

import streamlit as st

from playground.ui import runtime, surface_network, surface_toy

TOY, NETWORK = "Toy landscapes", "Network landscape"


def render() -> None:
    st.title("Loss surface")
    runtime.registry().touch(runtime.session_id())
    handoff = runtime.take_handoff("surface")
    if handoff and handoff.get("run_ids"):
        st.session_state["surface_tab"] = NETWORK   # runs sent from Compare: show them
    # Lazy tabs: only the open tab's code runs, so the network tab's controls never pay
    # for the toy race and vice versa.
    toy, network = st.tabs([TOY, NETWORK], key="surface_tab", on_change="rerun")
    if toy.open is not False:
        with toy:
            surface_toy.render()
    if network.open is not False:
        with network:
            surface_network.render(handoff)
