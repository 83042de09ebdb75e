"""A regression run's output, drawn like the decision boundary: a value heatmap over
the plane (2D inputs), the fitted curve (1-D inputs), or predicted against true (any
other inputs, such as an uploaded table's columns)."""
from __future__ import annotations

import numpy as np

from playground.figures.fit import curve_fit_figure, parity_figure, value_map_figure
from playground.training.predict import (grid_values, in_units, line_values, plane_bounds,
                                         split_predictions)


def _xy(task, split) -> tuple[np.ndarray, np.ndarray]:
    return split.x.numpy(), in_units(task, split.y.numpy())


def fit_figure(model, task, step: int | None, show_val: bool):
    """The network's predictions at ``step`` (None = the data alone, before training)."""
    target = task.class_names[0]
    at = "" if step is None else f" · step {step:,}"
    train_x, train_y = _xy(task, task.train)
    val_x, val_y = _xy(task, task.val) if show_val else (None, None)
    if task.kind == "points2d":
        bounds = plane_bounds(train_x)
        xs, ys, values = (grid_values(model, task, bounds) if model is not None
                          else (None, None, None))
        title = "The data (training split)" if model is None else f"Network output{at}"
        return value_map_figure(bounds, xs, ys, values, target, train_x, train_y, val_x,
                                val_y, title=title)
    if task.kind == "points1d":
        lo, hi = float(train_x.min()), float(train_x.max())
        pad = 0.05 * (hi - lo)
        line = (line_values(model, task, lo - pad, hi + pad) if model is not None
                else (np.array([]), np.array([])))
        title = "The data (training split)" if model is None else f"Fitted curve{at}"
        return curve_fit_figure(*line, target, train_x[:, 0], train_y,
                                None if val_x is None else val_x[:, 0], val_y, title=title)
    if model is None:
        return None
    return parity_figure(*split_predictions(model, task, task.val), target,
                         title=f"Predicted against true (validation){at}")
