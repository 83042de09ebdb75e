"""How faithful a loss-surface picture is to the path drawn on it.

A plane through weight space shows only two directions: these panels say how much of a
run's path (and of its loss) the picture really holds.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .theme import hex_to_rgba, style


@dataclass(frozen=True)
class FidelitySeries:
    name: str
    color: str
    steps: np.ndarray
    true_loss: np.ndarray
    plane_loss: np.ndarray
    off_plane: np.ndarray
    from_origin: np.ndarray


def fidelity_figure(series: list[FidelitySeries], loss_title: str = "loss (cross-entropy, nats)",
                    height: int = 560) -> go.Figure:
    """Top: true loss at each checkpoint (solid) vs the surface where it projects
    (dashed). Bottom: how far each checkpoint is off the plane (solid) and from the
    plane's origin (dotted) — when the solid line is close to the dotted one, the
    path mostly runs outside the picture."""
    # Each panel says what its lines are in its title; the y titles stay short, so the
    # two never run into each other down the left edge.
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.12,
                        subplot_titles=("Loss: true (solid) vs read off the surface (dashed)",
                                        "Distance in weight space: off the plane (solid), "
                                        "from its origin (dotted)"))
    for s in series:
        fig.add_trace(go.Scatter(x=s.steps, y=s.true_loss, name=f"{s.name}: true loss",
                                 mode="lines", line=dict(color=s.color, width=3),
                                 legendgroup=s.name), row=1, col=1)
        fig.add_trace(go.Scatter(x=s.steps, y=s.plane_loss, name=f"{s.name}: on the surface",
                                 mode="lines", line=dict(color=s.color, width=3, dash="dash"),
                                 legendgroup=s.name), row=1, col=1)
        fig.add_trace(go.Scatter(x=s.steps, y=s.off_plane, name=f"{s.name}: off the plane",
                                 mode="lines", line=dict(color=s.color, width=3),
                                 fill="tozeroy", fillcolor=hex_to_rgba(s.color, 0.12),
                                 legendgroup=s.name, showlegend=False), row=2, col=1)
        fig.add_trace(go.Scatter(x=s.steps, y=s.from_origin, name=f"{s.name}: from origin",
                                 mode="lines", line=dict(color=s.color, width=2, dash="dot"),
                                 legendgroup=s.name, showlegend=False), row=2, col=1)
    style(fig, None, height=height)
    # Legend under the chart: above it, it would cover the subplot titles.
    fig.update_layout(hovermode="x unified", margin=dict(t=40, b=40),
                      legend=dict(orientation="h", y=-0.14, yanchor="top", x=0,
                                  xanchor="left"))
    fig.update_xaxes(title_text="training step", row=2, col=1)
    fig.update_yaxes(title_text=loss_title.split(" (")[0] + " (nats)"
                     if "nats" in loss_title else loss_title, row=1, col=1)
    fig.update_yaxes(title_text="‖Δθ‖₂", row=2, col=1, rangemode="tozero")
    return fig
