"""One look for every chart: projector-sized fonts and stable colors.

Colors are assigned by optimizer (SGD is always the same blue on every page) and, for
runs of the same optimizer, by run index. Figures leave backgrounds to Streamlit's
theme (``st.plotly_chart(theme="streamlit")``) so light and dark modes both work.
"""
from __future__ import annotations

import plotly.graph_objects as go

# Okabe-Ito-inspired, distinguishable for common color-vision deficiencies.
OPTIMIZER_COLORS = {
    "sgd": "#0072B2",       # blue
    "momentum": "#56B4E9",  # sky blue
    "nesterov": "#009E73",  # green
    "adam": "#D55E00",      # vermillion
    "adamw": "#E69F00",     # orange
    "rmsprop": "#CC79A7",   # purple-pink
    "adagrad": "#8C6D31",   # brown
}
RUN_COLORS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9",
              "#8C6D31", "#666666"]
# Class colors for decision boundaries and scatter plots (up to 10 classes: digits).
CLASS_COLORS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
                "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]
VAL_DASH = "dot"
FONT_SIZE = 16
TITLE_SIZE = 20


def optimizer_color(name: str) -> str:
    return OPTIMIZER_COLORS.get(name, "#666666")


def run_color(index: int) -> str:
    return RUN_COLORS[index % len(RUN_COLORS)]


def colors_for(optimizers: list[str]) -> list[str]:
    """Optimizer color for each run; repeats of one optimizer fall back to run colors
    so two Adam runs stay distinguishable."""
    seen: dict[str, int] = {}
    out = []
    for i, name in enumerate(optimizers):
        seen[name] = seen.get(name, 0) + 1
        out.append(optimizer_color(name) if seen[name] == 1 else run_color(i + 3))
    return out


def hex_to_rgba(color: str, alpha: float) -> str:
    c = color.lstrip("#")
    r, g, b = int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16)
    return f"rgba({r},{g},{b},{alpha})"


def _merge(base: dict, extra: dict) -> dict:
    out = dict(base)
    for k, v in extra.items():
        out[k] = _merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def style(fig: go.Figure, title: str | None = None, x_title: str | None = None,
          y_title: str | None = None, height: int = 420, **layout) -> go.Figure:
    """Apply the house style: big fonts, labelled axes, legend on its own line under the
    title. Extra ``layout`` keys (e.g. ``yaxis=dict(type="log")``) merge in, so the whole
    layout is set in one ``update_layout`` call: Plotly's per-call validation dominates
    the cost of a live refresh otherwise."""
    base = dict(
        title=dict(text=title, font=dict(size=TITLE_SIZE), y=0.98, yanchor="top",
                   x=0.01, xanchor="left") if title else None,
        font=dict(size=FONT_SIZE),
        height=height,
        margin=dict(l=70, r=20, t=95 if title else 50, b=60),
        legend=dict(orientation="h", yanchor="bottom", y=1.01, xanchor="left", x=0,
                    font=dict(size=FONT_SIZE - 2)),
        hovermode="x unified",
    )
    if x_title is not None:
        base["xaxis"] = dict(title=dict(text=x_title))
    if y_title is not None:
        base["yaxis"] = dict(title=dict(text=y_title))
    # One Layout construction instead of update_layout: Plotly's relayout path costs
    # several times more, and this runs on every live refresh.
    current = fig.layout.to_plotly_json()
    current.pop("template", None)   # re-validating the whole default template costs ~20 ms
    fig.layout = go.Layout(_merge(_merge(current, base), layout))
    return fig
