"""What a regression model predicts (pure functions): a value heatmap over the plane, a
fitted curve over a line, predicted against true for any other inputs.

Values are in the target's own units (the standardised outputs × std + mean). The plane
uses a diverging scale centred on 0 (TF Playground's orange negative, blue positive),
shared by the heatmap, its colour bar and the points, so a point that sits on its own
colour is fitted.
"""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from .theme import RUN_COLORS, style

# orange (negative) → white → blue (positive), as TF Playground draws outputs
DIVERGING = [[0.0, "#E66100"], [0.25, "#F5A862"], [0.5, "#F7F7F7"], [0.75, "#7FB2DA"],
             [1.0, "#0B5CAD"]]
FIT_COLOR = RUN_COLORS[1]


def value_range(*values: np.ndarray) -> float:
    """Half-width of the colour scale centred on 0: every given value fits."""
    top = max((float(np.nanmax(np.abs(v))) for v in values if v is not None and len(v)),
              default=1.0)
    return top if top > 0 else 1.0


def _colorbar(target: str, what: str = "") -> dict:
    return dict(title=dict(text=f"{what}{target}<br>(units of {target})", side="right"),
                thickness=18)


def _points(fig, pts, values, target, hollow, span, suffix, scale=False):
    fig.add_trace(go.Scatter(
        x=pts[:, 0], y=pts[:, 1], mode="markers", name=f"points{suffix}",
        marker=dict(size=9 if hollow else 8, color=values, colorscale=DIVERGING,
                    cmin=-span, cmax=span, showscale=scale, colorbar=_colorbar(target),
                    symbol="circle-open" if hollow else "circle",
                    line=dict(width=2.2) if hollow else dict(width=1, color="#222222")),
        hovertemplate=f"{target}=%{{marker.color:.3g}}{suffix}<br>x₁=%{{x:.2f}}, "
                      "x₂=%{y:.2f}<extra></extra>"))


def value_map_figure(bounds: tuple[float, float, float, float], xs: np.ndarray | None,
                     ys: np.ndarray | None, values: np.ndarray | None, target: str,
                     train_pts: np.ndarray,
                     train_values: np.ndarray, val_pts: np.ndarray | None = None,
                     val_values: np.ndarray | None = None, title: str = "Network output",
                     height: int = 460) -> go.Figure:
    """The network's output over the plane (values [ny, nx] in target units) with the
    training points filled and validation points hollow, coloured on the same scale.
    Without ``values`` (no model yet: the data preview) the points carry the colour bar."""
    # The scale follows the data, not the network: it holds still while training.
    span = value_range(train_values, val_values)
    fig = go.Figure()
    if values is not None:
        fig.add_trace(go.Heatmap(
            # a coarse grid (48², ~9 KB a refresh) drawn smooth by the browser
            x=xs, y=ys, z=values.astype(np.float32), zsmooth="best", colorscale=DIVERGING,
            zmin=-span,
            zmax=span, colorbar=_colorbar(target, "predicted "), name=f"predicted {target}",
            hovertemplate=f"predicted {target} %{{z:.3g}}<br>x₁=%{{x:.2f}}, x₂=%{{y:.2f}}"
                          "<extra></extra>"))
    _points(fig, train_pts, train_values, target, False, span, " (train)", values is None)
    if val_pts is not None and val_values is not None and len(val_pts):
        _points(fig, val_pts, val_values, target, True, span, " (validation)")
    x0, x1, y0, y1 = bounds
    return style(fig, title, "feature x₁", "feature x₂", height, hovermode="closest",
                 xaxis=dict(range=[x0, x1], showgrid=False, zeroline=False),
                 yaxis=dict(range=[y0, y1], showgrid=False, zeroline=False, scaleanchor="x",
                            scaleratio=1))


def curve_fit_figure(line_x: np.ndarray, line_y: np.ndarray, target: str,
                     train_x: np.ndarray, train_y: np.ndarray, val_x: np.ndarray | None = None,
                     val_y: np.ndarray | None = None, title: str = "Fitted curve",
                     height: int = 460) -> go.Figure:
    """A 1-D fit: the points (train filled, validation hollow) and the network's curve."""
    fig = go.Figure()
    fig.add_trace(go.Scatter(
        x=train_x, y=train_y, mode="markers", name="train points",
        marker=dict(size=7, color="#7F7F7F", line=dict(width=1, color="#222222")),
        hovertemplate=f"x=%{{x:.2f}}, {target}=%{{y:.3g}} (train)<extra></extra>"))
    if val_x is not None and val_y is not None and len(val_x):
        fig.add_trace(go.Scatter(
            x=val_x, y=val_y, mode="markers", name="validation points",
            marker=dict(size=8, color="#7F7F7F", symbol="circle-open", line=dict(width=2)),
            hovertemplate=f"x=%{{x:.2f}}, {target}=%{{y:.3g}} (validation)<extra></extra>"))
    fig.add_trace(go.Scatter(
        x=line_x, y=line_y, mode="lines", name="network's fit",
        line=dict(color=FIT_COLOR, width=4),
        hovertemplate=f"x=%{{x:.2f}}: predicted {target} %{{y:.3g}}<extra></extra>"))
    return style(fig, title, "input x", f"{target} (units of {target})", height,
                 hovermode="closest")


def parity_figure(true: np.ndarray, predicted: np.ndarray, target: str,
                  title: str = "Predicted against true (validation)",
                  height: int = 460) -> go.Figure:
    """Any regression task: each validation example's prediction against its target; a
    perfect model puts every point on the diagonal."""
    lo = float(min(true.min(), predicted.min())) if len(true) else 0.0
    hi = float(max(true.max(), predicted.max())) if len(true) else 1.0
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=[lo, hi], y=[lo, hi], mode="lines", name="perfect fit",
                             line=dict(color="#7F7F7F", width=2, dash="dash"),
                             hoverinfo="skip"))
    fig.add_trace(go.Scatter(
        x=true, y=predicted, mode="markers", name="validation examples",
        marker=dict(size=7, color=FIT_COLOR, opacity=0.7),
        hovertemplate=f"true {target} %{{x:.3g}}, predicted %{{y:.3g}}<extra></extra>"))
    return style(fig, title, f"true {target} (units of {target})",
                 f"predicted {target} (units of {target})", height, hovermode="closest")
