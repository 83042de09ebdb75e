"""The multilayer perceptron every 2D, digits and table task trains.

inputs → [Linear → activation → Dropout] × hidden_layers → Linear → logits (no softmax:
the cross-entropy loss applies it).
"""
from __future__ import annotations

from typing import Callable

import torch
from torch import nn

from .registry import register_model

ACTIVATION_MODULES: dict[str, Callable[[], nn.Module]] = {
    "relu": nn.ReLU,
    "tanh": nn.Tanh,
    "sigmoid": nn.Sigmoid,
    "gelu": nn.GELU,
    "linear": nn.Identity,
}


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

    def forward(self, x: torch.Tensor) -> torch.Tensor:   # x: [batch, features]
        return self.net(x)                                 # [batch, classes]


@register_model("mlp")
def _build_mlp(config, task) -> nn.Module:
    return MLP(task.n_features, task.n_classes, [config.width] * config.hidden_layers,
               config.activation, config.dropout)
