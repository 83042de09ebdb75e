"""Series a stored run measured beyond loss and accuracy (a lesson's own curves)."""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from playground.figures.theme import run_color, style


def series_figure(series: dict[str, tuple], title: str | None = None,
                  height: int = 380) -> go.Figure:
    """One line per series (``name -> (steps, values)``), each in its own colour."""
    fig = go.Figure()
    for i, (name, (steps, values)) in enumerate(sorted(series.items())):
        x, y = np.asarray(steps, float), np.asarray(values, float)
        keep = np.isfinite(x) & np.isfinite(y)
        fig.add_trace(go.Scatter(x=x[keep], y=y[keep], mode="lines", name=name,
                                 line=dict(color=run_color(i), width=2.5)))
    return style(fig, title, "step", "value", height)
