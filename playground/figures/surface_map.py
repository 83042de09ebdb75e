"""The contour map of a loss surface as one picture.

plotly.js hides contour and heatmap traces while an animation plays (the ▶ Play replay of
the paths), so the map is drawn as a layout image instead: a PNG of shaded log-loss
levels with thin contour lines, which animations leave alone.
"""
from __future__ import annotations

import numpy as np

from .boundary import png_data_uri

# Grey, light in the valleys: every optimizer color (blue, orange, green, pink…) stays
# readable on it, on a projector, in light and dark themes.
COLORSCALE = [[0.0, "#fbfbfb"], [0.35, "#d9d9d9"], [0.7, "#9a9a9a"], [1.0, "#505050"]]

MAP_PIXELS = 480        # the picture's longer side: crisp contour lines on a projector
MAP_LEVELS = 30         # contour lines, evenly spaced in log z
HOVER_POINTS = 50       # hover values on at most 50 × 50 points


def map_image(zt: np.ndarray, a: float, b: float) -> str:
    """``zt`` (log z, row 0 = lowest y) as a PNG: shades of COLORSCALE between ``a`` and
    ``b``, thin dark contour lines at MAP_LEVELS levels, transparent where z is not
    finite. Interpolated to MAP_PIXELS so the lines stay thin when stretched."""
    ny, nx = zt.shape
    scale = max(1, MAP_PIXELS // max(nx, ny))
    gy = np.linspace(0, ny - 1, ny * scale)
    gx = np.linspace(0, nx - 1, nx * scale)
    filled = np.where(np.isfinite(zt), zt, b)
    rows = np.array([np.interp(gx, np.arange(nx), r) for r in filled])          # (ny, X)
    fine = np.array([np.interp(gy, np.arange(ny), c) for c in rows.T]).T        # (Y, X)
    # where z is not finite (a blow-up): transparent, at the nearest grid point
    bad = (~np.isfinite(zt))[np.rint(gy).astype(int)][:, np.rint(gx).astype(int)]
    t = np.clip((fine - a) / (b - a), 0, 1) if b > a else np.zeros_like(fine)
    stops = np.array([s for s, _ in COLORSCALE])
    colours = np.array([[int(c[i:i + 2], 16) for i in (1, 3, 5)] for _, c in COLORSCALE], float)
    rgb = np.stack([np.interp(t, stops, colours[:, k]) for k in range(3)], axis=-1)
    level = np.floor(t * MAP_LEVELS)
    edge = np.zeros_like(t, dtype=bool)
    edge[:, 1:] |= level[:, 1:] != level[:, :-1]
    edge[1:, :] |= level[1:, :] != level[:-1, :]
    rgb[edge] *= 0.82                                  # a faint dark line
    alpha = np.where(bad, 0, 255)
    img = np.concatenate([rgb, alpha[..., None]], axis=-1)[::-1]    # row 0 = top
    return png_data_uri(np.clip(img, 0, 255).astype(np.uint8))
