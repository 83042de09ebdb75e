"""The network as a diagram (TF Playground's picture); its health charts: layer_health.py.

Nodes in columns (inputs → hidden layers → outputs), links coloured by the sign of their
weight (orange negative, blue positive, as TF Playground) with width ∝ |w| (clamped).
A wide layer shows its first units and "+N more". Hidden units of 2D tasks show their
activation over the input plane as a thumbnail (a picture under the axes, a few hundred
bytes each); a unit that is saturated or dead on the probe batch gets a red frame.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from .boundary import png_data_uri
from .theme import FONT_SIZE, hex_to_rgba, style

NEGATIVE, POSITIVE = "#F59322", "#0877BD"   # TF Playground's orange and blue
MARKED = "#D62728"                          # frame of a saturated or dead unit
MAX_UNITS = 8                               # units drawn per layer; the rest are "+N more"
WIDTHS = (0.7, 1.6, 2.8, 4.4, 6.5)          # px per |w| bucket
WIDTH_CLAMP = 1.0                           # |w| at and above this draws the widest line
# plotly's default template is 7 KB of every figure's JSON; these charts set their own
# colours and the page's theme sets the ink, so the live panel goes without it
LEAN = "none"
GAP_X, HALF = 5.0, 0.34                     # column spacing, half a node's side (data units)


@dataclass(frozen=True)
class Column:
    """One layer of the diagram."""
    title: str                         # "inputs", "hidden 1 (tanh)", "outputs"
    names: tuple[str, ...]             # every unit's name (all of them, not just those shown)
    notes: tuple[str, ...] = ()        # per unit: extra hover text ("saturated 80%")
    marked: tuple[bool, ...] = ()      # per unit: saturated or dead
    maps: np.ndarray | None = None     # [units, ny, nx] in [−1, 1], or None


def map_image(values: np.ndarray) -> np.ndarray:
    """[ny, nx] in [−1, 1] → RGB uint8, orange (−1) through white (0) to blue (+1),
    row 0 at the top (highest y)."""
    v = np.clip(np.nan_to_num(values), -1, 1)[::-1, :, None]
    white = np.array([255.0, 255.0, 255.0])
    neg = np.array([int(NEGATIVE[i:i + 2], 16) for i in (1, 3, 5)], float)
    pos = np.array([int(POSITIVE[i:i + 2], 16) for i in (1, 3, 5)], float)
    img = np.where(v < 0, white + (neg - white) * -v, white + (pos - white) * v)
    return np.clip(img, 0, 255).astype(np.uint8)


def _shown(n: int) -> int:
    return n if n <= MAX_UNITS else MAX_UNITS - 1      # the last row says "+N more"


def _ys(n_shown: int) -> np.ndarray:
    return (n_shown - 1) / 2 - np.arange(n_shown, dtype=float)


def network_figure(columns: list[Column], weights: list[np.ndarray],
                   title: str = "Network", height: int = 520) -> go.Figure:
    """``weights[l]`` [units of column l+1, units of column l] links column l to l+1."""
    if len(weights) != len(columns) - 1:
        raise ValueError(f"{len(columns)} columns need {len(columns) - 1} weight matrices, "
                         f"got {len(weights)}")
    fig = go.Figure()
    shown = [_shown(len(c.names)) for c in columns]
    ys = [_ys(n) for n in shown]
    xs = [GAP_X * i for i in range(len(columns))]
    # links, bucketed by sign and |w|: one trace per bucket (plotly has one width a
    # trace); coordinates as float32 with NaN gaps, so they travel as typed arrays
    segs: dict[tuple[bool, int], list[np.ndarray]] = {}
    for l, w in enumerate(weights):
        w = np.asarray(w, dtype=float)[:shown[l + 1], :shown[l]]          # [to, from]
        to, frm = np.meshgrid(np.arange(w.shape[0]), np.arange(w.shape[1]), indexing="ij")
        to, frm, value = to.ravel(), frm.ravel(), w.ravel()
        ok = np.isfinite(value)
        to, frm, value = to[ok], frm[ok], value[ok]
        x0, x1 = xs[l] + HALF, xs[l + 1] - HALF
        y0, y1 = ys[l][frm], ys[l + 1][to]
        level = np.minimum(len(WIDTHS) - 1, (len(WIDTHS) * np.minimum(np.abs(value), WIDTH_CLAMP)
                                             / WIDTH_CLAMP).astype(int))
        for positive in (True, False):
            for lv in range(len(WIDTHS)):
                pick = (value >= 0) == positive
                pick &= level == lv
                if not pick.any():
                    continue
                n = int(pick.sum())
                xy = np.full((2, n, 3), np.nan, dtype=np.float32)
                xy[0, :, 0], xy[0, :, 1] = x0, x1
                xy[1, :, 0], xy[1, :, 1] = y0[pick], y1[pick]
                segs.setdefault((positive, lv), []).append(xy.reshape(2, -1))
        # hover on each link's midpoint: (from, to, w) as numbers, the names in the template
        a, b = columns[l], columns[l + 1]
        fig.add_trace(go.Scatter(
            x=np.full(len(value), 0.5 * (x0 + x1), dtype=np.float32),
            y=(0.5 * (y0 + y1)).astype(np.float32), mode="markers",
            name=f"weights {a.title} → {b.title}", showlegend=False,
            marker=dict(size=7, color=np.where(value >= 0, 1, 0).astype(np.int8),
                        colorscale=[[0, NEGATIVE], [1, POSITIVE]], cmin=0, cmax=1,
                        opacity=0.35),
            customdata=np.stack([frm + 1, to + 1, value], 1).astype(np.float32),
            hovertemplate=f"{a.title} %{{customdata[0]}} → {b.title} %{{customdata[1]}}"
                          "<br>w = %{customdata[2]:.3g}<extra></extra>"))
    legend_done = set()
    for (positive, level), parts in sorted(segs.items(), key=lambda kv: -kv[0][1]):
        xy = np.concatenate(parts, 1)
        name = "positive weight (blue)" if positive else "negative weight (orange)"
        color = POSITIVE if positive else NEGATIVE
        fig.add_trace(go.Scatter(
            x=xy[0], y=xy[1], mode="lines", name=name, legendgroup=name,
            showlegend=name not in legend_done, connectgaps=False,
            line=dict(color=hex_to_rgba(color, 0.75), width=WIDTHS[level]),
            hovertemplate=f"{name}, line width ∝ |w|<extra></extra>"))
        legend_done.add(name)
    # nodes: frames as two outline traces (grey, red) rather than one shape each: plotly
    # validates every shape on its own (34 shapes cost 8 ms of a 25 ms build);
    # thumbnails as pictures; hover on a marker at the centre
    node_x, node_y, node_text = [], [], []
    annotations, images = [], []
    frames = {False: ([], []), True: ([], [])}
    for l, c in enumerate(columns):
        for i in range(shown[l]):
            x, y = xs[l], ys[l][i]
            marked = bool(c.marked[i]) if i < len(c.marked) else False
            fx, fy = frames[marked]
            fx += [x - HALF, x + HALF, x + HALF, x - HALF, x - HALF, None]
            fy += [y - HALF, y - HALF, y + HALF, y + HALF, y - HALF, None]
            if c.maps is not None and i < len(c.maps):
                # collected and set once: add_layout_image re-validates every earlier
                # picture (34 thumbnails took 160 ms that way, 2 ms at once)
                images.append(dict(
                    source=png_data_uri(map_image(c.maps[i])), xref="x", yref="y",
                    x=x - HALF, y=y + HALF, sizex=2 * HALF, sizey=2 * HALF,
                    sizing="stretch", layer="above"))
            note = c.notes[i] if i < len(c.notes) and c.notes[i] else ""
            node_x.append(x)
            node_y.append(y)
            node_text.append(f"{c.title}: {c.names[i]}" + (f"<br>{note}" if note else ""))
        extra = len(c.names) - shown[l]
        if extra > 0:
            annotations.append(dict(x=xs[l], y=ys[l][-1] - 1.0, text=f"+{extra} more",
                                    showarrow=False, font=dict(size=FONT_SIZE)))
        annotations.append(dict(x=xs[l], y=(shown[l] - 1) / 2 + 0.9, text=f"<b>{c.title}</b>",
                                showarrow=False, font=dict(size=FONT_SIZE)))
    fig.add_trace(go.Scatter(
        x=node_x, y=node_y, mode="markers", name="unit", showlegend=False,
        marker=dict(size=14, color="rgba(136,136,136,0.25)", symbol="square"),
        text=node_text, hovertemplate="%{text}<extra></extra>"))
    for marked, (fx, fy) in frames.items():
        if fx:
            name = "saturated or dead unit (red frame)" if marked else "unit frame"
            fig.add_trace(go.Scatter(
                x=fx, y=fy, mode="lines", showlegend=marked, name=name,
                line=dict(color=MARKED if marked else "#888888", width=4 if marked else 1),
                hovertemplate=f"{name}: its values at its centre<extra></extra>"))
    top = max(shown) / 2 + 1.4
    return style(fig, title, None, None, height, hovermode="closest",
                 annotations=annotations, images=images, template=LEAN,
                 xaxis=dict(visible=False, range=[-HALF - 0.9, xs[-1] + HALF + 0.9]),
                 yaxis=dict(visible=False, range=[-top, top], scaleanchor="x"))


def unit_map_figure(values: np.ndarray, bounds: tuple[float, float, float, float],
                    points: np.ndarray, labels: np.ndarray, title: str,
                    height: int = 420) -> go.Figure:
    """One unit's map, enlarged, with the training points over it (class by symbol)."""
    x0, x1, y0, y1 = bounds
    fig = go.Figure()
    fig.add_layout_image(dict(source=png_data_uri(map_image(values)), xref="x", yref="y",
                              x=x0, y=y1, sizex=x1 - x0, sizey=y1 - y0, sizing="stretch",
                              layer="below"))
    symbols = ["circle", "x", "diamond", "triangle-up", "square", "star"]
    if labels.dtype.kind == "f":         # a regression's targets: one set of points
        fig.add_trace(go.Scatter(
            x=points[:, 0], y=points[:, 1], mode="markers", name="training points",
            marker=dict(size=7, color="#333333"),
            hovertemplate="training point<br>x₁=%{x:.2f}, x₂=%{y:.2f}<extra></extra>"))
    for k in np.unique(labels) if labels.dtype.kind != "f" else ():
        mask = labels == k
        fig.add_trace(go.Scatter(
            x=points[mask, 0], y=points[mask, 1], mode="markers", name=f"class {k}",
            marker=dict(size=7, symbol=symbols[int(k) % len(symbols)], color="#333333"),
            hovertemplate=f"class {k}<br>x₁=%{{x:.2f}}, x₂=%{{y:.2f}}<extra></extra>"))
    return style(fig, title, "feature x₁", "feature x₂", height, hovermode="closest",
                 xaxis=dict(range=[x0, x1], showgrid=False, zeroline=False),
                 yaxis=dict(range=[y0, y1], showgrid=False, zeroline=False,
                            scaleanchor="x", scaleratio=1))


# ------------------------------------------------------------------ from a snapshot
def _unit_notes(layer) -> tuple[tuple[str, ...], tuple[bool, ...]]:
    notes, marked = [], []
    for u in range(layer.units):
        sat = float(layer.unit_saturated[u])
        dead = bool(layer.unit_dead[u])
        text = ("dead: 0 on every probe example" if dead else
                f"saturated on {sat:.0%} of probe examples" if layer.saturated is not None
                else "")
        notes.append(text)
        marked.append(dead or sat > 0.5)
    return tuple(notes), tuple(marked)


def mlp_diagram(weights: dict, input_names: list[str], class_names: list[str],
                kinds: list[str], health=None, maps: list[np.ndarray] | None = None,
                input_maps: np.ndarray | None = None) -> tuple[list[Column], list[np.ndarray]]:
    """Columns and link weights of an MLP from its state dict (``net.<i>.weight`` in
    forward order), with layer health (``training.health.Health``) on the hidden nodes
    and unit maps (already scaled to [−1, 1]) when the task is 2D."""
    matrices = [v.detach().numpy() if hasattr(v, "detach") else np.asarray(v)
                for k, v in weights.items() if k.endswith("weight") and len(v.shape) == 2]
    biases = [v.detach().numpy() if hasattr(v, "detach") else np.asarray(v)
              for k, v in weights.items() if k.endswith("bias")]
    columns = [Column("inputs", tuple(input_names), maps=input_maps)]
    layers = health.layers if health is not None else ()
    for h, w in enumerate(matrices[:-1]):
        units = w.shape[0]
        names = tuple(f"unit {u + 1}" for u in range(units))
        bias = biases[h] if h < len(biases) else np.zeros(units)
        notes = tuple(f"bias {float(bias[u]):.3g}" for u in range(units))
        marked: tuple[bool, ...] = ()
        if h < len(layers) and layers[h].units == units:
            health_notes, marked = _unit_notes(layers[h])
            notes = tuple("<br>".join(p for p in pair if p) for pair in zip(notes, health_notes))
        kind = kinds[h] if h < len(kinds) else ""
        columns.append(Column(f"hidden {h + 1} ({kind})" if kind else f"hidden {h + 1}",
                              names, notes, marked,
                              maps[h] if maps is not None and h < len(maps) else None))
    columns.append(Column("outputs", tuple(class_names)))
    return columns, matrices


def blocks_figure(blocks: list[tuple[str, str]], title: str = "Network",
                  height: int = 300) -> go.Figure:
    """The embedding → hidden → output models as a row of blocks: (name, statistics)
    per block, hover for the statistics."""
    fig = go.Figure()
    shapes, annotations = [], []
    for i, (name, stats) in enumerate(blocks):
        x = GAP_X * i
        shapes.append(dict(type="rect", x0=x - 1.1, x1=x + 1.1, y0=-0.6, y1=0.6,
                           line=dict(color="#888888", width=2),
                           fillcolor="rgba(8,119,189,0.12)"))
        annotations.append(dict(x=x, y=0.2, text=f"<b>{name}</b>", showarrow=False,
                                font=dict(size=FONT_SIZE)))
        annotations.append(dict(x=x, y=-0.25, text=stats.split("<br>")[0], showarrow=False,
                                font=dict(size=FONT_SIZE - 2)))
        if i:
            annotations.append(dict(x=x - 1.15, y=0, ax=x - GAP_X + 1.15, ay=0, xref="x",
                                    yref="y", axref="x", ayref="y", text="", showarrow=True,
                                    arrowhead=2, arrowwidth=2))
    fig.add_trace(go.Scatter(
        x=[GAP_X * i for i in range(len(blocks))], y=[0] * len(blocks), mode="markers",
        name="block", showlegend=False, marker=dict(size=30, opacity=0),
        text=[f"{n}<br>{s}" for n, s in blocks], hovertemplate="%{text}<extra></extra>"))
    return style(fig, title, None, None, height, hovermode="closest", shapes=shapes,
                 annotations=annotations,
                 xaxis=dict(visible=False, range=[-1.5, GAP_X * (len(blocks) - 1) + 1.5]),
                 yaxis=dict(visible=False, range=[-1, 1]))
