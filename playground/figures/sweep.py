"""LR sweep figures (pure): range-test curves and short-run results against η.

Colors come from the optimizer (theme.colors_for), so SGD is the same blue here as on
Train and Compare. The y-axis is fitted to the *smoothed* curves: a diverging raw
loss would otherwise squash everything interesting into a flat line at the bottom.
"""
from __future__ import annotations

import math
import warnings
from typing import Sequence

import numpy as np
import plotly.graph_objects as go

from playground.sweep.lr_rules import RULES
from .theme import VAL_DASH, colors_for, hex_to_rgba, style

X_AXES = {"lr": "learning rate η (log scale)", "exponent": "log₁₀ η (exponent)"}
Y_TITLE = "loss (cross-entropy, nats)"   # a regression sweep passes its own (y_title)
SYMBOLS = {"steep": "triangle-down", "valley": "circle", "min10": "diamond"}
SUGGESTION_GRAY = "#777777"
SHORT_NAMES = {"steep": "steepest", "valley": "valley", "min10": "min÷10"}


def _x(lrs, x_axis: str) -> np.ndarray:
    lrs = np.asarray(lrs, dtype=float)
    return np.log10(lrs) if x_axis == "exponent" else lrs


def _finite_or_nan(a) -> np.ndarray:
    a = np.asarray(a, dtype=float).copy()
    a[~np.isfinite(a)] = np.nan
    return a


def _y_range(arrays: Sequence[np.ndarray], zoom: bool = False) -> list[float] | None:
    """Padded [low, high] of the finite values; ``zoom`` caps the top at the descent.

    Zoomed, the top is the highest loss *before* each curve's minimum plus as much
    again as the curve fell: the divergence shoots off the top (its stop mark is
    pinned to the edge) and the part where η is useful fills the chart.
    """
    finite = [a[np.isfinite(a)] for a in arrays]
    vals = np.concatenate(finite or [np.array([])])
    if not len(vals):
        return None
    lo, hi = float(vals.min()), float(vals.max())
    if zoom:
        tops = []
        for a in arrays:
            if np.isfinite(a).any():
                j = int(np.nanargmin(a))
                top = float(np.nanmax(a[:j + 1]))
                tops.append(top + max(top - float(a[j]), 0.05 * abs(top)))
        hi = min(hi, max(tops))
    pad = 0.06 * (hi - lo) if hi > lo else max(0.1, abs(hi) * 0.1)
    return [lo - pad, hi + pad]


def _axes(fig: go.Figure, x_axis: str) -> None:
    if x_axis == "lr":
        fig.update_xaxes(type="log", exponentformat="power")


def range_test_figure(curves: Sequence, beta: float | None = None, x_axis: str = "lr",
                      show_raw: bool = True, zoom: bool = True, suggestions: bool = True,
                      x_span: tuple[float, float] | None = None,
                      title: str | None = "LR range test", height: int = 480,
                      y_title: str = Y_TITLE) -> go.Figure:
    """Raw (thin) and smoothed (thick) loss against η for each SweepCurve, with the
    divergence stop (✕) and the three suggestions (▼ steepest, ● valley, ◆ min ÷ 10).
    ``zoom`` fits the y-axis to the descent rather than to the blow-up; ``x_span``
    (lowest, highest η) fixes the x-axis, so a live curve grows across a still chart."""
    if x_axis not in X_AXES:
        raise ValueError(f"x_axis must be one of {', '.join(X_AXES)}")
    fig = go.Figure()
    colors = colors_for([c.optimizer for c in curves])
    smoothed_all = []
    single = len(curves) == 1
    for c, color in zip(curves, colors):
        sm = _finite_or_nan(c.smoothed(beta))
        smoothed_all.append(sm)
        xs = _x(c.lrs, x_axis)
        hover = "η = %{customdata:.3g}<br>loss %{y:.4g}<extra>%{fullData.name}</extra>"
        if show_raw:
            fig.add_trace(go.Scatter(
                x=xs, y=_finite_or_nan(c.losses), customdata=c.lrs, mode="lines",
                line=dict(color=hex_to_rgba(color, 0.35), width=1),
                name=f"{c.label} raw", legendgroup=c.label, hovertemplate=hover))
        fig.add_trace(go.Scatter(
            x=xs, y=sm, customdata=c.lrs, mode="lines", line=dict(color=color, width=3),
            name=f"{c.label} smoothed" if show_raw else c.label, legendgroup=c.label,
            hovertemplate=hover))
    y_range = _y_range(smoothed_all, zoom)
    notes = []
    for i, (c, color, sm) in enumerate(zip(curves, colors, smoothed_all)):
        if c.stop_index is not None:
            _mark_stop(fig, c, color, sm, x_axis, y_range, i, single)
        for s in (c.suggestions(beta) if suggestions else ()):
            note = _mark_suggestion(fig, c, s, color, x_axis, y_range, single)
            if note:
                notes.append(note)
    _place_notes(fig, notes)
    for rule, name in RULES.items() if suggestions else ():   # legend for the symbols
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=name,
                                 marker=dict(symbol=SYMBOLS[rule], size=12, color=SUGGESTION_GRAY),
                                 legendgroup=f"rule-{rule}", hoverinfo="skip"))
    style(fig, title, X_AXES[x_axis], y_title, height=height)
    _axes(fig, x_axis)
    if y_range:
        fig.update_yaxes(range=y_range)
    if x_span is not None:   # log axes take their range in log10 units, like the exponent
        fig.update_xaxes(range=[math.log10(x_span[0]), math.log10(x_span[1])])
    fig.update_layout(hovermode="closest")
    return fig


def _mark_stop(fig, c, color, sm, x_axis, y_range, order: int = 0, single: bool = True) -> None:
    i = c.stop_index
    y = sm[i] if np.isfinite(sm[i]) else math.inf
    off_top = y_range is not None and y > y_range[1]
    if off_top:
        # Pinned to the top edge, with an arrow saying it went higher; with several
        # optimizers each pin sits a little lower, so their labels never overlap.
        y = y_range[1] - order * 0.07 * (y_range[1] - y_range[0])
    x = _x([c.lrs[i]], x_axis)[0]
    word = "stop ↑" if off_top else "stop"
    fig.add_trace(go.Scatter(
        x=[x], y=[y], mode="markers+text", text=[word if single else f"{c.label} {word}"],
        textposition="bottom left" if off_top else "top center", cliponaxis=False,
        textfont=dict(color=color), marker=dict(symbol="x", size=16, color=color,
                                                 line=dict(width=1, color="white")),
        name=f"{c.label} stopped", legendgroup=c.label, showlegend=False,
        hovertemplate=f"stopped early: {c.stop_reason}<extra>{c.label}</extra>"))


def _mark_suggestion(fig, c, s, color, x_axis, y_range, single: bool) -> None:
    x = _x([s.lr], x_axis)[0]
    y = s.loss
    if not math.isfinite(y):   # min ÷ 10 can fall left of the swept range
        y = y_range[0] if y_range else 0.0
    fig.add_trace(go.Scatter(
        x=[x], y=[y], mode="markers", legendgroup=f"rule-{s.rule}", showlegend=False,
        marker=dict(symbol=SYMBOLS[s.rule], size=15, color=color,
                    line=dict(width=1.5, color="white")),
        name=f"{c.label}: {s.name}",
        hovertemplate=(f"<b>{s.name}</b>: η = {s.lr:.3g}<br>{s.why}<br>{s.detail}"
                       f"<extra>{c.label}</extra>")))
    if single:
        fig.add_vline(x=x, line=dict(color=color, width=1.5, dash="dot"))
        # Annotations on a log axis take log10(x) (plotly.js convention), shapes take x.
        return dict(x=math.log10(s.lr) if x_axis == "lr" else x,
                    text=f"{SHORT_NAMES[s.rule]} {s.lr:.2g}", color=color)
    return None


def _place_notes(fig, notes: list[dict]) -> None:
    """The suggestions' upright labels beside their dotted lines. Two suggestions a
    hair apart (valley 0.0046, steepest 0.0052) would print on top of each other, so
    a label close to the previous one goes on the other side of its line, and a third
    one down at the bottom."""
    places = [("right", "top", 1), ("left", "top", 1), ("right", "bottom", 0),
              ("left", "bottom", 0)]
    previous, k = None, 0
    for note in sorted(notes, key=lambda n: n["x"]):
        k = k + 1 if previous is not None and note["x"] - previous < 0.15 else 0
        previous = note["x"]
        xanchor, yanchor, y = places[k % len(places)]
        fig.add_annotation(x=note["x"], y=y, yref="paper", text=note["text"], showarrow=False,
                           textangle=-90, xanchor=xanchor, yanchor=yanchor,
                           font=dict(size=14, color=note["color"]))


def short_runs_figure(results: Sequence, which: Sequence[str] = ("train", "val"),
                      show_band: bool = True, x_axis: str = "lr", log_y: bool = False,
                      title: str | None = "Short runs: final loss after T steps at a fixed η",
                      height: int = 480, y_title: str = Y_TITLE) -> go.Figure:
    """Final train (solid) and validation (dotted) loss against η per optimizer; a
    band spans the seeds' min–max; ✕ marks learning rates that diverged (drawn along
    the top edge, out of the way of the lines). The y-axis is fitted to the runs that
    did not diverge, so one blow-up does not flatten the rest; ``log_y`` spreads a
    wide range of losses."""
    fig = go.Figure()
    colors = colors_for([r.optimizer for r in results])
    shown = []
    for r, color in zip(results, colors):
        xs = _x(r.lrs, x_axis)
        for part in which:
            arr = _finite_or_nan(r.val_loss if part == "val" else r.train_loss)
            arr[r.diverged] = np.nan                 # marked ✕ instead
            mean = r.mean(part)
            shown.append(arr)
            name = f"{r.label} {'validation' if part == 'val' else 'train'}"
            if show_band and arr.shape[0] > 1:
                with warnings.catch_warnings():   # an η where every seed diverged
                    warnings.simplefilter("ignore", RuntimeWarning)
                    lo, hi = np.nanmin(arr, axis=0), np.nanmax(arr, axis=0)
                ok = np.isfinite(lo) & np.isfinite(hi) & np.isfinite(mean)
                if ok.sum() > 1:
                    # lower edge, then the upper one filled down to it; hovering an edge
                    # says which seed it is
                    for edge, ys in (("best seed", lo), ("worst seed", hi)):
                        fig.add_trace(go.Scatter(
                            x=xs[ok], y=ys[ok], customdata=r.lrs[ok], mode="lines",
                            fill="tonexty" if edge == "worst seed" else None,
                            fillcolor=hex_to_rgba(color, 0.18 if part == "val" else 0.12),
                            line=dict(width=0, color=color), showlegend=False,
                            name=f"{name} {edge}", legendgroup=name,
                            hovertemplate=f"η = %{{customdata:.3g}}<br>{edge}: {part} loss "
                                          f"%{{y:.4g}}<extra>{r.label}</extra>"))
            fig.add_trace(go.Scatter(
                x=xs, y=mean, customdata=r.lrs, mode="lines+markers", name=name,
                legendgroup=name, marker=dict(size=8, color=color),
                line=dict(color=color, width=3, dash=VAL_DASH if part == "val" else "solid"),
                hovertemplate=(f"η = %{{customdata:.3g}}<br>{part} loss %{{y:.4g}}"
                               f" (mean of {arr.shape[0]} seed{'s' * (arr.shape[0] > 1)})"
                               f"<extra>{r.label}</extra>")))
    y_range = _log_range(shown) if log_y else _y_range(shown)
    for i, (r, color) in enumerate(zip(results, colors)):
        bad = r.diverged.any(axis=0)
        if bad.any():
            # At the top edge (in paper units, so it works on log and linear axes),
            # one row per optimizer so two optimizers' marks do not overlap.
            fig.add_trace(go.Scatter(
                x=_x(r.lrs[bad], x_axis), y=np.full(int(bad.sum()), 1.0 - 0.05 * i),
                yaxis="y2", mode="markers", cliponaxis=False,
                marker=dict(symbol="x", size=15, color=color, line=dict(width=1)),
                customdata=r.lrs[bad],
                name=f"{r.label} diverged", legendgroup=f"{r.label} diverged",
                hovertemplate="η = %{customdata:.3g} diverged (loss ended above "
                              "3× its start, or blew up)<extra>" + r.label + "</extra>"))
        best = r.best_lr("val")
        if best is not None and "val" in which:
            k = int(np.argmin(np.abs(r.lrs - best)))
            fig.add_trace(go.Scatter(
                x=_x([best], x_axis), y=[r.mean("val")[k]], mode="markers",
                marker=dict(symbol="star", size=20, color=color, line=dict(width=1, color="white")),
                name=f"{r.label} best validation", legendgroup=f"{r.label} best",
                hovertemplate=f"lowest validation loss at η = {best:.3g}<extra>{r.label}</extra>"))
    style(fig, title, X_AXES[x_axis], f"final {y_title}" + (", log scale" if log_y else ""),
          height=height)
    _axes(fig, x_axis)
    fig.update_yaxes(type="log" if log_y else "linear")
    if y_range:
        fig.update_yaxes(range=y_range)
    # an invisible 0–1 axis over the plot, for the ✕ row along the top
    fig.update_layout(hovermode="closest", yaxis2=dict(overlaying="y", range=[0, 1.02],
                                                       visible=False, fixedrange=True))
    return fig


def _log_range(arrays: Sequence[np.ndarray]) -> list[float] | None:
    """[low, high] in log10 units (plotly's convention for log axes) with a margin."""
    vals = np.concatenate([a[np.isfinite(a) & (a > 0)] for a in arrays] or [np.array([])])
    if not len(vals):
        return None
    lo, hi = np.log10(vals.min()), np.log10(vals.max())
    pad = max(0.05, 0.06 * (hi - lo))
    return [float(lo - pad), float(hi + pad)]
