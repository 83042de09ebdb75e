"""Read-only predictions from copied weights: decision boundaries and confusion matrices.

The UI never touches a live run's model; it rebuilds a replica from the snapshot's
weight copy and evaluates that, so drawing cannot race with training.
"""
from __future__ import annotations

import numpy as np
import torch

from playground.models import build_model


def replica(config, task, weights: dict) -> torch.nn.Module:
    """A fresh model with the given weights, in eval mode (dropout off)."""
    model = build_model(config, task)
    model.load_state_dict(weights)
    return model.eval()


def plane_bounds(points: np.ndarray, margin: float = 0.15) -> tuple[float, float, float, float]:
    """Square-ish bounds around 2D points with a relative margin."""
    lo, hi = points.min(0), points.max(0)
    pad = (hi - lo) * margin + 1e-6
    return float(lo[0] - pad[0]), float(hi[0] + pad[0]), float(lo[1] - pad[1]), float(hi[1] + pad[1])


@torch.no_grad()
def grid_probabilities(model: torch.nn.Module, bounds: tuple[float, float, float, float],
                       resolution: int = 80) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Class probabilities on a resolution×resolution grid: (xs, ys, probs[ny, nx, C])."""
    x0, x1, y0, y1 = bounds
    xs = np.linspace(x0, x1, resolution, dtype=np.float32)
    ys = np.linspace(y0, y1, resolution, dtype=np.float32)
    gx, gy = np.meshgrid(xs, ys)
    pts = torch.from_numpy(np.stack([gx.ravel(), gy.ravel()], 1))
    probs = torch.softmax(model(pts), 1).numpy()
    return xs, ys, probs.reshape(resolution, resolution, -1)


@torch.no_grad()
def confusion_matrix(model: torch.nn.Module, split, n_classes: int) -> np.ndarray:
    """counts[true, predicted] on a split."""
    inputs, targets = split.all()
    pred = model(*inputs).argmax(1)
    idx = targets * n_classes + pred
    return torch.bincount(idx, minlength=n_classes * n_classes).reshape(
        n_classes, n_classes).numpy()


def in_units(task, standardised: np.ndarray) -> np.ndarray:
    """A regression task's standardised values back in the target's own units."""
    return standardised * task.extra["target_std"] + task.extra["target_mean"]


@torch.no_grad()
def grid_values(model: torch.nn.Module, task, bounds: tuple[float, float, float, float],
                resolution: int = 48) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A regression model's output on a grid over the plane: (xs, ys, values[ny, nx]),
    in the target's units."""
    x0, x1, y0, y1 = bounds
    xs = np.linspace(x0, x1, resolution, dtype=np.float32)
    ys = np.linspace(y0, y1, resolution, dtype=np.float32)
    gx, gy = np.meshgrid(xs, ys)
    out = model(torch.from_numpy(np.stack([gx.ravel(), gy.ravel()], 1))).squeeze(-1)
    return xs, ys, in_units(task, out.numpy()).reshape(resolution, resolution)


@torch.no_grad()
def line_values(model: torch.nn.Module, task, lo: float, hi: float, n: int = 200
                ) -> tuple[np.ndarray, np.ndarray]:
    """A 1-input regression model's curve: (x [n], predicted values [n] in units)."""
    xs = np.linspace(lo, hi, n, dtype=np.float32)
    out = model(torch.from_numpy(xs[:, None])).squeeze(-1)
    return xs, in_units(task, out.numpy())


@torch.no_grad()
def split_predictions(model: torch.nn.Module, task, split) -> tuple[np.ndarray, np.ndarray]:
    """(true, predicted) values of a regression split, in the target's units."""
    inputs, targets = split.all()
    return in_units(task, targets.numpy()), in_units(task, model(*inputs).squeeze(-1).numpy())
