"""Models and weight initialization.

Initial weights depend only on (seed, architecture, init scheme): every scheme draws
from a dedicated ``torch.Generator`` seeded from the config's seed, never from the
global RNG, so choosing another optimizer cannot change where training starts.
"""
from __future__ import annotations

from typing import Callable

import torch
from torch import nn

ACTIVATION_MODULES: dict[str, Callable[[], nn.Module]] = {
    "relu": nn.ReLU,
    "tanh": nn.Tanh,
    "sigmoid": nn.Sigmoid,
    "gelu": nn.GELU,
    "linear": nn.Identity,
}
# torch.nn.init's name for the gain of each activation (GELU is close to ReLU).
_GAIN_NAME = {"relu": "relu", "tanh": "tanh", "sigmoid": "sigmoid", "gelu": "relu",
              "linear": "linear"}


class MLP(nn.Module):
    """inputs → [Linear → activation → Dropout] × hidden_layers → Linear → logits."""

    def __init__(self, n_in: int, n_out: int, hidden: list[int], activation: str = "relu",
                 dropout: float = 0.0):
        super().__init__()
        layers: list[nn.Module] = []
        width_in = n_in
        for width in hidden:
            layers += [nn.Linear(width_in, width), ACTIVATION_MODULES[activation]()]
            if dropout > 0:
                layers.append(nn.Dropout(dropout))
            width_in = width
        layers.append(nn.Linear(width_in, n_out))
        self.net = nn.Sequential(*layers)
        self.activation = activation

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x)


def init_weights(model: nn.Module, scheme: str, seed: int, std: float = 1.0,
                 activation: str = "relu") -> nn.Module:
    """Apply ``scheme`` to every weight matrix (and embedding table); zero every bias.

    Parameters are visited in registration order with one generator, so the result is
    a pure function of (seed, architecture, scheme).
    """
    g = torch.Generator().manual_seed(seed)
    gain_name = _GAIN_NAME.get(activation, "linear")
    with torch.no_grad():
        for name, p in model.named_parameters():
            if p.dim() < 2:
                p.zero_()
                continue
            if scheme == "xavier_uniform":
                nn.init.xavier_uniform_(p, generator=g)
            elif scheme == "xavier_normal":
                nn.init.xavier_normal_(p, generator=g)
            elif scheme == "kaiming_uniform":
                nn.init.kaiming_uniform_(p, nonlinearity=gain_name, generator=g)
            elif scheme == "kaiming_normal":
                nn.init.kaiming_normal_(p, nonlinearity=gain_name, generator=g)
            elif scheme == "orthogonal":
                nn.init.orthogonal_(p, generator=g)
            elif scheme == "normal":
                nn.init.normal_(p, 0.0, std, generator=g)
            elif scheme == "zeros":
                p.zero_()
            else:
                raise ValueError(f"unknown init scheme {scheme!r}")
    return model


# Builders for each model kind a task can ask for; tasks of the lessons register more.
MODEL_BUILDERS: dict[str, Callable] = {}


def register_model(kind: str):
    def deco(fn):
        MODEL_BUILDERS[kind] = fn
        return fn
    return deco


@register_model("mlp")
def _build_mlp(config, task) -> nn.Module:
    return MLP(task.n_features, task.n_classes, [config.width] * config.hidden_layers,
               config.activation, config.dropout)


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


# The lessons' models register their builders on import; importing them here means
# build_model can always find "text" and "window", whoever imported models first.
from playground import models_names, models_text  # noqa: E402,F401
