"""Layer health over a run: update sizes per weight matrix, activation and gradient
histograms per hidden layer (the diagnostics of makemore part 3, live)."""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from .network import LEAN
from .theme import RUN_COLORS, style

GUIDE = -3.0            # log10 update:data ≈ −3: the usual ~1e-3 guideline (makemore)
GUIDE_BAND = 0.5        # shaded ±0.5 around it
DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot")


def update_ratio_figure(steps: np.ndarray, update_data: np.ndarray, matrices: tuple[str, ...],
                        color: str, title: str = "Update size per weight matrix",
                        height: int = 420, show_band_legend: bool = True,
                        y_range: tuple[float, float] | None = None) -> go.Figure:
    """log10(std(Δw)/std(w)) over steps, one line per weight matrix (the run's colour,
    one dash per matrix), with the −3 guide band: far below crawls, far above thrashes."""
    fig = go.Figure()
    x_hi = float(steps[-1]) if len(steps) else 1.0
    x_lo = float(steps[0]) if len(steps) else 0.0
    fig.add_trace(go.Scatter(
        x=[x_lo, x_hi, x_hi, x_lo, x_lo],
        y=[GUIDE - GUIDE_BAND, GUIDE - GUIDE_BAND, GUIDE + GUIDE_BAND, GUIDE + GUIDE_BAND,
           GUIDE - GUIDE_BAND], fill="toself", mode="lines", line=dict(width=0),
        fillcolor="rgba(0,158,115,0.15)", name="guide: about −3 (10⁻³)",
        showlegend=show_band_legend,
        hovertemplate="usual guide: updates about 1/1000 of the weights<extra></extra>"))
    for i, name in enumerate(matrices):
        fig.add_trace(go.Scatter(
            x=steps, y=update_data[:, i], mode="lines+markers", name=name,
            line=dict(color=color, width=3, dash=DASHES[i % len(DASHES)]),
            marker=dict(size=5, color=color),
            hovertemplate=f"{name}<br>step %{{x:,}}<br>log10 update:data %{{y:.2f}}"
                          "<extra></extra>"))
    axis = {"yaxis": dict(range=list(y_range))} if y_range else {}
    return style(fig, title, "step", "log10(std Δw / std w)", height, hovermode="closest",
                 template=LEAN, **axis)


def shared_range(series: list[np.ndarray]) -> tuple[float, float]:
    """One y range for update-ratio charts drawn side by side (the guide band always in)."""
    values = np.concatenate([s[np.isfinite(s)].ravel() for s in series] + [np.array(
        [GUIDE - GUIDE_BAND, GUIDE + GUIDE_BAND])])
    return float(values.min()) - 0.3, float(values.max()) + 0.3


def activation_histogram_figure(layers, grads: bool = False, height: int = 420,
                                title: str | None = None) -> go.Figure:
    """Each hidden layer's histogram of activations (or of the loss gradient at its
    output), one line per layer, its mean and std in the legend."""
    fig = go.Figure()
    for i, layer in enumerate(layers):
        counts, edges = layer.grad_histogram() if grads else layer.histogram()
        centres = 0.5 * (edges[1:] + edges[:-1])
        if grads:
            label = f"{layer.name}: std {layer.grad_std:.2g}"
        else:
            extra = (f", saturated {layer.saturated:.0%}" if layer.saturated is not None else
                     f", dead {layer.dead:.0%}" if layer.dead is not None else "")
            label = f"{layer.name}: mean {layer.mean:+.2f}, std {layer.std:.2f}{extra}"
        color = RUN_COLORS[i % len(RUN_COLORS)]
        fig.add_trace(go.Scatter(
            x=centres, y=100 * counts, mode="lines", name=label,
            line=dict(color=color, width=3, shape="hvh"),
            hovertemplate=f"{layer.name}<br>%{{x:.3g}}: %{{y:.1f}}%<extra></extra>"))
    what = "gradient at layer output ∂L/∂a" if grads else "activation a"
    return style(fig, title or ("Gradient histogram" if grads else "Activation histogram"),
                 what, "share of values (%)", height, hovermode="closest", template=LEAN,
                 margin=dict(t=120))
