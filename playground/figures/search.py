"""A search's trials as figures: objective per trial with the best so far, parallel
coordinates, a 2D map of two numeric fields, field importance, the best trial's curves
and the equal-budget race of samplers. Pure: trial records in, Plotly figures out."""
from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go

from playground.config.parse import format_value
from playground.figures.theme import FONT_SIZE, VAL_DASH, run_color, style

STATE_MARKS = {   # how each way a trial ended is drawn, and what the legend calls it
    "complete": ("circle", run_color(0), "trained its budget"),
    "pruned": ("x", run_color(4), "pruned (stopped early)"),
    "diverged": ("triangle-up", run_color(1), "diverged (recorded as worst)"),
    "failed": ("square-open", "#999999", "failed"),
}
UNITS = {"lr": "log scale", "weight_decay": "log scale", "width": "units", "batch_size": "examples",
         "hidden_layers": "layers", "dropout": "probability", "momentum": "fraction"}


def _is_log(field) -> bool:
    return getattr(field, "log", False)


def field_title(field) -> str:
    return f"{field.spec.label} ({UNITS.get(field.name, 'choice')})"


def _objective_axis(objective: str) -> dict:
    if objective.endswith("_acc"):
        return dict(range=[0, 1.02], tickformat=".0%")
    if objective.endswith("_r2"):          # R² runs from −99 (diverged) to 1: linear
        return dict()
    return dict(type="log")


def _hover(record) -> str:
    params = "<br>".join(f"{k} = {format_value(v)}" for k, v in record.params.items())
    value = "—" if record.value is None else f"{record.value:.4g}"
    return f"trial {record.number + 1}: {record.state}<br>{params}<br>objective {value}"


def trials_figure(records, best: list, objective_label: str, objective: str,
                  height: int = 400) -> go.Figure:
    """Each trial's objective in the order trials ended, marked by how it ended, and the
    best so far as a step line."""
    order = sorted(records, key=lambda r: r.ended)
    fig = go.Figure()
    for state, (symbol, color, label) in STATE_MARKS.items():
        pts = [(i + 1, r) for i, r in enumerate(order) if r.state == state
               and r.value is not None and math.isfinite(r.value)]
        if not pts:
            continue
        fig.add_trace(go.Scatter(
            x=[i for i, _ in pts], y=[r.value for _, r in pts], mode="markers", name=label,
            marker=dict(symbol=symbol, size=11, color=color, line=dict(width=2, color=color)),
            hovertext=[_hover(r) for _, r in pts], hoverinfo="text",
            customdata=[r.number for _, r in pts]))
    steps = [(i + 1, b) for i, b in enumerate(best) if b is not None]
    if steps:
        fig.add_trace(go.Scatter(x=[i for i, _ in steps], y=[b for _, b in steps],
                                 mode="lines", line=dict(shape="hv", width=3,
                                                         color=run_color(2)),
                                 name="best so far"))
    return style(fig, None, "trial (in the order they ended)", objective_label, height,
                 hovermode="closest", yaxis=_objective_axis(objective),
                 xaxis=dict(rangemode="tozero", dtick=max(1, len(order) // 10 or 1)))


def _dimension(field, values: list) -> dict:
    if not field.numeric or field.choices and not all(isinstance(v, (int, float))
                                                      for v in field.choices):
        choices = list(field.choices)
        return dict(label=field.spec.label, values=[choices.index(v) for v in values],
                    tickvals=list(range(len(choices))),
                    ticktext=[format_value(c) for c in choices])
    if _is_log(field):
        logs = [math.log10(v) for v in values]
        lo, hi = math.floor(math.log10(field.low)), math.ceil(math.log10(field.high))
        ticks = list(range(lo, hi + 1))
        return dict(label=f"{field.spec.label} (log)", values=logs, range=[lo, hi],
                    tickvals=ticks, ticktext=[format_value(10.0 ** t) for t in ticks])
    return dict(label=field.spec.label, values=list(values))


def parallel_figure(records, fields, objective_label: str, height: int = 400) -> go.Figure:
    """One line per trial through every searched field to its objective."""
    done = [r for r in records if r.value is not None and math.isfinite(r.value)
            and all(f.name in r.params for f in fields)]
    fig = go.Figure()
    if done:
        values = [r.value for r in done]
        dims = [_dimension(f, [r.params[f.name] for r in done]) for f in fields]
        dims.append(dict(label=objective_label, values=values))
        fig.add_trace(go.Parcoords(
            name="trials", dimensions=dims,
            labelfont=dict(size=FONT_SIZE), tickfont=dict(size=FONT_SIZE - 2),
            rangefont=dict(size=FONT_SIZE - 2),
            # the last axis is the objective: its colour needs no bar of its own
            line=dict(color=values, colorscale="Viridis", showscale=False)))
    fig = style(fig, None, None, None, height)
    fig.update_layout(margin=dict(l=90, r=90, t=90, b=40))
    return fig


def map_figure(records, x_field, y_field, objective_label: str, height: int = 420
               ) -> go.Figure:
    """Every trial at its two field values, coloured by its objective; pruned and
    diverged trials keep their own marks."""
    fig = go.Figure()
    usable = [r for r in records if x_field.name in r.params and y_field.name in r.params]
    done = [r for r in usable if r.state in ("complete", "pruned")
            and r.value is not None and math.isfinite(r.value)]
    if done:
        fig.add_trace(go.Scatter(
            x=[r.params[x_field.name] for r in done], y=[r.params[y_field.name] for r in done],
            mode="markers", name="trial (colour = objective)",
            marker=dict(size=16, color=[r.value for r in done], colorscale="Viridis",
                        symbol=["x" if r.state == "pruned" else "circle" for r in done],
                        showscale=True, line=dict(width=1, color="#555555"),
                        colorbar=dict(title=dict(text=objective_label),
                                      tickfont=dict(size=FONT_SIZE - 2))),
            hovertext=[_hover(r) for r in done], hoverinfo="text"))
    bad = [r for r in usable if r.state == "diverged"]
    if bad:
        symbol, color, label = STATE_MARKS["diverged"]
        fig.add_trace(go.Scatter(
            x=[r.params[x_field.name] for r in bad], y=[r.params[y_field.name] for r in bad],
            mode="markers", name=label, marker=dict(symbol=symbol, size=14, color=color),
            hovertext=[_hover(r) for r in bad], hoverinfo="text"))
    axis = lambda f: dict(type="log") if _is_log(f) else {}
    return style(fig, None, field_title(x_field), field_title(y_field), height,
                 hovermode="closest", xaxis=axis(x_field), yaxis=axis(y_field),
                 legend=dict(y=1.02))


def importance_figure(importances: dict[str, float], labels: dict[str, str],
                      height: int = 300) -> go.Figure:
    """How much of the objective's spread each field explains (fANOVA), largest on top."""
    items = sorted(importances.items(), key=lambda kv: kv[1])
    fig = go.Figure(go.Bar(x=[v for _, v in items], y=[labels.get(k, k) for k, _ in items],
                           orientation="h", marker=dict(color=run_color(0)),
                           name="importance", hovertemplate="%{y}: %{x:.0%}<extra></extra>"))
    return style(fig, None, "variance explained (fANOVA)", None,
                 height, hovermode="closest", xaxis=dict(range=[0, 1], tickformat=".0%"),
                 showlegend=False, margin=dict(l=190, r=30, t=30, b=60))


def best_curves_figure(record, height: int = 360,
                       loss_axis: str = "cross-entropy loss (nats)") -> go.Figure:
    """The best trial's minibatch and validation loss, per step."""
    c = record.curves or {}
    fig = go.Figure()
    if c.get("step"):
        fig.add_trace(go.Scatter(x=c["step"], y=c["loss"], mode="lines+markers",
                                 name="training loss (minibatch mean)",
                                 line=dict(color=run_color(0), width=3)))
        fig.add_trace(go.Scatter(x=c["step"], y=c["val_loss"], mode="lines+markers",
                                 name="validation loss",
                                 line=dict(color=run_color(0), width=3, dash=VAL_DASH)))
    return style(fig, None, "optimizer step", loss_axis, height, yaxis=dict(type="log"))


def race_figure(curves: dict[str, list], labels: dict[str, str], objective_label: str,
                objective: str, height: int = 400, title: str | None = None) -> go.Figure:
    """Best-so-far against trials for several samplers on the same budget."""
    fig = go.Figure()
    for i, (name, best) in enumerate(curves.items()):
        pts = [(k + 1, b) for k, b in enumerate(best) if b is not None]
        fig.add_trace(go.Scatter(x=[k for k, _ in pts], y=[b for _, b in pts], mode="lines",
                                 line=dict(shape="hv", width=3, color=run_color(i)),
                                 name=labels.get(name, name)))
    return style(fig, title, "trials spent", f"best {objective_label} so far", height,
                 yaxis=_objective_axis(objective), hovermode="x unified")


def spread(values) -> tuple[float, float]:
    arr = np.asarray([v for v in values if v is not None and math.isfinite(v)], float)
    return (float(arr.min()), float(arr.max())) if arr.size else (math.nan, math.nan)
