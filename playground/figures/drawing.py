"""The drawing canvas of "Draw your own": the points on a fixed plane, the split shown.

Filled markers are training points, hollow circles validation, hollow diamonds test;
one legend entry per class (its colour is the decision boundary's colour for that
class) and one grey key per split. The axes never move, so a click lands where the
pointer is; a trained run's boundary can lie underneath (``probs``).
"""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from .boundary import png_data_uri, probability_image
from .theme import CLASS_COLORS, style

SPLIT_MARKS = {   # split -> (symbol, legend key)
    "train": ("circle", "filled: training"),
    "val": ("circle-open", "hollow: validation"),
    "test": ("diamond-open", "hollow diamond: test"),
}
KEY_GREY = "#7f7f7f"


def drawing_figure(xy: np.ndarray, labels: np.ndarray, split: dict[str, np.ndarray],
                   n_classes: int, plane: tuple[float, float, float, float],
                   probs: np.ndarray | None = None, title: str = "Your points",
                   height: int = 680, narrow: bool = False) -> go.Figure:
    """``xy`` [N, 2], ``labels`` [N], ``split`` {"train"|"val"|"test": indices}; the
    plane (x0, x1, y0, y1) is the whole drawing area. ``narrow`` (half a page wide):
    the legend above the plane, not beside it, and a tick every unit."""
    fig = go.Figure()
    x0, x1, y0, y1 = plane
    if probs is not None:
        fig.add_layout_image(dict(
            source=png_data_uri(probability_image(probs)), xref="x", yref="y", x=x0, y=y1,
            sizex=x1 - x0, sizey=y1 - y0, sizing="stretch", layer="below"))
    for k in range(n_classes):
        color = CLASS_COLORS[k % len(CLASS_COLORS)]
        count = int((labels == k).sum())
        for part, (symbol, _) in SPLIT_MARKS.items():
            idx = split.get(part, np.zeros(0, np.int64))
            idx = idx[labels[idx] == k]
            hollow = part != "train"
            # An empty class keeps its legend entry (plotly drops a trace with no data).
            xs, ys = (xy[idx, 0], xy[idx, 1]) if len(idx) else ([None], [None])
            fig.add_trace(go.Scatter(
                x=xs, y=ys, mode="markers",
                name=f"class {k} ({count})", legendgroup=f"class {k}",
                # One legend entry a class (its training marker): the split has its keys.
                showlegend=part == "train",
                marker=dict(size=15, color=color, symbol=symbol,
                            line=dict(width=3 if hollow else 1.5,
                                      color=color if hollow else "#222222")),
                hovertemplate=f"class {k}, {'validation' if part == 'val' else part}"
                              "<br>x₁=%{x:.2f}, x₂=%{y:.2f}<extra></extra>"))
    for part, (symbol, key) in SPLIT_MARKS.items():
        fig.add_trace(go.Scatter(
            x=[None], y=[None], mode="markers", name=key, legendgroup="split",
            marker=dict(size=15, color=KEY_GREY, symbol=symbol,
                        line=dict(width=3 if part != "train" else 1.5,
                                  color=KEY_GREY if part != "train" else "#222222"))))
    # constrain="domain": the square plane shrinks the plot area to a square instead of
    # widening the x range, so the canvas is the plane and nothing more.
    if not len(xy) and probs is None:
        fig.add_annotation(x=0, y=0, text="Click anywhere on the plane to add a point",
                           showarrow=False, font=dict(size=20, color=KEY_GREY))
    axis = dict(showgrid=True, zeroline=True, fixedrange=True, dtick=1.0 if narrow else 0.5,
                constrain="domain")
    legend = (dict(orientation="h", yanchor="bottom", y=1.01, xanchor="left", x=0)
              if narrow else dict(orientation="v", yanchor="top", y=1.0, xanchor="left", x=1.02))
    return style(fig, title, "feature x₁", "feature x₂", height, hovermode="closest",
                 dragmode=False, clickmode="none",
                 legend=dict(font=dict(size=16), itemclick=False, itemdoubleclick=False,
                             **legend),
                 margin=dict(l=80, r=20, t=150 if narrow else 60, b=70),
                 xaxis=dict(range=[x0, x1], **axis),
                 yaxis=dict(range=[y0, y1], scaleanchor="x", scaleratio=1, **axis))


def drawn_boundary_figure(task, probs: np.ndarray, title: str, height: int = 560) -> go.Figure:
    """A run's boundary under its drawn points, drawn as the canvas draws them (the
    training labels as the network saw them, label noise included)."""
    parts = [task.train, task.val, task.test]
    xy = np.concatenate([p.x.numpy() for p in parts]).reshape(-1, 2)
    labels = np.concatenate([p.y.numpy() for p in parts])
    ends = np.cumsum([0] + [len(p) for p in parts])
    split = {name: np.arange(ends[i], ends[i + 1]) for i, name in enumerate(SPLIT_MARKS)}
    return drawing_figure(xy, labels, split, task.n_classes, task.extra["plane"], probs,
                          title=title, height=height, narrow=True)
