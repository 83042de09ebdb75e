"""Trainer: one optimizer step per call, no threads, no UI.

Everything a run needs is built from its config: the task (shared, read-only), the
model (initial weights from the seed), the optimizer, the LR schedule and the batch
order. Two trainers with the same seed, data and architecture start from identical
weights; with the same batch size they also see identical batches, whatever their
optimizer: that is what makes the Compare page fair.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import torch

from playground import data as data_registry
from playground.models import build_model, count_parameters
from playground.training.batches import BatchOrder
from playground.training.losses import chance_loss, loss_for, regression_metrics
from playground.training.optim import make_optimizer
from playground.training.schedule import lr_factor
from playground.training.step import Step

# Loss above this multiple of the chance-level loss counts as divergence even when
# still finite (Adam with a huge LR produces enormous but finite logits).
DIVERGENCE_FACTOR = 100.0


@dataclass(frozen=True)
class StepResult:
    step: int            # steps completed after this one
    loss: float          # minibatch cross-entropy before the update
    lr: float            # learning rate used for this update
    examples: int        # examples seen so far


@dataclass(frozen=True)
class EvalResult:
    loss: float
    accuracy: float            # NaN on a regression task
    n: int
    rmse: float | None = None  # regression only: in the target's own units
    r2: float | None = None    # regression only: 1 − SSE/SST

    def values(self) -> tuple[float, ...]:
        """What the history's evaluation series records, in EVAL_NAMES' order."""
        if self.rmse is None:
            return self.loss, self.accuracy
        return self.loss, self.rmse, self.r2

    def summary(self) -> str:
        """How a run's end message states it: "val accuracy 93.0%", "val RMSE 0.12"."""
        if self.rmse is None:
            return f"val accuracy {self.accuracy:.1%}"
        return f"val RMSE {self.rmse:.3g}, R² {self.r2:.3f}"


class Trainer:
    def __init__(self, config, task=None, init_state: dict | None = None):
        self.config = config.checked()
        self.task = task if task is not None else data_registry.load(config)
        self.model = build_model(config, self.task)
        if init_state is not None:
            # Continue from saved weights (copied in: the source is never aliased). A
            # state dict of another architecture fails here with torch's own message.
            self.model.load_state_dict(init_state)
        self.params = [p for p in self.model.parameters() if p.requires_grad]
        self.n_params = count_parameters(self.model)
        self.optimizer = make_optimizer(config, self.params)
        self.loss = loss_for(self.config, self.task)
        self.one_step = Step(self.model, self.optimizer, config.clip, loss=self.loss)
        self.batches = BatchOrder(len(self.task.train), config.batch_size, config.seed)
        self.batch_size = self.batches.batch_size
        self.steps_per_epoch = self.batches.steps_per_epoch
        self.total_steps = (config.length if config.length_unit == "steps"
                            else config.length * self.steps_per_epoch)
        self.base_lr = config.lr
        self.step_count = 0
        self.examples_seen = 0
        self.chance_loss = chance_loss(self.task)
        # A badly initialized net (N(0, 1) weights) can *start* far above chance;
        # divergence is then judged against where it started, not against chance.
        self.initial_loss: float | None = None
        self._scheduled = config.scheduler != "none"
        self._current_lr = self.base_lr * self._factor(0)
        self._apply_lr(self._current_lr)
        self.model.train()

    # ------------------------------------------------------------------ training
    def step(self) -> StepResult:
        """One optimizer step on the next minibatch."""
        return self.step_on(self.batches.next())

    def step_on(self, idx: torch.Tensor) -> StepResult:
        """One optimizer step on the training examples ``idx``."""
        inputs, targets = self.task.train.take(idx)
        lr = self._current_lr
        return self._counted(self.one_step(inputs, targets), lr, len(idx))

    def apply_gradients(self, value: float, n_examples: int) -> StepResult:
        """The rest of a step once ``.grad`` holds the minibatch gradient: clip, update,
        count, schedule. Split out so a comparison pack can compute the gradients of
        several runs in one batched pass and finish each run's step here."""
        lr = self._current_lr
        self.one_step.update(value)
        return self._counted(value, lr, n_examples)

    def _counted(self, value: float, lr: float, n_examples: int) -> StepResult:
        if self.initial_loss is None and math.isfinite(value):
            self.initial_loss = value
        self.step_count += 1
        self.examples_seen += n_examples
        if self._scheduled:
            self._current_lr = self.base_lr * self._factor(self.step_count)
            self._apply_lr(self._current_lr)
        return StepResult(self.step_count, value, lr, self.examples_seen)

    def divergence(self, loss: float) -> str | None:
        """Why this loss means the run has diverged, or None."""
        if not math.isfinite(loss):
            return f"the loss became {loss}"
        if loss > DIVERGENCE_FACTOR * self.chance_loss:
            start = self.initial_loss
            if start is not None and start > self.chance_loss:
                if loss > DIVERGENCE_FACTOR * start:
                    return (f"the loss reached {loss:.3g}, over {DIVERGENCE_FACTOR:g}× its "
                            f"starting level {start:.3g}")
                return None
            level = ("the mean's loss" if self.task.is_regression else "the chance level")
            return (f"the loss reached {loss:.3g}, over {DIVERGENCE_FACTOR:g}× {level} "
                    f"{self.chance_loss:.2f}")
        return None

    def set_lr(self, lr: float) -> None:
        """Change the base LR; applies from the next step (the schedule keeps its shape)."""
        if not (isinstance(lr, (int, float)) and math.isfinite(lr) and lr > 0):
            raise ValueError(f"learning rate must be a positive finite number, got {lr!r}")
        self.base_lr = float(lr)
        self._current_lr = self.base_lr * self._factor(self.step_count)
        self._apply_lr(self._current_lr)

    @property
    def lr(self) -> float:
        return self._current_lr

    @property
    def epoch(self) -> float:
        return self.step_count / self.steps_per_epoch

    @property
    def finished(self) -> bool:
        return self.step_count >= self.total_steps

    # ---------------------------------------------------------------- evaluation
    @torch.no_grad()
    def evaluate(self, split: str = "val", limit: int | None = None) -> EvalResult:
        """Mean loss and accuracy (regression: RMSE and R²) on a split, in ``eval()``
        mode (dropout off)."""
        part = getattr(self.task, split)
        if len(part) == 0:
            return EvalResult(float("nan"), float("nan"), 0,
                          *((float("nan"),) * 2 if self.task.is_regression else ()))
        if limit is not None and limit < len(part):
            inputs, targets = part.take(torch.arange(limit))
        else:
            inputs, targets = part.all()
        self.model.eval()
        try:
            logits = self.model(*inputs)
            loss = self.loss(logits, targets).item()
            if self.task.is_regression:
                rmse, r2 = regression_metrics(logits.squeeze(-1), targets,
                                              self.task.extra["target_std"])
                return EvalResult(loss, float("nan"), len(targets), rmse, r2)
            acc = (logits.argmax(1) == targets).float().mean().item()
        finally:
            self.model.train()
        return EvalResult(loss, acc, len(targets))

    # ----------------------------------------------------------------- snapshots
    def flat_params(self) -> torch.Tensor:
        return torch.cat([p.detach().reshape(-1) for p in self.params]).clone()

    def weights(self) -> dict[str, torch.Tensor]:
        """A detached copy of the model's state dict (safe to hand to another thread)."""
        return {k: v.detach().clone() for k, v in self.model.state_dict().items()}

    # ------------------------------------------------------------------ internals
    def _factor(self, step: int) -> float:
        return lr_factor(self.config, step, self.steps_per_epoch, self.total_steps)

    def _apply_lr(self, lr: float) -> None:
        for group in self.optimizer.param_groups:
            group["lr"] = lr
