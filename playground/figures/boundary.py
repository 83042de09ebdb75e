"""Decision boundaries, dataset previews and confusion matrices (pure functions)."""
from __future__ import annotations

import base64
import io

import numpy as np
import plotly.graph_objects as go
from PIL import Image

from .theme import CLASS_COLORS, FONT_SIZE, style


def _rgb(color: str) -> np.ndarray:
    c = color.lstrip("#")
    return np.array([int(c[i:i + 2], 16) for i in (0, 2, 4)], dtype=float)


def probability_image(probs: np.ndarray) -> np.ndarray:
    """Blend class colors by probability; uncertain regions fade toward white.

    probs: [ny, nx, C] → uint8 RGB image with row 0 at the *top* (highest y).
    """
    n_classes = probs.shape[-1]
    palette = np.stack([_rgb(CLASS_COLORS[i % len(CLASS_COLORS)]) for i in range(n_classes)])
    mixed = probs @ palette                                   # [ny, nx, 3]
    # Confidence 1/C (chance) → white, 1 → the full color (TF Playground look).
    conf = (probs.max(-1, keepdims=True) - 1.0 / n_classes) / (1 - 1.0 / n_classes)
    conf = 0.15 + 0.45 * np.clip(conf, 0, 1)   # pale enough for points to stand out
    img = 255 * (1 - conf) + mixed * conf
    return np.clip(img[::-1], 0, 255).astype(np.uint8)


def png_data_uri(img: np.ndarray) -> str:
    """An RGB or RGBA uint8 image as a data: URI (layout images)."""
    buf = io.BytesIO()
    Image.fromarray(img).save(buf, format="PNG", compress_level=6)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()


def _points(fig: go.Figure, pts: np.ndarray, labels: np.ndarray, class_names: list[str],
            hollow: bool, name_suffix: str) -> None:
    for k, name in enumerate(class_names):
        mask = labels == k
        if not mask.any():
            continue
        color = CLASS_COLORS[k % len(CLASS_COLORS)]
        fig.add_trace(go.Scatter(
            x=pts[mask, 0], y=pts[mask, 1], mode="markers", name=f"{name}{name_suffix}",
            marker=dict(size=8 if not hollow else 9, color=color,
                        symbol="circle-open" if hollow else "circle",
                        line=dict(width=1 if not hollow else 2.2,
                                  color="#222222" if not hollow else color)),
            hovertemplate=f"{name}{name_suffix}<br>x=%{{x:.2f}}, y=%{{y:.2f}}<extra></extra>"))


def boundary_figure(bounds: tuple[float, float, float, float] | None, probs: np.ndarray | None,
                    train_pts: np.ndarray, train_labels: np.ndarray, class_names: list[str],
                    val_pts: np.ndarray | None = None, val_labels: np.ndarray | None = None,
                    title: str = "Decision boundary", height: int = 460) -> go.Figure:
    """Predicted class over the plane (color = class, paleness = uncertainty) with the
    training points (filled) and optionally validation points (hollow)."""
    fig = go.Figure()
    if probs is not None and bounds is not None:
        x0, x1, y0, y1 = bounds
        fig.add_layout_image(dict(
            source=png_data_uri(probability_image(probs)), xref="x", yref="y",
            x=x0, y=y1, sizex=x1 - x0, sizey=y1 - y0, sizing="stretch", layer="below",
            opacity=1.0))
    _points(fig, train_pts, train_labels, class_names, False, " (train)")
    if val_pts is not None and val_labels is not None and len(val_pts):
        _points(fig, val_pts, val_labels, class_names, True, " (validation)")
    axes = {}
    if bounds is not None:
        axes = dict(xaxis=dict(range=[bounds[0], bounds[1]], showgrid=False, zeroline=False),
                    yaxis=dict(range=[bounds[2], bounds[3]], showgrid=False, zeroline=False,
                               scaleanchor="x", scaleratio=1))
    return style(fig, title, "feature x₁", "feature x₂", height, hovermode="closest", **axes)


def digits_preview_figure(images: np.ndarray, labels: np.ndarray, n: int = 15,
                          per_row: int = 5, title: str = "Sample training digits",
                          height: int = 520) -> go.Figure:
    """A mosaic of the first ``n`` 8×8 digits, each with its label in the gap above it
    (never on the pixels), large enough to read the strokes from the back of a room."""
    n = min(n, len(images))
    rows = (n + per_row - 1) // per_row
    top, side = 4, 2                        # label band above each image; gap between
    cell_h, cell_w = 8 + top, 8 + side
    mosaic = np.full((rows * cell_h, per_row * cell_w), np.nan)
    fig = go.Figure()
    for i in range(n):
        r, c = divmod(i, per_row)
        y0, x0 = r * cell_h + top, c * cell_w
        mosaic[y0:y0 + 8, x0:x0 + 8] = images[i].reshape(8, 8)
        fig.add_annotation(x=x0 + 3.5, y=y0 - 1.6, text=f"<b>{int(labels[i])}</b>",
                           showarrow=False, font=dict(size=FONT_SIZE + 2))
    fig.add_trace(go.Heatmap(z=mosaic, colorscale="Greys", showscale=False,
                             hovertemplate="pixel intensity %{z:.0f} of 16<extra></extra>"))
    return style(fig, title, None, None, height, xaxis=dict(visible=False),
                 yaxis=dict(visible=False, autorange="reversed", scaleanchor="x"),
                 hovermode="closest")


def confusion_figure(counts: np.ndarray, class_names: list[str],
                     title: str = "Validation confusion matrix", height: int = 460) -> go.Figure:
    """Rows = true class, columns = predicted class; cells show counts."""
    total = counts.sum(1, keepdims=True).clip(min=1)
    # Counts in the cells only while they stay legible (digits yes, 27 letters no).
    fig = go.Figure(go.Heatmap(
        z=counts / total, x=class_names, y=class_names, colorscale="Blues", zmin=0, zmax=1,
        text=counts, texttemplate="%{text}" if len(class_names) <= 12 else None,
        colorbar=dict(title="share of row"),
        hovertemplate="true %{y}, predicted %{x}: %{text}<extra></extra>"))
    return style(fig, title, "predicted class", "true class", height,
                 yaxis=dict(autorange="reversed", type="category", automargin=True),
                 xaxis=dict(type="category", automargin=True))   # long class names (tables)
