"""What each hidden unit computes over the input plane (TF Playground's thumbnails).

From a *replica* (a model rebuilt from a snapshot's weight copy, never the live one):
every hidden layer's activations on a grid over the 2D task's plane, one small map per
unit. Zero initial weights give every unit of a layer the same map, which is the
point the init lesson makes.
"""
from __future__ import annotations

import numpy as np
import torch
from torch import nn

from playground.models.features import FeatureMap
from playground.training.health import activation_layers

THUMBNAIL = 12          # grid points per side of a unit's map (TF Playground: 10)


@torch.no_grad()
def unit_maps(model: nn.Module, bounds: tuple[float, float, float, float],
              resolution: int = THUMBNAIL) -> list[np.ndarray]:
    """Per hidden layer, activations [units, ny, nx] on a grid over ``bounds``
    (row 0 = lowest y). The model must take 2D points."""
    x0, x1, y0, y1 = bounds
    xs = np.linspace(x0, x1, resolution, dtype=np.float32)
    ys = np.linspace(y0, y1, resolution, dtype=np.float32)
    gx, gy = np.meshgrid(xs, ys)
    pts = torch.from_numpy(np.stack([gx.ravel(), gy.ravel()], 1))     # [ny·nx, 2]
    return [a.reshape(resolution, resolution, -1).permute(2, 0, 1).numpy().copy()
            for a in _activations(model, pts)]


@torch.no_grad()
def line_maps(model: nn.Module, lo: float, hi: float, resolution: int = THUMBNAIL
              ) -> list[np.ndarray]:
    """A 1-input model's units along its line: per hidden layer [units, 1, resolution]
    (a thumbnail then shows the activation as colour across x, left to right)."""
    xs = torch.linspace(lo, hi, resolution).unsqueeze(1)               # [resolution, 1]
    return [a.T.unsqueeze(1).numpy().copy() for a in _activations(model, xs)]


def _activations(model: nn.Module, inputs: torch.Tensor) -> list[torch.Tensor]:
    """Every hidden layer's output [batch, units] for ``inputs``."""
    outputs: list[torch.Tensor] = []
    hooks = [m.register_forward_hook(lambda _m, _i, out: outputs.append(out))
             for _, m in activation_layers(model)]
    try:
        model(inputs)
    finally:
        for h in hooks:
            h.remove()
    return outputs


def input_maps(bounds: tuple[float, float, float, float], resolution: int = THUMBNAIL,
               features: tuple[str, ...] | None = None) -> np.ndarray:
    """The network's inputs as maps [inputs, ny, nx] (its first column): x₁ and x₂, or
    the chosen input features of each grid point."""
    x0, x1, y0, y1 = bounds
    gx, gy = np.meshgrid(np.linspace(x0, x1, resolution, dtype=np.float32),
                         np.linspace(y0, y1, resolution, dtype=np.float32))
    if not features:
        return np.stack([gx, gy])
    pts = torch.from_numpy(np.stack([gx.ravel(), gy.ravel()], 1))
    values = FeatureMap(features)(pts).numpy()                        # [ny·nx, k]
    return values.T.reshape(len(features), resolution, resolution)


def signed_scale(kind: str, maps: np.ndarray) -> np.ndarray:
    """Activations onto [−1, 1] for a diverging colour scale: tanh as it is, sigmoid
    centred (2a − 1), unbounded kinds (ReLU, GELU, linear) divided by the layer's
    largest |a| (so a dead unit is 0, blank)."""
    if kind == "tanh":
        return np.clip(maps, -1, 1)
    if kind == "sigmoid":
        return np.clip(2 * maps - 1, -1, 1)
    top = float(np.abs(maps).max()) if maps.size else 0.0
    return maps / top if top > 0 else np.zeros_like(maps)
