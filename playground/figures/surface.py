"""Loss-surface figures: contour with animated paths, 3-D surface, fidelity chart.

Pure functions from arrays to Plotly figures. Both the toy landscapes and a network's
plane use the same contour figure: colors are log-spaced (a surface spans orders of
magnitude; linear levels would show one blob and flat nothing), paths replay with a
Play button and a step slider over fixed axes.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from .surface_map import COLORSCALE, HOVER_POINTS, map_image
from .theme import FONT_SIZE, MIN_FONT, style

MAX_FRAMES = 40


@dataclass(frozen=True)
class PathTrace:
    name: str
    color: str
    x: np.ndarray
    y: np.ndarray
    steps: np.ndarray          # training step (or iteration) of each point
    z: np.ndarray | None = None  # loss at each point (hover; 3-D height)


def _log_z(z: np.ndarray, floor: float | None) -> tuple[np.ndarray, float, float]:
    """log10(z − floor + δ). With no floor given and positive values (a loss), the floor
    is 0: colors then show the loss itself on a log scale. δ keeps the minimum finite."""
    finite = z[np.isfinite(z)]
    if finite.size == 0:
        return np.full_like(z, np.nan, dtype=float), 0.0, 1.0
    low = float(finite.min())
    if floor is None:
        floor = 0.0 if low > 0 else low
    lo = min(float(floor), low)
    spread = float(finite.max()) - lo
    delta = 0.0 if low - lo > 0 else (max(spread * 1e-4, 1e-12) if spread > 0 else 1.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.log10(np.where(np.isfinite(z), z, np.nan) - lo + delta)
    return out, lo, delta


def _fmt(v: float) -> str:
    if not math.isfinite(v):
        return str(v)
    if v != 0 and (abs(v) >= 1e4 or abs(v) < 1e-3):
        return f"{v:.2e}"
    return f"{v:.4g}"


def _nice_ticks(a: float, b: float) -> list[float]:
    """Round values (1, 2, 5 × 10^k, or decades when the range is wide) in log space."""
    ticks = []
    for k in range(math.floor(a) - 1, math.ceil(b) + 1):
        for m in (1, 2, 5):
            t = math.log10(m) + k
            if a - 1e-9 <= t <= b + 1e-9:
                ticks.append((m, t))
    if len(ticks) > 8:
        ticks = [(m, t) for m, t in ticks if m == 1]
    if len(ticks) < 3:     # a narrow range: every round value of its leading digit
        ticks = [(m, math.log10(m * 10.0 ** k)) for k in range(math.floor(a) - 1,
                                                              math.ceil(b) + 1)
                 for m in np.arange(1.0, 10.0, 0.5 if b - a < 0.3 else 1.0)
                 if a - 1e-9 <= math.log10(m * 10.0 ** k) <= b + 1e-9]
    if len(ticks) < 3:
        return list(np.linspace(a, b, 5))
    return [t for _, t in ticks]


def _colorbar(zt: np.ndarray, lo: float, delta: float, title: str) -> dict:
    finite = zt[np.isfinite(zt)]
    a, b = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    ticks = _nice_ticks(a, b)
    text = [_fmt(float(f"{10 ** t - delta + lo:.3g}")) for t in ticks]
    return dict(title=dict(text=title, side="right"), tickvals=ticks, ticktext=text,
                len=0.9)


def _frame_steps(paths: list[PathTrace], max_frames: int) -> np.ndarray:
    last = max(float(p.steps[-1]) for p in paths if len(p.steps))
    first = min(float(p.steps[0]) for p in paths if len(p.steps))
    n = int(min(max_frames, max(2, max(len(p.steps) for p in paths))))
    return np.linspace(first, last, n)


def _upto(p: PathTrace, step: float) -> int:
    return max(1, int(np.searchsorted(p.steps, step, side="right")))


def contour_figure(xs, ys, z, paths: list[PathTrace], *, title: str, x_title: str,
                   y_title: str, z_title: str = "loss", floor: float | None = None,
                   minima=(), start=None, animate: bool = True,
                   step_label: str = "step", height: int = 600) -> go.Figure:
    """The landscape (log-spaced shades with contour lines) with every path, its start,
    the minima, and a replay.

    ``z[j, i]`` is the value at ``(xs[i], ys[j])``.

    The map is a picture under the axes (``layout.images``), not a contour trace:
    plotly.js hides heatmap and contour traces while frames animate other traces
    (plotly.js #4491, #4596), so ▶ Play used to erase the landscape; redrawing every
    frame brought it back only when a frame lasted longer than the ~170 ms the redraw
    takes. A picture is never touched by an animation, so frames can skip the redraw
    and the replay is smooth. An invisible grid of points gives the hover values and
    a colourless marker trace carries the colour bar.
    """
    xs, ys, z = np.asarray(xs, float), np.asarray(ys, float), np.asarray(z, float)
    zt, lo, delta = _log_z(z, floor)
    fig = go.Figure()
    finite = zt[np.isfinite(zt)]
    a, b = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    if len(xs) > 1 and len(ys) > 1:
        fig.add_layout_image(source=map_image(zt, a, b), xref="x", yref="y", x=xs[0],
                             y=ys[-1], sizex=xs[-1] - xs[0], sizey=ys[-1] - ys[0],
                             sizing="stretch", layer="below", xanchor="left", yanchor="top")
    fig.add_trace(go.Scatter(                          # the colour bar
        x=[None], y=[None], mode="markers", name=z_title, showlegend=False,
        hoverinfo="skip", marker=dict(colorscale=COLORSCALE, cmin=a, cmax=b, color=[a],
                                      showscale=True,
                                      colorbar=_colorbar(zt, lo, delta,
                                                         f"{z_title} (log scale)"))))
    hx, hy, hz = _hover_grid(xs, ys, z)
    fig.add_trace(go.Scatter(                          # hover values over the whole map
        x=hx, y=hy, customdata=hz, mode="markers", name=z_title, showlegend=False,
        marker=dict(size=12, opacity=0),
        hovertemplate=f"{x_title.split(' (')[0]} = %{{x:.3g}}<br>{y_title.split(' (')[0]} = "
                      f"%{{y:.3g}}<br>{z_title} = %{{customdata}}<extra></extra>"))
    for m in minima:
        fig.add_trace(go.Scatter(x=[m[0]], y=[m[1]], mode="markers", name="minimum",
                                 marker=dict(symbol="x", size=16, color="white",
                                             line=dict(width=2, color="black")),
                                 showlegend=m is minima[0],
                                 hovertemplate="minimum (%{x:.3g}, %{y:.3g})<extra></extra>"))
    if start is not None:
        fig.add_trace(go.Scatter(x=[start[0]], y=[start[1]], mode="markers", name="start",
                                 marker=dict(symbol="star", size=20, color="white",
                                             line=dict(width=2, color="black")),
                                 hovertemplate="start (%{x:.3g}, %{y:.3g})<extra></extra>"))
    first_path = len(fig.data)
    for p in paths:
        hover = (f"<b>{p.name}</b><br>{step_label} %{{customdata[0]:,}}<br>"
                 f"{z_title} %{{customdata[1]:.4g}}<extra></extra>")
        custom = np.column_stack([p.steps, p.z if p.z is not None else np.full(len(p.x), np.nan)])
        fig.add_trace(go.Scatter(x=p.x, y=p.y, mode="lines+markers", name=p.name,
                                 line=dict(color=p.color, width=3),
                                 marker=dict(size=4, color=p.color), customdata=custom,
                                 hovertemplate=hover))
        fig.add_trace(go.Scatter(x=p.x[-1:], y=p.y[-1:], mode="markers", showlegend=False,
                                 name=f"{p.name} (now)",
                                 hovertemplate=f"<b>{p.name}</b>: where it is now"
                                               "<extra></extra>",
                                 marker=dict(size=15, color=p.color,
                                             line=dict(width=2, color="white"))))
    style(fig, title, x_title, y_title, height=height)
    fig.update_layout(hovermode="closest", legend=dict(y=1.02, yanchor="bottom"))
    fig.update_xaxes(range=[xs[0], xs[-1]], autorange=False, showgrid=False, zeroline=False)
    fig.update_yaxes(range=[ys[0], ys[-1]], autorange=False, showgrid=False, zeroline=False)
    if animate and paths:
        _add_replay(fig, paths, first_path, step_label)
    return fig


def _add_replay(fig: go.Figure, paths: list[PathTrace], first: int, step_label: str) -> None:
    """go.Frames that grow each path up to a step, a Play/Pause pair and a slider."""
    frame_steps = _frame_steps(paths, MAX_FRAMES)
    indices = [first + 2 * k + j for k in range(len(paths)) for j in (0, 1)]
    frames = []
    for i, s in enumerate(frame_steps):
        data = []
        for p in paths:
            k = _upto(p, s)
            data.append(go.Scatter(x=p.x[:k], y=p.y[:k]))
            data.append(go.Scatter(x=p.x[k - 1:k], y=p.y[k - 1:k]))
        frames.append(go.Frame(data=data, traces=indices, name=str(i)))
    fig.frames = frames
    # The map is a picture (see contour_figure), so frames need no full redraw.
    play = dict(frame=dict(duration=80, redraw=False), transition=dict(duration=0),
                fromcurrent=False, mode="immediate")
    fig.update_layout(
        # below the x-axis title (which sits at about -0.1 of the plot's height)
        updatemenus=[dict(type="buttons", direction="left", x=0.0, y=-0.2, xanchor="left",
                          yanchor="top", pad=dict(t=10, r=10), showactive=False, buttons=[
                              dict(label="▶ Play", method="animate", args=[None, play]),
                              dict(label="❚❚ Pause", method="animate",
                                   args=[[None], dict(frame=dict(duration=0, redraw=False),
                                                      mode="immediate")])])],
        # the slider starts right of the two buttons, so its "step: N" label never
        # sits on the Pause button
        sliders=[dict(active=len(frames) - 1, x=0.27, len=0.73, y=-0.2, yanchor="top",
                      font=dict(size=MIN_FONT),
                      currentvalue=dict(prefix=f"{step_label}: ", font=dict(size=FONT_SIZE)),
                      steps=[dict(method="animate", label=f"{int(round(s)):,}",
                                  args=[[str(i)], dict(mode="immediate",
                                                       frame=dict(duration=0, redraw=False),
                                                       transition=dict(duration=0))])
                             for i, s in enumerate(frame_steps)])],
        margin=dict(b=190))


def _hover_grid(xs, ys, z):
    """Grid points for the map's hover text (every point up to HOVER_POINTS a side)."""
    sx = max(1, math.ceil(len(xs) / HOVER_POINTS))
    sy = max(1, math.ceil(len(ys) / HOVER_POINTS))
    gx, gy = np.meshgrid(xs[::sx], ys[::sy])
    text = np.vectorize(_fmt)(z[::sy, ::sx]) if z.size else z
    return (gx.ravel().astype(np.float32), gy.ravel().astype(np.float32),
            np.asarray(text).ravel())


def surface3d_figure(xs, ys, z, paths: list[PathTrace], *, title: str, x_title: str,
                     y_title: str, z_title: str = "loss", floor: float | None = None,
                     minima=(), start=None, height: int = 650) -> go.Figure:
    """The same surface in 3-D (log height), paths drawn on it at their loss values."""
    xs, ys, z = np.asarray(xs, float), np.asarray(ys, float), np.asarray(z, float)
    zt, lo, delta = _log_z(z, floor)

    floor_z = float(np.nanmin(zt)) if np.isfinite(zt).any() else 0.0
    # Paths float a hair above the surface so it does not hide them.
    hover = 0.015 * (float(np.nanmax(zt)) - floor_z) if np.isfinite(zt).any() else 0.0

    def lift(values) -> np.ndarray:
        # Paths reach deeper than any grid point near a minimum; resting them on the
        # surface's floor keeps them drawn on the surface instead of spiking below it.
        v = np.asarray(values, float)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.maximum(np.log10(np.maximum(v - lo + delta, 1e-300)), floor_z) + hover

    fig = go.Figure(go.Surface(x=xs, y=ys, z=zt, colorscale=COLORSCALE, opacity=0.92,
                               colorbar=_colorbar(zt, lo, delta, f"{z_title} (log scale)"),
                               text=np.vectorize(_fmt)(z) if z.size else z, name=z_title,
                               hovertemplate=f"{z_title} %{{text}}<extra></extra>"))
    for p in paths:
        if p.z is None:
            continue
        inside = ((p.x >= xs[0]) & (p.x <= xs[-1]) & (p.y >= ys[0]) & (p.y <= ys[-1]))
        fig.add_trace(go.Scatter3d(x=p.x[inside], y=p.y[inside], z=lift(p.z[inside]),
                                   mode="lines+markers", name=p.name,
                                   line=dict(color=p.color, width=6),
                                   marker=dict(size=2.5, color=p.color)))
    # The start sits at the paths' first height (they all begin there).
    start_z = next((float(lift(p.z[:1])[0]) for p in paths if p.z is not None and len(p.z)),
                   float(np.nanmax(zt)) if np.isfinite(zt).any() else 0.0)
    for label, pts, symbol, height_z in (("minimum", list(minima), "x", floor_z),
                                         ("start", [start] if start is not None else [],
                                          "diamond", start_z)):
        if pts:
            fig.add_trace(go.Scatter3d(
                x=[q[0] for q in pts], y=[q[1] for q in pts], z=[height_z] * len(pts),
                mode="markers", name=label,
                marker=dict(symbol=symbol, size=7, color="white",
                            line=dict(width=2, color="black"))))
    style(fig, title, height=height)
    ticks = _colorbar(zt, lo, delta, z_title)
    fig.update_layout(hovermode="closest", margin=dict(l=0, r=0, b=0), scene=dict(
        xaxis=dict(title=x_title.split(",")[0], range=[xs[0], xs[-1]]),
        yaxis=dict(title=y_title.split(",")[0], range=[ys[0], ys[-1]]),
        zaxis=dict(title=f"{z_title} (log)", tickvals=ticks["tickvals"],
                   ticktext=ticks["ticktext"]),
        aspectmode="manual", aspectratio=dict(x=1, y=1, z=0.7)))
    return fig
