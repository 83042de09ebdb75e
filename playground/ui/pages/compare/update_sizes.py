"""Every run's update size per weight matrix, side by side on one y scale: SGD's
updates follow its gradients, Adam's sit near η whatever the gradient (its per-parameter
scaling), visible at a glance. Each chart in its run's colour."""
from __future__ import annotations

import streamlit as st

from playground.figures.layer_health import shared_range, update_ratio_figure
from playground.runs.snapshot import GroupSnapshot
from playground.ui.widgets.charts import chart

PER_ROW = 3            # charts per row; two when there are at most four runs (wider legends)


def update_sizes(group: GroupSnapshot, colors: list[str]) -> None:
    runs = [(label, s, c) for label, s, c in zip(group.labels, group.members, colors)
            if s.health is not None and len(s.health.steps)]
    if not runs:
        return
    st.subheader("Update size per weight matrix",
                 help="log10(std Δw / std w) of each weight matrix, measured every "
                      f"{runs[0][1].health.every} steps; the shaded band is the usual guide "
                      "near −3 (updates about 1/1000 of the weights).")
    y_range = shared_range([s.health.update_data for _, s, _ in runs])
    per_row = 2 if len(runs) <= 4 else PER_ROW
    for start in range(0, len(runs), per_row):
        cols = st.columns(per_row)
        for col, (label, s, color) in zip(cols, runs[start:start + per_row]):
            with col:
                h = s.health
                chart(update_ratio_figure(h.steps, h.update_data, h.matrices, color, label,
                                          height=360, y_range=y_range),
                      f"cmp_update_{s.run_id}")
