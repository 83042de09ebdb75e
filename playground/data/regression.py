"""Regression tasks: TF Playground's two (a plane, signed Gaussian bumps) and a 1-D fit.

Each draws its points from ``numpy.random.default_rng(seed)`` like :mod:`toy2d`, then
standardises the target with the *training* split's mean and std (the contract in
:class:`TaskData`'s docstring), so a model that predicts the mean scores an MSE of about 1
and RMSE in the target's own units is the standardised RMSE × std.
"""
from __future__ import annotations

import numpy as np
import torch

from .base import Split, TaskData, split_indices

# TF Playground's six bumps (centres on its [-6, 6]² plane, scaled to our [-1, 1]²)
BUMPS = ((-4, 2.5, 1), (0, 2.5, -1), (4, 2.5, 1), (-4, -2.5, -1), (0, -2.5, 1), (4, -2.5, -1))
BUMP_WIDTH = 0.25          # σ of each bump, on the [-1, 1]² plane
SIN_RANGE = 3.0            # x on [-3, 3]: a little under one period each side of 0


def _plane(rng, n, noise):
    pts = rng.uniform(-1, 1, (n, 2))
    y = pts[:, 0] + pts[:, 1]                                  # TF Playground's label x + y
    return pts, y + rng.normal(0, noise, n)


def _multi_gauss(rng, n, noise):
    pts = rng.uniform(-1, 1, (n, 2))
    y = np.zeros(n)
    for cx, cy, sign in BUMPS:
        d2 = (pts[:, 0] - cx / 6) ** 2 + (pts[:, 1] - cy / 6) ** 2
        y += sign * np.exp(-d2 / (2 * BUMP_WIDTH ** 2))
    return pts, y + rng.normal(0, noise * 0.5, n)


def _sin(rng, n, noise):
    x = rng.uniform(-SIN_RANGE, SIN_RANGE, (n, 1))
    return x, np.sin(x[:, 0]) + rng.normal(0, noise, n)


GENERATORS = {"plane": _plane, "multigauss": _multi_gauss, "sin": _sin}
KINDS = {"plane": "points2d", "multigauss": "points2d", "sin": "points1d"}
TARGET = "y"               # the target's name (charts title their axes "… (y)")


def points(name: str, n: int, noise: float, seed: int):
    """Raw (inputs [n, d], targets [n]) as float32 numpy arrays, unstandardised."""
    rng = np.random.default_rng(seed)
    x, y = GENERATORS[name](rng, n, noise)
    return x.astype(np.float32), y.astype(np.float32)


def standardised(x: torch.Tensor, y: torch.Tensor, config, name: str, kind: str,
                 target: str = TARGET) -> TaskData:
    """Split, then standardise ``y`` with the training split's mean and std (shared by
    every regression task, uploaded tables included, so they all obey one contract)."""
    tr, va, te = split_indices(len(y), config.val_fraction, config.test_fraction, config.seed)
    mean = float(y[tr].mean())
    std = float(y[tr].std(unbiased=False)) or 1.0      # a constant target: no scaling
    z = ((y - mean) / std).to(torch.float32)
    return TaskData(name=name, kind=kind, n_features=x.shape[1], n_classes=1,
                    class_names=[target], train=Split(x[tr], z[tr]), val=Split(x[va], z[va]),
                    test=Split(x[te], z[te]), task="regression",
                    extra={"target_mean": mean, "target_std": std})


def build(name: str, config) -> TaskData:
    x, y = points(name, config.n_samples, config.noise, config.seed)
    return standardised(torch.from_numpy(x), torch.from_numpy(y), config, name, KINDS[name])
