"""Figures of the Compare page: a group's runs overlaid, one color per optimizer.

Pure functions on plain data. The curve drawing itself is shared with the Train page
(:mod:`playground.figures.curves`); what is specific to a comparison lives here:
colors by optimizer that stay the same on every chart (``theme.colors_for``), legend
entries that say when a run diverged or was stopped, a linear loss axis scaled to the
starting losses (so one exploding run cannot flatten the others), and a bar chart of
where each run ended.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from playground.figures import curves
from playground.runs.status import Status
from playground.figures.theme import colors_for, style

# The x axes a comparison offers (keys of the history view) and their titles.
X_CHOICES = {"step": "steps", "examples": "examples seen", "time": "wall time"}


@dataclass(frozen=True)
class Member:
    """What the figures need to know about one run of the group."""

    label: str
    optimizer: str
    history: dict                 # snapshot.history
    status: Status = Status.RUNNING
    diverged_at: int | None = None


def legend_label(m: Member) -> str:
    if m.diverged_at is not None:
        return f"{m.label} ✕ diverged"
    if m.status in (Status.STOPPED, Status.FAILED):
        return f"{m.label} ({Status(m.status).value})"
    if m.status == Status.PAUSED:
        return f"{m.label} (paused)"
    return m.label


def group_curves(members: list[Member]) -> list[curves.Curve]:
    colors = colors_for([m.optimizer for m in members])
    return [curves.Curve(label=legend_label(m), color=color,
                         train=m.history.get("train", {}), evals=m.history.get("eval", {}),
                         marker_step=m.diverged_at)
            for m, color in zip(members, colors)]


def loss_figure(members: list[Member], x: str = "step", log_y: bool = False,
                smoothing: float = 0.6, show_val: bool = True,
                words: tuple[str, str] = ("cross-entropy", "nats")) -> go.Figure:
    _check_x(x)
    fig = curves.loss_figure(group_curves(members), x=x, smoothing=smoothing, log_y=log_y,
                             show_val=show_val, title="Loss: train (solid), validation "
                             "(dotted)", height=500, words=words)
    # One legend entry per run: the dotted validation line shares its run's color.
    for trace in fig.data:
        if trace.name and trace.name.endswith("· validation"):
            trace.showlegend = False
        elif trace.name and trace.name.endswith("· train"):
            trace.name = trace.name[: -len(" · train")]
    if not log_y:
        top = _start_scale(members)
        if top is not None:
            fig.update_yaxes(range=[0, top])
    return _live_friendly(fig)


def accuracy_figure(members: list[Member], x: str = "step") -> go.Figure:
    _check_x(x)
    return _live_friendly(curves.accuracy_figure(group_curves(members), x=x, height=500))


def score_figure(members: list[Member], target: str | None, x: str = "step") -> go.Figure:
    """Validation accuracy, or validation RMSE of regression runs (``target`` named)."""
    _check_x(x)
    return _live_friendly(curves.score_figure(group_curves(members), target, x=x, height=500))


def _live_friendly(fig: go.Figure) -> go.Figure:
    """SVG traces and the legend under the plot.

    These charts are redrawn twice a second; each WebGL redraw can take a new WebGL
    context and browsers drop the oldest past ~16 ("Too many active WebGL contexts"),
    blanking a chart. With at most 6 runs × 2,000 points per trace, SVG is fast enough.
    The legend goes below so up to six entries never collide with the title.
    """
    data = []
    for trace in fig.data:
        if trace.type == "scattergl":
            props = trace.to_plotly_json()
            props.pop("type", None)
            trace = go.Scatter(**props)
        data.append(trace)
    out = go.Figure(data=data, layout=fig.layout)
    # below the x-axis title, not on it; the room the legend had above the plot goes
    out.update_layout(legend=dict(orientation="h", yanchor="top", y=-0.28, xanchor="left",
                                  x=0), margin=dict(t=60, b=140))
    return out


def final_accuracy_figure(labels: list[str], optimizers: list[str],
                          accuracies: list[float | None]) -> go.Figure:
    """Where each run stands now: the latest validation accuracy as bars."""
    colors = colors_for(optimizers)
    values = [np.nan if a is None else 100.0 * a for a in accuracies]
    fig = go.Figure(go.Bar(
        x=labels, y=values, marker_color=colors,
        text=["–" if np.isnan(v) else f"{v:.1f}%" for v in values], textposition="outside",
        hovertemplate="%{x}: %{y:.1f}%<extra></extra>"))
    style(fig, "Latest validation accuracy", "run", "validation accuracy (%)", height=360)
    fig.update_yaxes(range=[0, 110])
    fig.update_layout(showlegend=False)
    return fig


def _check_x(x: str) -> None:
    if x not in X_CHOICES:
        raise ValueError(f"x must be one of {', '.join(X_CHOICES)}, got {x!r}")


def _start_scale(members: list[Member]) -> float | None:
    """1.3 × the largest starting (first finite) training loss, or None without data."""
    starts = []
    for m in members:
        loss = np.asarray(m.history.get("train", {}).get("loss", ()), float)
        finite = loss[np.isfinite(loss)]
        if len(finite):
            starts.append(float(finite[0]))
    return 1.3 * max(starts) if starts else None
