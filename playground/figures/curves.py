"""Loss and accuracy curves for one run or several overlaid runs (pure functions).

Input is what :meth:`playground.history.History.view` returns, so the figures are the
same whether they show a live run, a finished one, or a comparison group. Curves are
downsampled to at most a few thousand points, so plain SVG scatter traces are fast
enough; WebGL traces would run into the browser's limit on live WebGL contexts when a
page redraws several charts every half second.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from .theme import VAL_DASH, hex_to_rgba, style

X_AXES = {
    "step": "optimizer step",
    "epoch": "epoch (passes over the training set)",
    "examples": "examples seen",
    "time": "training time (s)",
}


@dataclass(frozen=True)
class Curve:
    """One run's series to draw: its history view plus how to label and color it."""

    label: str
    color: str
    train: dict          # History.view()["train"]
    evals: dict          # History.view()["eval"]
    marker_step: float | None = None   # e.g. divergence step, drawn as an ✕


def ema(values: np.ndarray, smoothing: float) -> np.ndarray:
    """Bias-corrected exponential moving average; NaN/inf entries are skipped, not spread.

    ``smoothing`` is the weight of the past (0 = raw values, 0.99 = very smooth), the
    same convention as TensorBoard's slider.
    """
    values = np.asarray(values, dtype=float)
    if smoothing <= 0 or len(values) == 0:
        return values.copy()
    out = []
    avg, weight, keep = 0.0, 0.0, 1.0 - smoothing
    for v in values.tolist():            # plain floats: ~10× faster than numpy scalars
        if math.isfinite(v):
            avg = smoothing * avg + keep * v
            weight = smoothing * weight + keep
        out.append(avg / weight if weight > 0 else math.nan)
    return np.array(out)


def _finite(x: np.ndarray, *ys: np.ndarray):
    """Drop points where any coordinate is NaN/inf, as float32: half the bytes on the
    wire, and exact for step counts up to 16 million."""
    x = np.asarray(x)
    mask = np.isfinite(x)
    for y in ys:
        mask &= np.isfinite(y)
    return (x[mask].astype(np.float32),) + tuple(np.asarray(y)[mask].astype(np.float32)
                                                 for y in ys)


def _changes_only(x: np.ndarray, y: np.ndarray):
    """Keep the points where a step-shaped series changes (a constant LR = 2 points)."""
    if len(y) < 3:
        return x, y
    keep = np.ones(len(y), bool)
    keep[1:-1] = (y[1:-1] != y[:-2]) | (y[1:-1] != y[2:])
    return x[keep], y[keep]


def loss_figure(curves: list[Curve], x: str = "step", smoothing: float = 0.6,
                log_y: bool = False, show_band: bool = True, show_val: bool = True,
                title: str | None = "Loss (cross-entropy)", height: int = 420,
                words: tuple[str, str] = ("cross-entropy", "nats")) -> go.Figure:
    """Training loss (smoothed line + min/max band of the raw minibatch losses) and
    validation loss (dotted) for every curve, in one color per run. ``words``: the
    loss's name and unit (:func:`playground.training.losses.loss_words`)."""
    if words[0] != "cross-entropy" and title == "Loss (cross-entropy)":
        title = f"Loss ({words[0]})"
    fig = go.Figure()
    for c in curves:
        tr = c.train
        if tr and len(tr.get("step", ())):
            xs = tr[x]
            if show_band and "loss_min" in tr:
                bx, lo, hi = _finite(xs, tr["loss_min"], tr["loss_max"])
                if len(bx) > 1:
                    # Two edges, the upper filled down to the lower: hovering says what
                    # the shading is ("lowest / highest minibatch loss"), and mode
                    # "lines" keeps plotly from dotting short series with markers.
                    for edge, ys, word in (("min", lo, "lowest"), ("max", hi, "highest")):
                        fig.add_trace(go.Scatter(
                            x=bx, y=ys, mode="lines", line=dict(width=0, color=c.color),
                            fill="tonexty" if edge == "max" else None,
                            fillcolor=hex_to_rgba(c.color, 0.15), showlegend=False,
                            name=f"{c.label} · minibatch {edge}", legendgroup=c.label,
                            hovertemplate=f"{word} minibatch loss %{{y:.4f}}"
                                          f"<extra>{c.label}</extra>"))
            smooth = ema(tr["loss"], smoothing)
            smooth[~np.isfinite(tr["loss"])] = np.nan   # no line through the blow-up
            sx, sy = _finite(xs, smooth)
            fig.add_trace(go.Scatter(
                x=sx, y=sy, mode="lines", line=dict(color=c.color, width=3),
                name=f"{c.label} · train", legendgroup=c.label,
                hovertemplate="train loss %{y:.4f}<extra>" + c.label + "</extra>"))
        ev = c.evals
        if show_val and ev and len(ev.get("step", ())):
            vx, vy = _finite(ev[x], ev["val_loss"])
            fig.add_trace(go.Scatter(
                x=vx, y=vy, mode="lines+markers", marker=dict(size=5),
                line=dict(color=c.color, width=2.5, dash=VAL_DASH),
                name=f"{c.label} · validation", legendgroup=c.label,
                hovertemplate="val loss %{y:.4f}<extra>" + c.label + "</extra>"))
        if c.marker_step is not None and tr and len(tr.get("step", ())):
            _mark_divergence(fig, c, x)
    unit = words[1]
    return style(fig, title, X_AXES[x], f"loss ({unit}, log scale)" if log_y else
                 f"loss ({unit})", height, yaxis=dict(type="log" if log_y else "linear"))


def _mark_divergence(fig: go.Figure, c: Curve, x: str) -> None:
    tr = c.train
    idx = int(np.searchsorted(tr["step"], c.marker_step, side="left"))
    idx = min(idx, len(tr["step"]) - 1)
    finite = np.isfinite(tr["loss"][: idx + 1])
    if not finite.any():
        return
    last = np.nonzero(finite)[0][-1]
    fig.add_trace(go.Scatter(
        x=[tr[x][idx]], y=[tr["loss"][last]], mode="markers+text",
        marker=dict(symbol="x", size=16, color=c.color, line=dict(width=2)),
        # left of the mark, which sits at the right edge and often at the top: the
        # label stays inside the plot (and is never cut off by it)
        text=["diverged "], textposition="middle left", cliponaxis=False,
        textfont=dict(color=c.color), showlegend=False,
        name=f"{c.label} diverged", hovertemplate="diverged at step %{customdata}<extra></extra>",
        customdata=[c.marker_step]))


def accuracy_figure(curves: list[Curve], x: str = "step", title: str | None =
                    "Validation accuracy", height: int = 420) -> go.Figure:
    """Validation accuracy (%) and error rate axis for every curve."""
    fig = go.Figure()
    for c in curves:
        ev = c.evals
        if not ev or not len(ev.get("step", ())):
            continue
        ax, ay = _finite(ev[x], ev["val_acc"])
        fig.add_trace(go.Scatter(
            x=ax, y=100 * ay, mode="lines+markers", marker=dict(size=5),
            line=dict(color=c.color, width=3), name=c.label,
            hovertemplate="accuracy %{y:.1f}%<extra>" + c.label + "</extra>"))
    return style(fig, title, X_AXES[x], "accuracy (%)", height, yaxis=dict(range=[0, 101]))


def rmse_figure(curves: list[Curve], target: str, x: str = "step", title: str | None =
                "Validation RMSE", height: int = 420) -> go.Figure:
    """A regression run's validation RMSE in the target's own units (R² on hover)."""
    fig = go.Figure()
    for c in curves:
        ev = c.evals
        if not ev or not len(ev.get("step", ())) or "val_rmse" not in ev:
            continue
        ax, ay, r2 = _finite(ev[x], ev["val_rmse"], ev["val_r2"])
        fig.add_trace(go.Scatter(
            x=ax, y=ay, customdata=r2, mode="lines+markers", marker=dict(size=5),
            line=dict(color=c.color, width=3), name=c.label,
            hovertemplate=f"RMSE %{{y:.3g}} {target}, R² %{{customdata:.3f}}<extra>"
                          + c.label + "</extra>"))
    return style(fig, title, X_AXES[x], f"RMSE (units of {target})", height,
                 yaxis=dict(rangemode="tozero"))


def score_figure(curves: list[Curve], target: str | None, x: str = "step",
                 height: int = 420) -> go.Figure:
    """The validation chart: accuracy for classification, RMSE for a regression run
    (``target`` = the regression target's name, None for classification)."""
    if target is None:
        return accuracy_figure(curves, x, height=height)
    return rmse_figure(curves, target, x, height=height)


def lr_figure(curves: list[Curve], x: str = "step", height: int = 260) -> go.Figure:
    """The learning rate actually used at each step (shows schedules and live changes)."""
    fig = go.Figure()
    for c in curves:
        tr = c.train
        if not tr or not len(tr.get("step", ())):
            continue
        lx, ly = _changes_only(*_finite(tr[x], tr["lr"]))
        fig.add_trace(go.Scatter(x=lx, y=ly, mode="lines", name=c.label,
                                   line=dict(color=c.color, width=2.5, shape="hv")))
    return style(fig, "Learning rate", X_AXES[x], "learning rate (log scale)", height,
                 yaxis=dict(type="log"))
