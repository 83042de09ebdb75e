"""A past run drawn behind live curves: grey, dashed, no band, named "past · …".

A reference must never be mistaken for a run of the page, so it ignores the optimizer
colours and sits under the live traces. Pure: a figure and a stored history in, the
same figure out.
"""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from playground.figures.curves import _finite, ema

REFERENCE_COLOR = "#8c8c8c"     # mid grey: readable on light and dark backgrounds
REFERENCE_DASH = "dash"


def add_reference(fig: go.Figure, history: dict, label: str, x: str = "step",
                  smoothing: float = 0.6, show_val: bool = True) -> go.Figure:
    """Add a stored run's training (and validation) loss to a loss figure, underneath.

    Only the axes a stored run has (steps, epochs) can be drawn; otherwise the figure is
    returned unchanged."""
    train, evals = history.get("train") or {}, history.get("eval") or {}
    traces = []
    if x in train and len(train.get("loss", ())):
        smooth = ema(train["loss"], smoothing)
        smooth[~np.isfinite(np.asarray(train["loss"], float))] = np.nan
        sx, sy = _finite(train[x], smooth)
        traces.append(go.Scatter(x=sx, y=sy, mode="lines", name=f"past · {label}",
                                 line=dict(color=REFERENCE_COLOR, width=2.5, dash=REFERENCE_DASH),
                                 legendgroup="past", hovertemplate="past train loss %{y:.4f}"
                                 "<extra></extra>"))
    if show_val and x in evals and len(evals.get("val_loss", ())):
        vx, vy = _finite(evals[x], evals["val_loss"])
        traces.append(go.Scatter(x=vx, y=vy, mode="lines", name=f"past · {label} · validation",
                                 line=dict(color=REFERENCE_COLOR, width=1.5, dash="dot"),
                                 legendgroup="past", showlegend=False,
                                 hovertemplate="past val loss %{y:.4f}<extra></extra>"))
    if traces:
        fig.add_traces(traces)
        fig.data = tuple(fig.data[-len(traces):]) + tuple(fig.data[:-len(traces)])
    return fig
