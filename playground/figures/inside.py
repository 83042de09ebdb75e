"""Everything the "Inside the network" panel draws, from a copy of a run's weights and
its layer health (pure: the Train page and bench/ui_payload.py call the same code)."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from playground.models.features import FEATURES, chosen
from playground.training.health import activation_layers
from playground.training.neurons import (THUMBNAIL, input_maps, line_maps, signed_scale,
                                         unit_maps)
from playground.training.predict import plane_bounds, replica

from .layer_health import activation_histogram_figure, update_ratio_figure
from .network import blocks_figure, mlp_diagram, network_figure, unit_map_figure

ENLARGED = 60           # grid points per side of the enlarged unit map


def input_names(task, config=None) -> list[str]:
    if task.kind == "points2d":
        features = chosen(config) if config is not None else None
        return [FEATURES[n][0] for n in features] if features else ["x₁", "x₂"]
    if task.kind == "image":
        return [f"pixel {i + 1}" for i in range(task.n_features)]
    if task.kind == "points1d":
        return ["x"]
    names = task.extra.get("feature_names") if isinstance(task.extra, dict) else None
    return list(names) if names else [f"feature {i + 1}" for i in range(task.n_features)]


def network_view(config, task, weights: dict, health, step: int):
    """The diagram: per-unit for MLPs (thumbnails on 2D tasks), blocks otherwise."""
    title = f"Network · step {step:,}"
    if task.model_kind != "mlp":
        return blocks_figure(_blocks(health), title)
    model = replica(config, task, weights)
    kinds = [kind for kind, _ in activation_layers(model)]
    maps = inputs = None
    if task.kind == "points2d":
        bounds = task.extra.get("plane") or plane_bounds(task.train.x.numpy())   # drawn: the canvas
        maps = [signed_scale(k, m) for k, m in zip(kinds, unit_maps(model, bounds))]
        features = chosen(config)
        # each input on its own scale (X₁² is never negative; sin X₁ stays small)
        inputs = np.stack([signed_scale("linear", m) for m in input_maps(
            bounds, features=features)])
    elif task.kind == "points1d":       # each unit along the line, as colour across x
        xs = task.train.x.numpy()[:, 0]
        lo, hi = float(xs.min()), float(xs.max())
        maps = [signed_scale(k, m) for k, m in zip(kinds, line_maps(model, lo, hi))]
        inputs = signed_scale("linear", np.linspace(lo, hi, THUMBNAIL)[None, None, :])
    columns, matrices = mlp_diagram(weights, input_names(task, config), task.class_names, kinds,
                                    health, maps, inputs)
    return network_figure(columns, matrices, title)


def _blocks(health) -> list[tuple[str, str]]:
    if health is None:
        return [("embedding", "statistics from step 100"), ("output", "")]
    names = list(health.matrices)
    blocks = []
    for i, name in enumerate(names):
        role = "embedding" if i == 0 else "output" if i == len(names) - 1 else "hidden"
        u = health.update_data[-1, i] if len(health.update_data) else float("nan")
        stats = [f"update 10^{u:.1f}" if math.isfinite(u) else "update –",
                 f"grad:data {health.grad_data[i]:.2g}"]
        if role == "hidden" and i - 1 < len(health.layers):
            layer = health.layers[i - 1]
            stats.append(f"activation std {layer.std:.2f}")
            if layer.saturated is not None:
                stats.append(f"saturated {layer.saturated:.0%}")
        blocks.append((f"{role} {name}", "<br>".join(stats)))
    return blocks


def unit_choices(health) -> list[tuple[int, int]]:
    """(layer, unit) of every hidden unit, for the "enlarge a unit" picker."""
    if health is None:
        return []
    return [(l, u) for l, layer in enumerate(health.layers) for u in range(layer.units)]


def enlarged_unit(config, task, weights: dict, layer: int, unit: int, step: int):
    model = replica(config, task, weights)
    kind = activation_layers(model)[layer][0]
    x, y = task.train.x.numpy(), task.train.y.numpy()
    bounds = task.extra.get("plane") or plane_bounds(x)
    values = signed_scale(kind, unit_maps(model, bounds, ENLARGED)[layer])[unit]
    return unit_map_figure(values, bounds, x, y,
                           f"hidden {layer + 1} unit {unit + 1} · step {step:,}")


def update_ratio_view(health, color: str, title: str = "Update size per weight matrix"):
    return update_ratio_figure(health.steps, health.update_data, health.matrices, color,
                               title)


def health_table(health) -> pd.DataFrame:
    """One row per hidden layer: its activation statistics and its matrix's ratios."""
    rows = []
    for i, layer in enumerate(health.layers):
        u = health.update_data[-1, i] if len(health.update_data) else float("nan")
        rows.append({"layer": layer.name, "units": layer.units, "mean": layer.mean,
                     "std": layer.std, "saturated": layer.saturated, "dead": layer.dead,
                     "gradient std": layer.grad_std,
                     "grad:data (in)": health.grad_data[i] if i < len(health.grad_data)
                     else None,
                     "log10 update:data (in)": u if math.isfinite(u) else None})
    return pd.DataFrame(rows)


def activations_view(health):
    return activation_histogram_figure(health.layers)


def gradients_view(health):
    return activation_histogram_figure(health.layers, grads=True)


__all__ = ["network_view", "enlarged_unit", "update_ratio_view", "activations_view",
           "gradients_view", "health_table", "unit_choices", "input_names"]
