"""The one training step every run takes: forward, loss, backward, clip, update.

The Trainer, the LR range test, short runs, lesson evidence and comparison packs all
step through :class:`Step`, so "same seed" means the same arithmetic everywhere.

The fast path sits beside the plain one, behind one switch, ``FAST``:

* plain (``FAST = False``): the textbook loop, ``optimizer.zero_grad()``,
  ``loss.backward()``, ``optimizer.step()``, with torch's default optimizer
  implementation. Read this one first.
* fast (``FAST = True``, the default): the same maths with torch's fused CPU kernel
  (``fused=True``), called directly instead of through ``Optimizer.step``'s Python,
  and gradients cleared by setting ``.grad = None`` (:mod:`playground.training.fast`).
  A digits MLP step (64-64-64-10, batch 64, Adam) measured 281 µs of CPU against 506 µs
  on the plain path, on this project's 2-core machine.

A test trains the same run both ways and gets the same weights (to float rounding:
the fused kernel adds in another order). Comparison packs have their own fast path
(a batched pass for several runs, :mod:`playground.compare.packed`) behind the same
switch.
"""
from __future__ import annotations

import math
from typing import Callable

import torch
import torch.nn.functional as F

from playground.training.fast.lean import lean_step

FAST = True


class Step:
    """One optimizer step of ``model`` on a minibatch, with clipping."""

    def __init__(self, model: torch.nn.Module, optimizer: torch.optim.Optimizer,
                 clip: float = 0.0, fast: bool = FAST,
                 loss: Callable[..., torch.Tensor] = F.cross_entropy):
        self.model, self.optimizer, self.clip, self.loss = model, optimizer, clip, loss
        self.params = [p for g in optimizer.param_groups for p in g["params"]]
        if fast:
            self._update, self._clear = lean_step(optimizer)
        else:
            self._update = optimizer.step
            self._clear = lambda: optimizer.zero_grad(set_to_none=True)

    def __call__(self, inputs: tuple, targets: torch.Tensor) -> float:
        """Forward, backward, update on one minibatch; returns the loss *before* the
        update (what every curve and every reference plots)."""
        loss = self.loss(self.model(*inputs), targets)     # mean over the minibatch
        self._clear()
        loss.backward()
        value = loss.item()
        self.update(value)
        return value

    def update(self, value: float) -> None:
        """Clip and update once ``.grad`` holds the gradient of a loss worth ``value``
        (also called by comparison packs, which compute several runs' gradients in one
        pass). A non-finite loss takes no update: the run has diverged."""
        if math.isfinite(value):
            if self.clip > 0:
                torch.nn.utils.clip_grad_norm_(self.params, self.clip)
            self._update()
