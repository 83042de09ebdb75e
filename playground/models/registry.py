"""Which model each task asks for: task.model_kind -> a builder, then the init scheme.

Model files register their builder with ``@register_model(kind)``; importing
``playground.models`` imports all of them, so ``build_model`` always finds every kind.
"""
from __future__ import annotations

from typing import Callable

from torch import nn

from .init import init_weights

# Builders for each model kind a task can ask for (mlp.py, text.py, window.py).
MODEL_BUILDERS: dict[str, Callable] = {}


def register_model(kind: str):
    def deco(fn):
        MODEL_BUILDERS[kind] = fn
        return fn
    return deco


def build_model(config, task) -> nn.Module:
    """The model for ``task`` with the config's architecture, initialized from its seed."""
    try:
        builder = MODEL_BUILDERS[task.model_kind]
    except KeyError:
        raise ValueError(f"no model registered for kind {task.model_kind!r}") from None
    model = builder(config, task)
    return init_weights(model, config.init, config.seed, config.init_std, config.activation)


def count_parameters(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())
