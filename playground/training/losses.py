"""The loss a task trains on, its chance level, and the regression metrics.

Classification trains on cross-entropy; regression on the mean squared error (default) or
the Huber loss (``config.regression_loss``), both on standardised targets. Everything that
computes a loss (the Trainer's step and evaluation, the LR sweep, short runs, the network
loss surface, comparisons) asks :func:`loss_for`, so it is one choice per run.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import torch
import torch.nn.functional as F

Loss = Callable[[torch.Tensor, torch.Tensor], torch.Tensor]


@dataclass(frozen=True)
class RegressionLoss:
    """MSE or Huber(δ) of a one-output model: outputs [batch, 1], targets [batch]."""

    kind: str = "mse"          # "mse" | "huber"
    delta: float = 1.0         # Huber's δ, in standardised target units

    def __call__(self, outputs: torch.Tensor, targets: torch.Tensor,
                 reduction: str = "mean") -> torch.Tensor:
        pred = outputs.squeeze(-1)                                  # [batch]
        if self.kind == "huber":
            return F.huber_loss(pred, targets, reduction=reduction, delta=self.delta)
        return F.mse_loss(pred, targets, reduction=reduction)

    def per_point(self, outputs: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
        """Mean loss of each of G models at once: outputs [G, 1, N], targets [N] → [G]
        (the loss surface evaluates a whole chunk of its grid in one pass)."""
        pred = outputs[:, 0, :]                                     # [G, N]
        full = targets.view(1, -1).expand_as(pred)
        if self.kind == "huber":
            return F.huber_loss(pred, full, reduction="none", delta=self.delta).mean(1)
        return F.mse_loss(pred, full, reduction="none").mean(1)


def loss_for(config, task) -> Loss:
    """The run's loss: cross-entropy, or the regression loss its config chose."""
    if task.is_regression:
        return RegressionLoss(getattr(config, "regression_loss", "mse"),
                              getattr(config, "huber_delta", 1.0))
    return F.cross_entropy


def loss_words(config, target: str | None) -> tuple[str, str]:
    """(the loss's name, its unit) for chart titles: a regression run (``target`` = its
    target's name) trains on standardised values, so its loss is in standardised units."""
    if target is None:
        return "cross-entropy", "nats"
    if getattr(config, "regression_loss", "mse") == "huber":
        return f"Huber, δ = {config.huber_delta:g}", f"standardised {target}"
    return "mean squared error", f"standardised {target}, squared"


def loss_axis(config) -> str:
    """An axis title for a loss of ``config``'s task (built from the data registry)."""
    from playground import data

    if not data.is_regression(config):
        return "loss (cross-entropy, nats)"
    return f"loss ({loss_words(config, data.load(config).class_names[0])[1]})"


def chance_loss(task) -> float:
    """The loss of a model that knows nothing: log(classes) for cross-entropy; for
    regression on standardised targets, predicting the mean scores an MSE of 1 (Huber is
    at most that), so 1 is the baseline divergence is judged against."""
    return 1.0 if task.is_regression else math.log(max(2, task.n_classes))


def regression_metrics(pred: torch.Tensor, targets: torch.Tensor, std: float
                       ) -> tuple[float, float]:
    """(RMSE in the target's own units, R²) of standardised predictions [N] against
    standardised targets [N]. R² = 1 − SSE / SST around the targets' own mean (what
    scikit-learn's ``r2_score`` computes); standardising changes neither ratio."""
    err = (pred.double() - targets.double())
    sse = float((err * err).sum())
    sst = float(((targets.double() - targets.double().mean()) ** 2).sum())
    rmse = math.sqrt(sse / max(1, len(targets))) * std
    r2 = 1.0 - sse / sst if sst > 0 else (1.0 if sse == 0 else 0.0)
    return rmse, r2
