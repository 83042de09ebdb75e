"""A bounded record of flattened parameter vectors along a run (for loss-surface paths).

Keeps at most ``capacity`` snapshots evenly spaced in steps: when full it drops every
other one and doubles its stride, so a run of any length costs the same memory and
the path still spans the whole run.
"""
from __future__ import annotations

import torch

# Upper bound on stored floats per run (4M floats = 16 MB), whatever the model size.
FLOAT_BUDGET = 4_000_000


class Trajectory:
    def __init__(self, n_params: int, expected_steps: int, capacity: int = 200):
        self.capacity = max(16, min(capacity, FLOAT_BUDGET // max(1, n_params)))
        self.stride = max(1, expected_steps // (self.capacity - 1))
        self.steps: list[int] = []
        self.points: list[torch.Tensor] = []

    def due(self, step: int) -> bool:
        return step % self.stride == 0

    def record(self, step: int, flat: torch.Tensor) -> None:
        if self.steps and self.steps[-1] == step:
            self.points[-1] = flat
            return
        self.steps.append(step)
        self.points.append(flat)
        if len(self.steps) >= self.capacity:
            self.steps = self.steps[::2]
            self.points = self.points[::2]
            self.stride *= 2

    def __len__(self) -> int:
        return len(self.steps)

    def as_tensor(self) -> tuple[list[int], torch.Tensor]:
        """(steps, points) with points as an (n, n_params) tensor copy."""
        if not self.points:
            return [], torch.empty(0)
        return list(self.steps), torch.stack(self.points)
