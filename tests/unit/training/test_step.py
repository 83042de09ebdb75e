"""The one training step: the fast path (fused kernels, direct call) trains the same
weights as the plain textbook loop."""
from __future__ import annotations

import pytest
import torch

from playground.config import RunConfig
from playground.training.step import Step
from playground.training.trainer import Trainer

CASES = [RunConfig(optimizer=o, lr=lr, length=200, batch_size=32)
         for o, lr in (("sgd", 0.1), ("momentum", 0.05), ("adam", 0.01), ("adamw", 0.01),
                       ("rmsprop", 0.003), ("adagrad", 0.05))]
CASES += [RunConfig(optimizer="adam", clip=0.5, dropout=0.3, scheduler="cosine", length=200),
          RunConfig(dataset="digits", optimizer="nesterov", lr=0.05, weight_decay=0.01,
                    length=200)]
# regression: MSE and Huber on the plane and the 1-D sine
CASES += [RunConfig(dataset="plane", optimizer="adam", length=200),
          RunConfig(dataset="sin", optimizer="momentum", lr=0.05, regression_loss="huber",
                    huber_delta=0.5, length=200)]


def _train(config: RunConfig, fast: bool) -> Trainer:
    trainer = Trainer(config)
    if not fast:      # the same trainer, stepping through the plain path
        from playground.training.optim import make_optimizer

        trainer.optimizer = make_optimizer(config, trainer.params, fast=False)
        trainer.one_step = Step(trainer.model, trainer.optimizer, config.clip, fast=False,
                                loss=trainer.loss)
        trainer._apply_lr(trainer.lr)
    torch.manual_seed(0)   # dropout masks come from the global generator
    trainer.losses = [trainer.step().loss for _ in range(config.length)]
    return trainer


@pytest.mark.parametrize("config", CASES, ids=lambda c: f"{c.optimizer}-{c.dataset}")
def test_fast_and_plain_steps_train_the_same_weights(config):
    fast, plain = _train(config, True), _train(config, False)
    assert fast.step_count == plain.step_count == config.length
    assert torch.allclose(fast.flat_params(), plain.flat_params(), rtol=1e-4, atol=1e-6)
    assert fast.losses == pytest.approx(plain.losses, rel=1e-4, abs=1e-6)


def test_the_plain_path_really_is_torchs_default_loop():
    trainer = Trainer(RunConfig(optimizer="adam"))
    plain = Step(trainer.model, torch.optim.Adam(trainer.params), fast=False)
    assert plain._update == plain.optimizer.step      # optimizer.step(), not a shortcut


def test_a_non_finite_loss_takes_no_update():
    trainer = Trainer(RunConfig(optimizer="sgd", lr=0.1))
    before = trainer.flat_params()
    for p in trainer.params:
        p.grad = torch.ones_like(p)
    trainer.one_step.update(float("nan"))
    assert torch.equal(trainer.flat_params(), before)
