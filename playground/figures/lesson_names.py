"""Figures of the makemore lesson: the two LR sweeps, their minima by seed, training, the
learned 2D embedding. Pure functions from the evidence's series to Plotly figures.

The lecture's init and the app's default each keep one color on every chart (the same
two colors as the dropout/Xavier lesson's inits).
"""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from .theme import hex_to_rgba, run_color, style

LECTURE, XAVIER = "N(0, 1) everywhere (lecture)", "Xavier uniform (app default)"
INIT_COLORS = {"lecture": run_color(3), "xavier": run_color(2)}
INIT_NAMES = {"lecture": LECTURE, "xavier": XAVIER}
BAND_COLOR = "rgba(136, 136, 136, 0.15)"
LR_TICKS = [0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1]
LOSS_TICKS = [2, 3, 5, 10, 20, 50]
TRAINING_TOP = 3.6         # nats: just above chance, ln 27 = 3.30
VOWELS = set("aeiou")


def names_figures(series: dict) -> list[go.Figure]:
    return [sweep_figure(series["sweep"], series["sweep_minima"]["near"]),
            minima_figure(series["sweep_minima"]), training_figure(series["training"]),
            embedding_figure(series["embedding"])]


def _near_band(fig: go.Figure, near: list[float]) -> None:
    """Shade 10^(−1 ± 0.4). A shape on a log axis takes data values, an annotation takes
    their log10 (Plotly's rule), so the label is placed by hand."""
    fig.add_vrect(x0=near[0], x1=near[1], fillcolor=BAND_COLOR, line_width=0, layer="below")
    fig.add_annotation(x=float(np.log10(near[0])), y=1, xref="x", yref="paper",
                       xanchor="left", yanchor="top", showarrow=False,
                       text="near the lecture's 0.1", font=dict(color="#888888"))


def sweep_figure(sweep: dict, near: list[float]) -> go.Figure:
    """Both sweeps from one seed on one chart, each smoothed minimum marked."""
    lrs = [10 ** e for e in sweep["exponent"]]
    fig = go.Figure()
    for key in ("lecture", "xavier"):
        color, name = INIT_COLORS[key], INIT_NAMES[key]
        fig.add_trace(go.Scattergl(x=lrs, y=sweep[f"{key}_loss"], mode="markers",
                                   name=f"{name}: loss after one step", legendgroup=key,
                                   showlegend=False,
                                   marker=dict(size=4, color=hex_to_rgba(color, 0.3))))
        smoothed = sweep[f"{key}_smoothed"]
        fig.add_trace(go.Scatter(x=lrs, y=smoothed, mode="lines", name=name, legendgroup=key,
                                 line=dict(color=color, width=3)))
        best = int(np.nanargmin(smoothed))
        # The lecture's valley sits above Xavier's: its label above, Xavier's below.
        fig.add_trace(go.Scatter(
            x=[lrs[best]], y=[smoothed[best]], mode="markers+text", legendgroup=key,
            showlegend=False, name=f"{name}: minimum", text=[f"min {lrs[best]:.2g}"],
            textposition="top center" if key == "lecture" else "bottom center",
            textfont=dict(color=color, size=16),
            marker=dict(size=16, color=color, symbol="diamond",
                        line=dict(color="white", width=2))))
    _near_band(fig, near)
    style(fig, f"LR sweep, seed {sweep['seed'][0]}: one SGD step per learning rate",
          "learning rate (log scale)", "minibatch loss (nats, log scale)", height=460)
    # Log axes take their range in decades; the annotation must not widen it.
    fig.update_xaxes(type="log", range=[np.log10(lrs[0]) - 0.05, np.log10(lrs[-1]) + 0.05],
                     tickvals=LR_TICKS, ticktext=[f"{t:g}" for t in LR_TICKS])
    fig.update_yaxes(type="log", tickvals=LOSS_TICKS, ticktext=[f"{t:g}" for t in LOSS_TICKS])
    return fig


def minima_figure(minima: dict) -> go.Figure:
    """Where each seed's smoothed sweep bottomed, for both inits."""
    fig = go.Figure()
    for key in ("lecture", "xavier"):
        fig.add_trace(go.Scatter(
            x=minima[key], y=[INIT_NAMES[key]] * len(minima[key]), mode="markers",
            name=INIT_NAMES[key], text=[f"seed {s}" for s in minima["seed"]],
            marker=dict(size=18, color=INIT_COLORS[key], symbol="diamond",
                        line=dict(color="white", width=1)),
            hovertemplate="%{text}: lr %{x:.3g}<extra></extra>"))
    _near_band(fig, minima["near"])
    style(fig, f"Sweep minimum on {len(minima['seed'])} seeds",
          "learning rate of the smoothed minimum (log scale)", "initialization", height=460)
    values = [*minima["lecture"], *minima["xavier"], *minima["near"]]
    # Log axis ranges are in decades; half a decade of room either side of the points.
    fig.update_xaxes(type="log", range=[np.log10(min(values)) - 0.2,
                                        np.log10(max(values)) + 0.2],
                     tickvals=LR_TICKS + [0.05, 0.2, 0.5],
                     ticktext=[f"{t:g}" for t in LR_TICKS + [0.05, 0.2, 0.5]])
    fig.update_layout(hovermode="closest", showlegend=False)
    return fig


def training_figure(train: dict) -> go.Figure:
    fig = go.Figure()
    for key in ("lecture", "xavier"):
        fig.add_trace(go.Scatter(x=train["step"], y=train[key], mode="lines",
                                 name=INIT_NAMES[key],
                                 line=dict(color=INIT_COLORS[key], width=3)))
    style(fig, "Training at 0.1, then decayed to 0.01", "step", "validation loss (nats)")
    # The N(0, 1) start (about 15 nats) would squash the decay's 0.1 into one pixel row:
    # cut the axis at TRAINING_TOP and say where the cut-off starts were.
    values = [v for key in ("lecture", "xavier") for v in train[key]]
    fig.update_yaxes(range=[min(values) - 0.05, TRAINING_TOP])
    off = [f"{INIT_NAMES[k].split(' (')[0]} starts at {train[k][0]:.1f}"
           for k in ("lecture", "xavier") if train[k][0] > TRAINING_TOP]
    if off:
        fig.add_annotation(x=0, y=TRAINING_TOP, xanchor="left", yanchor="top",
                           showarrow=False, text="↑ " + "; ".join(off),
                           font=dict(color="#888888"))
    fig.add_vline(x=train["decay_step"][0], line_dash="dash", line_color="#888888",
                  annotation_text="lr 0.1 → 0.01")
    return fig


def embedding_figure(emb: dict) -> go.Figure:
    """The 27 characters at their learned 2D embedding; vowels in their own color."""
    fig = go.Figure()
    groups = (("vowels", lambda c: c in VOWELS, run_color(1)),
              ("consonants", lambda c: c not in VOWELS and c != ".", run_color(0)),
              ("'.' (start/end)", lambda c: c == ".", "#666666"))
    for name, keep, color in groups:
        idx = [i for i, c in enumerate(emb["symbol"]) if keep(c)]
        fig.add_trace(go.Scatter(
            x=[emb["x"][i] for i in idx], y=[emb["y"][i] for i in idx], mode="markers+text",
            name=name, text=[emb["symbol"][i] for i in idx], textposition="middle center",
            textfont=dict(size=16, color="white"), marker=dict(size=30, color=color),
            hovertemplate="%{text}: (%{x:.2f}, %{y:.2f})<extra></extra>"))
    style(fig, "Learned 2D character embedding (lecture init)", "embedding dimension 1",
          "embedding dimension 2", height=480)
    fig.update_layout(hovermode="closest")
    fig.update_yaxes(scaleanchor="x", scaleratio=1)
    return fig
