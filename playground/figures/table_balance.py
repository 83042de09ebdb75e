"""How many rows each class of a table's label has: one bar per class, in class order,
so a lopsided table (95% one class: a model can "win" by always saying it) shows."""
from __future__ import annotations

import plotly.graph_objects as go

from .theme import CLASS_COLORS, style


def class_balance_figure(balance: dict[str, int], label: str, height: int = 260) -> go.Figure:
    names, counts = list(balance), list(balance.values())
    total = max(1, sum(counts))
    fig = go.Figure(go.Bar(
        x=counts, y=names, orientation="h", name="rows",
        marker_color=[CLASS_COLORS[i % len(CLASS_COLORS)] for i in range(len(names))],
        text=[f"{c / total:.0%}" for c in counts], textposition="auto",
        hovertemplate="%{y}: %{x:,} rows<extra></extra>"))
    height = max(height, 60 + 34 * len(names))
    return style(fig, f"Class balance of {label}"[:60], "rows", None, height,
                 margin=dict(l=10, r=10, t=60, b=50), showlegend=False,
                 hovermode="closest",
                 yaxis=dict(type="category", autorange="reversed", automargin=True))
