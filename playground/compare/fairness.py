"""Fairness of a comparison, checked on the runs' actual tensors.

The engine promises that initial weights depend only on (seed, architecture, init)
and batch order only on (seed, batch size, data). The Compare page states which of
these hold for its runs; this module verifies them on the real tensors once the runs
are built, so the statement on screen is a measurement, not a promise.
"""
from __future__ import annotations

from dataclasses import dataclass

import torch

from playground.training.batches import BatchOrder
from playground.training.trainer import Trainer


@dataclass(frozen=True)
class Fairness:
    """What was verified on the actual tensors once every member was built."""

    same_split: bool
    weight_groups: tuple[tuple[int, ...], ...]   # member indices with identical initial weights
    batch_groups: tuple[tuple[int, ...], ...]    # member indices with identical batch order


def verify_fairness(trainers: list[Trainer], start: list[torch.Tensor], epochs: int = 2
                    ) -> Fairness:
    """Compare the members' data, initial weights (``start``: each one's flattened weights
    before any update) and batch orders, tensor by tensor."""
    def same_split(a, b) -> bool:
        if a is b:
            return True
        return all(_same_tensors(getattr(a, s).all(), getattr(b, s).all())
                   for s in ("train", "val", "test"))

    split_ok = all(same_split(trainers[0].task, t.task) for t in trainers[1:])
    weights = _classes(len(trainers), lambda i, j: start[i].shape == start[j].shape
                       and torch.equal(start[i], start[j]))
    orders = []
    for t in trainers:   # replay each run's batch order from what it depends on
        order = BatchOrder(len(t.task.train), t.config.batch_size, t.config.seed)
        orders.append(torch.cat([order.next() for _ in range(epochs * order.steps_per_epoch)]))
    batches = _classes(len(trainers), lambda i, j: trainers[i].batch_size == trainers[j].batch_size
                       and torch.equal(orders[i], orders[j]))
    return Fairness(split_ok, weights, batches)


def _same_tensors(a, b) -> bool:
    (xa, ya), (xb, yb) = a, b
    return (len(xa) == len(xb) and all(torch.equal(p, q) for p, q in zip(xa, xb))
            and torch.equal(ya, yb))


def _classes(n: int, same) -> tuple[tuple[int, ...], ...]:
    out: list[list[int]] = []
    for i in range(n):
        for cls in out:
            if same(cls[0], i):
                cls.append(i)
                break
        else:
            out.append([i])
    return tuple(tuple(c) for c in out)
