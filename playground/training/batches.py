"""Which examples each step sees: a seeded shuffle per epoch, cut into minibatches."""
from __future__ import annotations

import math

import torch


class BatchOrder:
    """Minibatch indices that depend only on (seed, batch size, training-set size).

    A dedicated generator draws one permutation per epoch; batches are consecutive
    slices of it (the last one may be short). Full batch = the whole permutation.
    """

    def __init__(self, n: int, batch_size: int, seed: int):
        self.n = n
        self.batch_size = n if batch_size == 0 else min(batch_size, n)
        self.generator = torch.Generator().manual_seed(1_000_003 * seed + 17)
        self.steps_per_epoch = math.ceil(n / self.batch_size)
        self._perm = torch.randperm(n, generator=self.generator)
        self._pos = 0

    def next_size(self) -> int:
        """How many examples :meth:`next` will return (the last batch may be short)."""
        pos = self._pos if self._pos < self.n else 0
        return min(self.batch_size, self.n - pos)

    def next(self) -> torch.Tensor:
        if self._pos >= self.n:
            self._perm = torch.randperm(self.n, generator=self.generator)
            self._pos = 0
        idx = self._perm[self._pos:self._pos + self.batch_size]
        self._pos += self.batch_size
        return idx
