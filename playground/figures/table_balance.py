"""How many rows each class of a table's label has: one bar per class, in class order,
so a lopsided table (95% one class: a model can "win" by always saying it) shows."""
from __future__ import annotations

import plotly.graph_objects as go

from .theme import CLASS_COLORS, style


def class_balance_figure(balance: dict[str, int], label: str, height: int = 200) -> go.Figure:
    """Drawn in the sidebar (~250 px wide): class names cut to fit, the counts and
    shares written on the bars instead of crowded axis ticks."""
    names, counts = [_plain(n) for n in balance], list(balance.values())
    total = max(1, sum(counts))
    fig = go.Figure(go.Bar(
        x=counts, y=[_short(n) for n in names], orientation="h", name="rows",
        marker_color=[CLASS_COLORS[i % len(CLASS_COLORS)] for i in range(len(names))],
        text=[f"{c:,} ({c / total:.0%})" for c in counts], textposition="inside",
        insidetextanchor="start", customdata=names,
        hovertemplate="%{customdata}: %{x:,} rows<extra></extra>"))
    height = max(height, 110 + 30 * len(names))
    return style(fig, _short("Classes of " + _plain(label), 22), "rows", None, height,
                 margin=dict(l=10, r=10, t=50, b=50), showlegend=False,
                 hovermode="closest", xaxis=dict(showticklabels=False, showgrid=False),
                 yaxis=dict(type="category", autorange="reversed", automargin=True))


def _plain(text: str) -> str:
    """User text as Plotly shows it literally (it reads <b>, <a href> in labels)."""
    return str(text).replace("<", "‹").replace(">", "›")


def _short(text: str, limit: int = 10) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"
