"""2D toy problems in the spirit of TensorFlow Playground.

All generators draw from ``numpy.random.default_rng(seed)`` so a seed fixes the data
exactly; coordinates stay roughly within [-1.2, 1.2] so no input scaling is needed.
"""
from __future__ import annotations

import numpy as np
import torch

from .base import TaskData, dense_splits


def _circle(rng, n, noise, classes):
    n_in = n // 2
    r = np.concatenate([rng.uniform(0.0, 0.5, n_in), rng.uniform(0.7, 1.0, n - n_in)])
    angle = rng.uniform(0, 2 * np.pi, n)
    y = np.concatenate([np.zeros(n_in, int), np.ones(n - n_in, int)])
    pts = np.stack([r * np.cos(angle), r * np.sin(angle)], 1)
    return pts + rng.normal(0, noise * 0.25, pts.shape), y


def _xor(rng, n, noise, classes):
    pts = rng.uniform(-1, 1, (n, 2))
    # Keep points off the axes so the clean problem is separable.
    pts += np.sign(pts) * 0.05
    y = (pts[:, 0] * pts[:, 1] < 0).astype(int)
    return pts + rng.normal(0, noise * 0.25, pts.shape), y


def _gauss(rng, n, noise, classes):
    y = np.arange(n) % classes
    angle = 2 * np.pi * y / classes + np.pi / 4
    centres = 0.6 * np.stack([np.cos(angle), np.sin(angle)], 1)
    return centres + rng.normal(0, 0.12 + noise * 0.5, (n, 2)), y


def _spiral(rng, n, noise, classes):
    y = np.arange(n) % classes
    t = rng.uniform(0.05, 1.0, n)
    angle = 2 * np.pi * y / classes + 1.75 * 2 * np.pi * t / 2
    angle = angle + rng.normal(0, noise * 0.6, n)
    pts = np.stack([t * np.cos(angle), t * np.sin(angle)], 1)
    return pts, y


def _moons(rng, n, noise, classes):
    n_a = n // 2
    ta = rng.uniform(0, np.pi, n_a)
    tb = rng.uniform(0, np.pi, n - n_a)
    a = np.stack([np.cos(ta), np.sin(ta)], 1)
    b = np.stack([1 - np.cos(tb), 0.5 - np.sin(tb)], 1)
    pts = np.concatenate([a, b]) - np.array([0.5, 0.25])
    y = np.concatenate([np.zeros(n_a, int), np.ones(n - n_a, int)])
    return pts * 0.8 + rng.normal(0, noise * 0.25, pts.shape), y


GENERATORS = {"circle": _circle, "xor": _xor, "gauss": _gauss, "spiral": _spiral, "moons": _moons}
MULTICLASS = {"gauss", "spiral"}  # the ones whose class count follows config.classes


def points(name: str, n: int, noise: float, classes: int, seed: int):
    """Raw (points, labels) as numpy arrays; shuffled so the split is not by class."""
    rng = np.random.default_rng(seed)
    pts, y = GENERATORS[name](rng, n, noise, classes)
    order = rng.permutation(n)
    return pts[order].astype(np.float32), y[order].astype(np.int64)


def build(name: str, config) -> TaskData:
    classes = config.classes if name in MULTICLASS else 2
    pts, y = points(name, config.n_samples, config.noise, classes, config.seed)
    train, val, test = dense_splits(torch.from_numpy(pts), torch.from_numpy(y), config)
    return TaskData(name=name, kind="points2d", n_features=2, n_classes=classes,
                    class_names=[f"class {i}" for i in range(classes)],
                    train=train, val=val, test=test)
