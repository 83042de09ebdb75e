"""What every task hands the engine: splits that can produce minibatches.

A split's ``take(idx)`` returns ``(inputs, targets)`` where ``inputs`` is a tuple
passed as ``model(*inputs)``. Dense tasks give one feature tensor; token tasks (the
lessons' text classifier) can give ``(tokens, offsets)`` without the engine caring.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import torch


class Split:
    """A dense split: features ``x`` (float or long) and integer labels ``y``."""

    def __init__(self, x: torch.Tensor, y: torch.Tensor):
        if len(x) != len(y):
            raise ValueError(f"features ({len(x)}) and labels ({len(y)}) differ in length")
        self.x = x
        self.y = y

    def __len__(self) -> int:
        return len(self.y)

    def take(self, idx: torch.Tensor) -> tuple[tuple[torch.Tensor, ...], torch.Tensor]:
        return (self.x.index_select(0, idx),), self.y.index_select(0, idx)

    def all(self) -> tuple[tuple[torch.Tensor, ...], torch.Tensor]:
        return (self.x,), self.y


@dataclass
class TaskData:
    """One dataset, split, ready to train on.

    ``kind`` tells the UI how to draw it ("points2d", "image", "tokens", "chars");
    ``model_kind`` tells :func:`playground.models.build_model` what to build.

    ``task`` is "classification" (integer labels ``y``, ``n_classes`` outputs) or
    "regression": one output (``n_classes`` = 1, ``class_names`` = [the target's name]),
    float32 targets ``y`` of shape [N] standardised with the training split's mean and
    std, kept as ``extra["target_mean"]`` / ``extra["target_std"]`` so RMSE can be
    reported in the target's own units (RMSE in units = standardised RMSE × std).
    """

    name: str
    kind: str
    n_features: int
    n_classes: int
    class_names: list[str]
    train: Any
    val: Any
    test: Any
    model_kind: str = "mlp"
    image_shape: tuple[int, int] | None = None
    extra: dict = field(default_factory=dict)  # vocabularies, itos tables, ...
    task: str = "classification"                # or "regression" (see above)

    @property
    def is_regression(self) -> bool:
        return self.task == "regression"


@dataclass(frozen=True)
class DatasetSpec:
    """A registry entry: how to build a task from a config, and what it needs."""

    name: str
    label: str
    kind: str
    description: str
    build: Callable[[Any], TaskData]
    total_size: Callable[[Any], int]
    # Config fields this dataset reads, so the UI only shows those.
    uses: tuple[str, ...] = ()
    extra_check: Callable[[Any], list] | None = None
    # "classification" or "regression", or a function of the config saying which (an
    # uploaded table's task follows its target column): what pages ask before building
    task: str | Callable[[Any], str] = "classification"

    def task_of(self, config) -> str:
        return self.task(config) if callable(self.task) else self.task

    def train_size(self, config) -> int:
        n_train, _, _ = split_sizes(self.total_size(config), config.val_fraction,
                                    config.test_fraction)
        return n_train

    def check(self, config) -> list:
        return list(self.extra_check(config)) if self.extra_check else []


def split_sizes(n: int, val_fraction: float, test_fraction: float) -> tuple[int, int, int]:
    """(train, val, test) counts; val always gets at least one example."""
    n_val = max(1, int(round(n * val_fraction)))
    n_test = int(round(n * test_fraction))
    return n - n_val - n_test, n_val, n_test


def split_indices(n: int, val_fraction: float, test_fraction: float, seed: int
                  ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """A seeded permutation cut into train/val/test index tensors."""
    g = torch.Generator().manual_seed(10_007 * seed + 1)
    perm = torch.randperm(n, generator=g)
    n_train, n_val, _ = split_sizes(n, val_fraction, test_fraction)
    return perm[:n_train], perm[n_train:n_train + n_val], perm[n_train + n_val:]


def dense_splits(x: torch.Tensor, y: torch.Tensor, config) -> tuple[Split, Split, Split]:
    tr, va, te = split_indices(len(y), config.val_fraction, config.test_fraction, config.seed)
    return Split(x[tr], y[tr]), Split(x[va], y[va]), Split(x[te], y[te])
