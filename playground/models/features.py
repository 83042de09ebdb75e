"""Input features for the 2D tasks, as TF Playground offers them: X₁, X₂, X₁², X₂², X₁X₂,
sin X₁, sin X₂.

The data stay the 2D points (every boundary, map and surface works on the plane); the
model's first module computes the chosen features from them, so with X₁² and X₂² a
circle needs no hidden layer at all. A config names them in ``features``, comma
separated (``x1,x2,x1sq,x2sq``), always in this table's order.
"""
from __future__ import annotations

import torch
from torch import nn

# name in a config/link → (label people read, the feature of points x: [batch, 2], the
# same expression as source for Copy as PyTorch, which must compute it bit for bit)
FEATURES = {
    "x1": ("X₁", lambda x: x[:, 0], "x[:, 0]"),
    "x2": ("X₂", lambda x: x[:, 1], "x[:, 1]"),
    "x1sq": ("X₁²", lambda x: x[:, 0] * x[:, 0], "x[:, 0] * x[:, 0]"),
    "x2sq": ("X₂²", lambda x: x[:, 1] * x[:, 1], "x[:, 1] * x[:, 1]"),
    "x1x2": ("X₁X₂", lambda x: x[:, 0] * x[:, 1], "x[:, 0] * x[:, 1]"),
    "sinx1": ("sin X₁", lambda x: torch.sin(x[:, 0]), "torch.sin(x[:, 0])"),
    "sinx2": ("sin X₂", lambda x: torch.sin(x[:, 1]), "torch.sin(x[:, 1])"),
}
PLAIN = ("x1", "x2")            # the default: the points themselves, no feature module
FEATURE_HELP = {
    "x1": "The first coordinate of each point.",
    "x2": "The second coordinate of each point.",
    "x1sq": "X₁ squared: with X₂² a linear model can draw a circle.",
    "x2sq": "X₂ squared: with X₁² a linear model can draw a circle.",
    "x1x2": "X₁ times X₂: its sign is the XOR pattern.",
    "sinx1": "sin X₁: waves across the plane.",
    "sinx2": "sin X₂: waves across the plane.",
}


def chosen(config) -> tuple[str, ...] | None:
    """The features a 2D run's model computes, or None for the plain points."""
    from playground.data import DATASETS

    spec = DATASETS.get(config.dataset)
    names = parse(getattr(config, "features", ",".join(PLAIN)))
    return names if spec is not None and spec.kind == "points2d" and names != PLAIN else None


def parse(text: str) -> tuple[str, ...]:
    """``"x1, x2sq"`` → ("x1", "x2sq"): the names, stripped, empty parts dropped."""
    return tuple(p.strip() for p in str(text).split(",") if p.strip())


def canonical(names) -> str:
    """Names in the table's order, comma separated (what a config holds)."""
    chosen = set(names)
    return ",".join(n for n in FEATURES if n in chosen)


def problems(text: str) -> str | None:
    """Why ``text`` is not a feature list, or None."""
    names = parse(text)
    if not names:
        return "choose at least one input feature"
    unknown = [n for n in names if n not in FEATURES]
    if unknown:
        return (f"unknown feature {unknown[0]!r}; choose from {', '.join(FEATURES)}")
    if len(set(names)) != len(names):
        return "lists a feature twice"
    return None


class FeatureMap(nn.Module):
    """points [batch, 2] → features [batch, len(names)]; no parameters."""

    def __init__(self, names: tuple[str, ...]):
        super().__init__()
        self.names = tuple(names)
        self._fns = [FEATURES[n][1] for n in self.names]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.stack([f(x) for f in self._fns], 1)

    def extra_repr(self) -> str:
        return ", ".join(self.names)
