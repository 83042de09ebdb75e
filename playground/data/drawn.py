""""Draw your own": a 2D classification set whose points come from the config.

The points are the config's ``points`` text (see ``drawn_points.py``). The split is
stable under drawing: each point's place in the order comes from a seeded hash of its
grid cell, not from its index, so adding or removing one point moves at most a few
others between train and validation (a fresh shuffle of N+1 points would move about
a fifth of them on every click). The counts are exactly the usual split's.
"""
from __future__ import annotations

import numpy as np
import torch

from . import drawn_points
from .base import Split, TaskData, split_sizes
from .label_noise import noisy

MIN_POINTS = 5                      # leaves a training set of at least 3
PLANE_BOUNDS = drawn_points.PLANE + drawn_points.PLANE   # (x0, x1, y0, y1)


def cell_hash(cells: np.ndarray, seed: int) -> np.ndarray:
    """A seeded 32-bit hash [N] of each point's grid cell (cells [N, 2], 0..1023):
    integer mixing, murmur3's finaliser; uint64 products wrap, the mask keeps 32 bits."""
    h = ((cells[:, 0] * 1024 + cells[:, 1] + 1).astype(np.uint64) * 0x9E3779B1) & 0xFFFFFFFF
    h = (h + ((seed % 2**32) * 0x85EBCA77 & 0xFFFFFFFF)) & 0xFFFFFFFF
    h ^= h >> 16
    h = (h * 0x85EBCA6B) & 0xFFFFFFFF
    h ^= h >> 13
    h = (h * 0xC2B2AE35) & 0xFFFFFFFF
    return (h ^ (h >> 16)).astype(np.int64)


def split_order(xy: np.ndarray, seed: int) -> np.ndarray:
    """Indices sorted by cell hash (ties, two points in one cell, by index)."""
    return np.lexsort((np.arange(len(xy)), cell_hash(drawn_points.quantise(xy), seed)))


def split_indices(xy: np.ndarray, val_fraction: float, test_fraction: float, seed: int
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(train, val, test) indices, each in drawing order; validation first in the hash
    order, then test, the rest train."""
    _, n_val, n_test = split_sizes(len(xy), val_fraction, test_fraction)
    order = split_order(xy, seed)
    val, test = order[:n_val], order[n_val:n_val + n_test]
    train = order[n_val + n_test:]
    return np.sort(train), np.sort(val), np.sort(test)


def n_classes(labels: np.ndarray) -> int:
    return max(2, int(labels.max()) + 1) if len(labels) else 2


def build(config) -> TaskData:
    xy, labels = drawn_points.decode(config.points)
    if len(labels) < MIN_POINTS:
        raise ValueError(f"draw at least {MIN_POINTS} points (there are {len(labels)})")
    classes = n_classes(labels)
    tr, va, te = split_indices(xy, config.val_fraction, config.test_fraction, config.seed)
    x, y = torch.from_numpy(xy), torch.from_numpy(labels)
    split = {name: Split(x[torch.from_numpy(i)], y[torch.from_numpy(i)])
             for name, i in (("train", tr), ("val", va), ("test", te))}
    train = noisy(split["train"], config.label_noise, classes, config.seed)
    return TaskData(name="draw", kind="points2d", n_features=2, n_classes=classes,
                    class_names=[f"class {i}" for i in range(classes)],
                    train=train, val=split["val"], test=split["test"],
                    extra={"plane": PLANE_BOUNDS, "split": (tr, va, te)})


def check(config) -> list:
    """The points' problems, named by the field (the config's own check)."""
    from playground.config import ConfigError
    if not isinstance(config.points, str):
        return [ConfigError("points", f"must be text, got {config.points!r}")]
    why = drawn_points.problem(config.points)
    if why is not None:
        return [ConfigError("points", why)]
    _, labels = drawn_points.decode(config.points)
    if len(labels) < MIN_POINTS:
        return [ConfigError("points", f"draw at least {MIN_POINTS} points to train "
                            f"(there are {len(labels)})")]
    return []


def size(config) -> int:
    """How many points (0 when the text cannot be read: its check says why)."""
    try:
        return len(drawn_points.decode(config.points)[1])
    except (ValueError, KeyError):
        return 0
