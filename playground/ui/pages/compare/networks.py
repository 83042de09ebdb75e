"""Inside each network, side by side: every run's diagram (links by sign and |w|, neuron
maps on 2D tasks, saturated or dead units framed), as on the Train page.

Off by default and its own fragment, refreshed at most once a second from a copy of each
member's weights: the curves above keep their pace, and a closed toggle costs nothing.
"""
from __future__ import annotations

import streamlit as st

from playground.figures.inside import network_view
from playground.ui import runtime
from playground.ui.widgets.charts import chart

NETWORKS_EVERY_S = 1.0
PER_ROW = 2


def networks(group_id: str) -> None:
    opened = st.toggle("Inside each network", key="cmp_inside", persist_state="session",
                       help="Every run's network as a diagram, side by side: links orange "
                            "for negative and blue for positive weights, width by |w|; on 2D "
                            "tasks each hidden unit shows its activation over the plane; a "
                            "saturated or dead unit is framed in red.")
    if not opened:
        return
    reg = runtime.registry()
    first = reg.group(group_id, poll=False, max_points=2, with_weights=False)
    active = first is not None and first.active

    @st.fragment(run_every=NETWORKS_EVERY_S if active else None)
    def area() -> None:
        group = reg.group(group_id, poll=False, max_points=2)
        if group is None:
            return
        shown = [(label, s) for label, s in zip(group.labels, group.members)
                 if s.weights is not None and reg.task(s.run_id) is not None]
        if not shown:
            st.caption("The diagrams appear once the runs have taken their first steps.")
            return
        for start in range(0, len(shown), PER_ROW):
            cols = st.columns(PER_ROW)
            for col, (label, s) in zip(cols, shown[start:start + PER_ROW]):
                with col:
                    fig = network_view(s.config, reg.task(s.run_id), s.weights, s.health,
                                       s.step)
                    fig.update_layout(title_text=f"{label} · step {s.step:,}")
                    chart(fig, f"cmp_network_{s.run_id}")

    area()
