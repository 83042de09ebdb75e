"""Figures for the Lessons page: pure functions from an evidence's series to Plotly.

Each lesson key maps to a function returning its figures in reading order. Colors
follow the house rules: optimizers keep their own color (SGD blue, Adam vermillion)
and other runs take the run palette in order.
"""
from __future__ import annotations

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .lesson_names import names_figures
from .theme import CLASS_COLORS, hex_to_rgba, optimizer_color, run_color, style


def _lines(curves: dict[str, tuple[list, list]], title: str, x_title: str, y_title: str,
           log_y: bool = False, colors: dict[str, str] | None = None) -> go.Figure:
    fig = go.Figure()
    for i, (name, (x, y)) in enumerate(curves.items()):
        color = (colors or {}).get(name, run_color(i))
        fig.add_trace(go.Scatter(x=x, y=y, name=name, mode="lines",
                                 line=dict(color=color, width=3)))
    style(fig, title, x_title, y_title)
    if log_y:
        fig.update_yaxes(type="log")
    return fig


# ----------------------------------------------------------------------- news
def news_figures(series: dict) -> list[go.Figure]:
    """Validation accuracy per epoch of every run (the notes' setup first), then the
    confusion matrix of the best model."""
    runs = {v["label"][0]: (v["epoch"], [a * 100 for a in v["val_accuracy"]])
            for v in series.values() if "label" in v}
    acc = _lines(runs, "Validation accuracy per epoch", "epoch", "validation accuracy (%)")
    acc.add_hline(y=100 / len(series["confusion"]["classes"]), line_dash="dot",
                  annotation_text="chance", line_color="#888888")
    return [acc, confusion_figure(series["confusion"]["matrix"], series["confusion"]["classes"],
                                  series["confusion"].get("model", [""])[0])]


def confusion_figure(matrix: list[list[int]], classes: list[str], model: str = "") -> go.Figure:
    fig = go.Figure(go.Heatmap(z=matrix, x=classes, y=classes, colorscale="Blues",
                               text=matrix, texttemplate="%{text}", textfont=dict(size=18),
                               colorbar=dict(title="headlines"),
                               hovertemplate="true %{y}, predicted %{x}: %{z}<extra></extra>"))
    style(fig, "Test set: true vs predicted topic" + (f" ({model})" if model else ""),
          "predicted topic", "true topic")
    fig.update_yaxes(autorange="reversed")
    fig.update_layout(hovermode="closest")
    return fig


def topic_probabilities_figure(probs: list[float], classes: list[str]) -> go.Figure:
    fig = go.Figure(go.Bar(x=[p * 100 for p in probs], y=classes, orientation="h",
                           marker_color=CLASS_COLORS[:len(classes)],
                           text=[f"{p:.0%}" for p in probs], textposition="auto"))
    style(fig, None, "probability (%)", "topic", height=260)
    fig.update_xaxes(range=[0, 100])
    fig.update_yaxes(autorange="reversed")
    fig.update_layout(hovermode="closest", showlegend=False)
    return fig


# ----------------------------------------------------------------------- dropout + init
INIT_COLORS = {"Xavier uniform": run_color(2), "N(0, 1)": run_color(3)}


def dropout_figures(series: dict) -> list[go.Figure]:
    d = series["dropout"]
    modes = _lines({"model.eval() (dropout off)": (d["step"], d["eval_mode"]),
                    "model.train() (dropout left on)": (d["step"], d["train_mode"])},
                   "Same weights, two ways to evaluate", "step", "validation loss (nats)")
    stats = series["layer_stats"]
    bars = go.Figure()
    for name, rows in stats.items():
        bars.add_trace(go.Bar(x=[r["layer"] for r in rows], y=[r["std"] for r in rows],
                              name=name, marker_color=INIT_COLORS.get(name),
                              text=[f"{r['std']:.3g}" for r in rows], textposition="outside"))
    style(bars, "Activation scale per layer at initialization", "layer (input → output)",
          "standard deviation (log scale)")
    bars.update_yaxes(type="log")
    bars.update_layout(barmode="group", hovermode="closest")
    c = series["init_curves"]
    curves = _lines({k: (c["step"], c[k]) for k in ("Xavier uniform", "N(0, 1)")},
                    "Training from each initialization", "step",
                    "validation loss (nats, log scale)", log_y=True, colors=INIT_COLORS)
    return [modes, bars, curves]


# ----------------------------------------------------------------------- fundamentals
def loss_vs_error_figures(series: dict) -> list[go.Figure]:
    """Loss (log axis) above the count of misclassified examples (linear, zoomed on the
    second half, where the staircase and the plateau at zero are the whole point)."""
    c = series["curves"]
    n = c["n_examples"][0]
    wrong = [round(e * n) for e in c["train_error"]]
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.08)
    fig.add_trace(go.Scatter(x=c["step"], y=c["train_loss"], name="cross-entropy",
                             line=dict(color=run_color(0), width=3)), row=1, col=1)
    fig.add_trace(go.Scatter(x=c["step"], y=wrong, name="misclassified examples",
                             line=dict(color=run_color(1), width=3, shape="hv")), row=2, col=1)
    style(fig, "One run, two measures (training set)", height=560)
    fig.update_xaxes(title_text="step", row=2, col=1)
    fig.update_yaxes(title_text="cross-entropy (nats, log)", type="log", row=1, col=1)
    tail = wrong[len(wrong) // 3:] or wrong
    fig.update_yaxes(title_text=f"misclassified (of {n:,})", row=2, col=1,
                     range=[-0.5, max(5, max(tail)) * 1.15])
    return [fig]


def minibatch_figures(series: dict) -> list[go.Figure]:
    c = series["curves"]
    fig = go.Figure()
    fig.add_trace(go.Scattergl(x=c["step"], y=c["minibatch_loss"], name="minibatch loss",
                               mode="lines", line=dict(color=hex_to_rgba(run_color(0), 0.45),
                                                       width=1)))
    fig.add_trace(go.Scatter(x=c["step"], y=c["full_train_loss"], name="full training-set loss",
                             mode="lines", line=dict(color=run_color(1), width=3)))
    style(fig, "Minibatch loss scatters around the full loss", "step",
          "cross-entropy (nats, log scale)")
    fig.update_yaxes(type="log")
    diff = [m - f for m, f in zip(c["minibatch_loss"], c["full_train_loss"])]
    hist = go.Figure(go.Histogram(x=diff, nbinsx=50, marker_color=run_color(0),
                                  name="minibatch − full"))
    hist.add_vline(x=0, line_color="#888888", line_dash="dash", annotation_text="no bias")
    style(hist, "Minibatch loss minus full loss, every step", "difference (nats)",
          "steps")
    hist.update_layout(hovermode="closest", showlegend=False)
    return [fig, hist]


def batch_budget_figures(series: dict) -> list[go.Figure]:
    return [_lines({k: (v["examples"], v["val_loss"]) for k, v in series.items()},
                   "Same number of training examples", "training examples seen",
                   "validation loss (nats)")]


def lr_range_figures(series: dict) -> list[go.Figure]:
    figures = [_lines({k: (v["step"], v["val_loss"]) for k, v in series.items()},
                      "Three learning rates, same start", "step", "validation loss (nats)")]
    if all("update_ratio" in v for v in series.values()):
        from .layer_health import GUIDE, GUIDE_BAND

        sizes = _lines({k: (v["update_step"], v["update_ratio"]) for k, v in series.items()},
                       "Update size per step", "step", "log10(std Δw / std w)")
        steps = [s for v in series.values() for s in v["update_step"]] or [0, 1]
        lo, hi = min(steps), max(steps)
        sizes.add_trace(go.Scatter(
            x=[lo, hi, hi, lo, lo], y=[GUIDE - GUIDE_BAND] * 2 + [GUIDE + GUIDE_BAND] * 2
            + [GUIDE - GUIDE_BAND], fill="toself", mode="lines", line=dict(width=0),
            fillcolor="rgba(0,158,115,0.15)", name="guide: about −3 (10⁻³)",
            hovertemplate="usual guide: updates about 1/1000 of the weights<extra></extra>"))
        figures.append(sizes)
    return figures


INIT_HEALTH_COLORS = {"Xavier uniform": run_color(2), "N(0, 1)": run_color(3),
                      "Zeros": run_color(7)}


def init_health_figures(series: dict) -> list[go.Figure]:
    """Per hidden layer and init: activation std, then the saturated share (tanh)."""
    out = []
    for what, title, y_title, scale in (
            ("std", "Activation spread per layer at initialization", "activation std", 1),
            ("saturated", "Saturated tanh units per layer (|a| > 0.97)",
             "saturated values (%)", 100)):
        fig = go.Figure()
        for name, rows in series.items():
            values = [v * scale for v in rows[what]]
            fig.add_trace(go.Bar(x=rows["layer"], y=values, name=name,
                                 marker_color=INIT_HEALTH_COLORS.get(name),
                                 hovertemplate=f"{name}<br>%{{x}}: %{{y:.3g}}<extra></extra>"))
        style(fig, title, "hidden layer (input → output)", y_title)
        fig.update_layout(barmode="group", hovermode="closest")
        out.append(fig)
    return out


def sgd_vs_adam_figures(series: dict) -> list[go.Figure]:
    labels = {"sgd": "SGD", "adam": "Adam", "sgd_tuned": "SGD, tuned rate"}
    runs = {k: v for k, v in series.items() if k != "target"}
    fig = _lines({labels.get(k, k): (v["step"], v["train_loss"]) for k, v in runs.items()},
                 "Same start, same batches", "step", "training loss (nats, log scale)",
                 log_y=True, colors={labels[k]: optimizer_color(k.split("_")[0])
                                     for k in labels})
    for trace in fig.data:
        if trace.name == labels["sgd_tuned"]:
            trace.line.dash = "dash"     # SGD's color, told apart by its dashes
    if "target" in series and runs:
        # A trace, not add_hline: hline annotations land in the wrong place on log axes.
        steps = [s for r in runs.values() for s in r["step"]]
        target = series["target"]["loss"][0]
        fig.add_trace(go.Scatter(x=[min(steps), max(steps)], y=[target, target], mode="lines",
                                 name=f"target {target:g}",
                                 line=dict(color="#888888", dash="dot", width=2)))
    return [fig]


def search_race_figures(series: dict) -> list[go.Figure]:
    """Best validation loss so far against trials spent, one line per sampler."""
    from playground.figures.search import race_figure

    labels = {"grid": "grid (3 × 3)", "tpe": "TPE", **{
        k: f"random (sampler seed {k.split('_')[1]})" for k in series if k.startswith("random_")}}
    curves = {k: v["best_val_loss"] for k, v in series.items() if k in labels}
    return [race_figure(curves, labels, "validation loss (nats)", "final_val_loss",
                        title="Same budget, three samplers: the best setup found so far")]


FIGURES = {
    "news": news_figures,
    "names": names_figures,
    "dropout_xavier": dropout_figures,
    "loss_vs_error": loss_vs_error_figures,
    "minibatch_vs_full": minibatch_figures,
    "batch_budget": batch_budget_figures,
    "lr_range": lr_range_figures,
    "init_health": init_health_figures,
    "sgd_vs_adam": sgd_vs_adam_figures,
    "search_race": search_race_figures,
}


def lesson_figures(key: str, series: dict) -> list[go.Figure]:
    return FIGURES[key](series)
