"""The multilayer perceptron every 2D, digits and table task trains.

inputs → [Linear → activation → Dropout] × hidden_layers → Linear → logits (no softmax:
the cross-entropy loss applies it).
"""
from __future__ import annotations

from typing import Callable

import torch
from torch import nn

from .features import PLAIN, FeatureMap, parse
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
                 dropout: float = 0.0, features: tuple[str, ...] | None = None):
        super().__init__()
        # 2D tasks with chosen input features: computed from the points first (no
        # parameters, so the state dict keys stay net.<i>.*); None = the inputs as given
        self.features = FeatureMap(features) if features else None
        layers: list[nn.Module] = []
        width_in = len(features) if features else n_in
        for width in hidden:
            layers += [nn.Linear(width_in, width), ACTIVATION_MODULES[activation]()]
            if dropout > 0:
                layers.append(nn.Dropout(dropout))
            width_in = width
        layers.append(nn.Linear(width_in, n_out))
        self.net = nn.Sequential(*layers)
        self.activation = activation

    def forward(self, x: torch.Tensor) -> torch.Tensor:   # x: [batch, features]
        if self.features is not None:
            x = self.features(x)                           # [batch, 2] → [batch, k]
        return self.net(x)                                 # [batch, classes]


@register_model("mlp")
def _build_mlp(config, task) -> nn.Module:
    names = parse(getattr(config, "features", ",".join(PLAIN)))
    features = names if task.kind == "points2d" and names != PLAIN else None
    return MLP(task.n_features, task.n_classes, [config.width] * config.hidden_layers,
               config.activation, config.dropout, features)
