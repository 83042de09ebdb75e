"""The real ``torch.optim`` optimizer a config names, with its own settings.

On the fast path (:data:`playground.training.step.FAST`) it asks torch for its fused CPU
kernel; on the plain path, for torch's default implementation.
"""
from __future__ import annotations

from typing import Iterable

import torch


def make_optimizer(config, params: Iterable[torch.nn.Parameter], lr: float | None = None,
                   fast: bool | None = None) -> torch.optim.Optimizer:
    """The real ``torch.optim`` class for ``config.optimizer`` with its own settings."""
    from playground.training.step import FAST

    fast = FAST if fast is None else fast
    lr = config.lr if lr is None else lr
    name, wd = config.optimizer, config.weight_decay
    params = list(params)
    _fused = _fused_kernel if fast else _plain
    if name == "sgd":
        return _fused(torch.optim.SGD, params, lr=lr, weight_decay=wd)
    if name == "momentum":
        return _fused(torch.optim.SGD, params, lr=lr, momentum=config.momentum, weight_decay=wd)
    if name == "nesterov":
        # torch requires momentum > 0 for Nesterov; 0 would silently be plain SGD.
        return _fused(torch.optim.SGD, params, lr=lr, momentum=max(config.momentum, 1e-8),
                      nesterov=True, weight_decay=wd)
    if name == "adam":
        return _fused(torch.optim.Adam, params, lr=lr, betas=(config.beta1, config.beta2),
                      eps=config.eps, weight_decay=wd)
    if name == "adamw":
        return _fused(torch.optim.AdamW, params, lr=lr, betas=(config.beta1, config.beta2),
                      eps=config.eps, weight_decay=config.adamw_decay)
    if name == "rmsprop":   # no fused kernel in torch: the multi-tensor path instead
        return torch.optim.RMSprop(params, lr=lr, alpha=config.alpha, eps=config.eps,
                                   momentum=config.rmsprop_momentum,
                                   weight_decay=wd, foreach=True if fast else None)
    if name == "adagrad":
        return _fused(torch.optim.Adagrad, params, lr=lr, eps=config.eps, weight_decay=wd)
    raise ValueError(f"unknown optimizer {name!r}")


def _plain(cls, params: list, **settings) -> torch.optim.Optimizer:
    """torch's default implementation: what a reader of the docs would write."""
    return cls(params, **settings)


def _fused_kernel(cls, params: list, **settings) -> torch.optim.Optimizer:
    """The optimizer with torch's fused CPU kernel: one kernel per step instead of about
    eight small ops per tensor, ~30% faster for the small models here. Same maths; the
    last bits can differ from the one-tensor-at-a-time path, never between two runs.
    Falls back to the plain class where the kernel is unavailable."""
    try:
        return cls(params, fused=True, **settings)
    except (RuntimeError, ValueError, TypeError):
        return cls(params, **settings)
