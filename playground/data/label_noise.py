"""Label noise: a seeded share of the training labels flipped to another class.

Only the training split is flipped: validation and test keep the true labels, so they
measure how well a network ignores the noise (Zhang et al. 2017 corrupt training
labels the same way). Exactly ``round(fraction × n_train)`` labels change, each to one
of the other classes, chosen uniformly.
"""
from __future__ import annotations

import numpy as np
import torch

from .base import Split


def flipped(labels: np.ndarray, fraction: float, n_classes: int, seed: int
            ) -> tuple[np.ndarray, np.ndarray]:
    """(new labels, indices flipped). Seeded by ``seed`` alone: the same setup flips
    the same points."""
    labels = np.asarray(labels, dtype=np.int64)
    n = len(labels)
    k = int(round(fraction * n))
    if k == 0 or n_classes < 2:
        return labels.copy(), np.zeros(0, np.int64)
    rng = np.random.default_rng([seed, 7919])
    which = np.sort(rng.choice(n, size=k, replace=False))
    shift = rng.integers(1, n_classes, size=k)     # never 0: always another class
    out = labels.copy()
    out[which] = (labels[which] + shift) % n_classes
    return out, which


def noisy(train: Split, fraction: float, n_classes: int, seed: int) -> Split:
    """The training split with ``fraction`` of its labels flipped (itself at 0)."""
    if not fraction:
        return train
    y, _ = flipped(train.y.numpy(), fraction, n_classes, seed)
    return Split(train.x, torch.from_numpy(y))
